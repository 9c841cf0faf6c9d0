package io.memjcache.internal.config;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Finds a manager's configuration file, in this order:
 * <ol>
 *   <li>the URI given to {@code getCacheManager}, when it names a resource: a {@code file:},
 *       {@code jar:} (Spring Boot's nested jars included) or {@code classpath:} URI, or any other
 *       URI except {@code memcached:} whose text ends in {@code .json};</li>
 *   <li>the system property {@value #CONFIG_PROPERTY}, else the environment variable
 *       {@value #CONFIG_ENV}: a URI as above, or a file path;</li>
 *   <li>the resource {@value #DEFAULT_RESOURCE} on the manager's class path.</li>
 * </ol>
 * A resource that is named (1, 2) but missing is an error. Resources are read through
 * {@link URL#openConnection()}, never {@code Paths.get(uri)}, so that any URL scheme the JVM can
 * read works, and without URL caches, so that a jar is not kept open.
 *
 * <p>{@code classpath:name} and {@code classpath:/name} name the same resource, looked up with the
 * manager's class loader.
 */
public final class ConfigLocator {
  /** The system property naming the configuration resource. */
  public static final String CONFIG_PROPERTY = "memjcache.config";
  /** The environment variable naming the configuration resource. */
  public static final String CONFIG_ENV = "MEMJCACHE_CONFIG";
  /** The class path resource read when nothing else names a configuration. */
  public static final String DEFAULT_RESOURCE = "memjcache.json";
  /** The scheme of class path resources. */
  public static final String CLASSPATH_SCHEME = "classpath";

  /** A URI scheme: two characters at least, so that "C:\..." is a path. */
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+:");

  private ConfigLocator() {}

  /** Whether a {@code getCacheManager} URI names a configuration resource (rather than servers or a name). */
  public static boolean namesResource(URI uri) {
    String scheme = uri.getScheme();
    if (scheme == null) {
      return uri.getPath() != null && uri.getPath().toLowerCase(Locale.ROOT).endsWith(".json"); // a relative path
    }
    scheme = scheme.toLowerCase(Locale.ROOT);
    if (scheme.equals("memcached")) {
      return false;
    }
    return scheme.equals("file") || scheme.equals("jar") || scheme.equals(CLASSPATH_SCHEME)
        || uri.toString().toLowerCase(Locale.ROOT).endsWith(".json");
  }

  /**
   * The configuration resource named by {@value #CONFIG_PROPERTY} or {@value #CONFIG_ENV}, else
   * {@code classpath:memjcache.json} if {@code classLoader} has it, else null.
   *
   * @throws ConfigException if the property or variable is not a URI or path
   */
  public static URI configured(ClassLoader classLoader, Environment environment) {
    String value = environment.getProperty(CONFIG_PROPERTY);
    String origin = "system property " + CONFIG_PROPERTY;
    if (value == null || value.isBlank()) {
      value = environment.getenv(CONFIG_ENV);
      origin = "environment variable " + CONFIG_ENV;
    }
    if (value != null && !value.isBlank()) {
      return toUri(value.strip(), origin);
    }
    if (classLoader != null && classLoader.getResource(DEFAULT_RESOURCE) != null) {
      return URI.create(CLASSPATH_SCHEME + ":" + DEFAULT_RESOURCE);
    }
    return null;
  }

  /**
   * The resource a {@code getCacheManager} URI for which {@link #namesResource} holds names: the URI
   * itself, or for a relative path such as {@code memjcache-prod.json} that file, made absolute.
   */
  public static URI resource(URI uri) {
    return uri.getScheme() == null ? toUri(uri.toString(), "the URI " + uri) : uri;
  }

  /** A URI, or a file path made absolute. */
  public static URI toUri(String value, String origin) {
    if (SCHEME.matcher(value).find()) {
      try {
        return new URI(value);
      } catch (URISyntaxException e) {
        throw new ConfigException(origin + " is not a valid URI: " + e.getMessage(), e);
      }
    }
    try {
      return Path.of(value).toAbsolutePath().normalize().toUri();
    } catch (InvalidPathException e) {
      throw new ConfigException(origin + " is not a valid path: " + e.getMessage(), e);
    }
  }

  /** How messages name a resource: a file's path, or the URI without credentials ({@link #redacted}). */
  public static String displayName(URI uri) {
    if ("file".equalsIgnoreCase(uri.getScheme()) && uri.getPath() != null) {
      return uri.getPath();
    }
    return redacted(uri);
  }

  private static final Pattern USER_INFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*:(?:[A-Za-z][A-Za-z0-9+.-]*:)*//)[^/?#]*@");
  private static final Pattern QUERY = Pattern.compile("\\?[^#]*");

  /**
   * A URI as logs, exceptions and MBean names show it: user info (user:password@) and the query
   * (where tokens travel) replaced by {@code ***}, since a configuration URL may carry credentials.
   */
  public static String redacted(URI uri) {
    if (uri == null) {
      return "null";
    }
    String text = USER_INFO.matcher(uri.toString()).replaceFirst("$1***@");
    return QUERY.matcher(text).replaceFirst("?***");
  }

  private static boolean isDirectory(URI fileUri) {
    try {
      return java.nio.file.Files.isDirectory(Path.of(fileUri));
    } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException | SecurityException e) {
      return false; // reading it will say what is wrong
    }
  }

  /**
   * Opens the resource {@code uri} names.
   *
   * @throws ConfigException if it is missing or cannot be opened
   */
  public static InputStream open(URI uri, ClassLoader classLoader) {
    String name = displayName(uri);
    URL url;
    if (CLASSPATH_SCHEME.equalsIgnoreCase(uri.getScheme())) {
      String path = uri.getSchemeSpecificPart();
      while (path != null && path.startsWith("/")) {
        path = path.substring(1);
      }
      if (path == null || path.isEmpty()) {
        throw new ConfigException(name + ": names no class path resource");
      }
      ClassLoader loader = classLoader != null ? classLoader : ConfigLocator.class.getClassLoader();
      url = loader.getResource(path);
      if (url == null) {
        throw new ConfigException(name + ": configuration file not found on the class path");
      }
    } else {
      if ("file".equalsIgnoreCase(uri.getScheme()) && isDirectory(uri)) {
        throw new ConfigException(name + ": is a directory, not a configuration file");
      }
      try {
        url = uri.toURL();
      } catch (MalformedURLException | IllegalArgumentException e) {
        throw new ConfigException(name + ": cannot be read as a URL: " + e.getMessage(), e);
      }
    }
    try {
      URLConnection connection = Objects.requireNonNull(url).openConnection();
      connection.setUseCaches(false);
      return connection.getInputStream();
    } catch (FileNotFoundException | NoSuchFileException e) {
      throw new ConfigException(name + ": configuration file not found", e);
    } catch (IOException e) {
      throw new ConfigException(name + ": cannot read the configuration file: " + e, e);
    }
  }
}
