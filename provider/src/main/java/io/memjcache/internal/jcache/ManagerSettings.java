package io.memjcache.internal.jcache;

import io.memjcache.config.EncryptionSettings;
import io.memjcache.config.SaslSettings;
import io.memjcache.config.TlsSettings;
import io.memjcache.internal.client.ClientSettings;
import io.memjcache.internal.cluster.ClusterSettings;
import io.memjcache.internal.config.CacheDefaults;
import io.memjcache.internal.config.CacheTemplate;
import io.memjcache.internal.config.CacheTemplates;
import io.memjcache.internal.config.ConfigFile;
import io.memjcache.internal.config.ConfigLoader;
import io.memjcache.internal.config.ConfigLocator;
import io.memjcache.internal.config.Environment;
import io.memjcache.internal.transport.ConnectionSettings;
import io.memjcache.serialization.JavaSerializationSettings;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

/**
 * Settings of one cache manager, resolved from its URI, its configuration file and its properties:
 * the servers, the transport tunables, the manager-wide security defaults and the per-cache
 * settings ({@link #forCache}).
 *
 * <p>The configuration file is the one the URI names (a relative path ending in {@code .json}
 * included), else the one named by the manager property {@code memjcache.config}, else by the
 * system property of that name or the environment variable {@code MEMJCACHE_CONFIG}, else
 * {@code memjcache.json} on the manager's class path, else none (see {@link ConfigLocator}). A
 * {@code memcached://} URI names the servers and still uses that default configuration file for
 * everything else, so that security settings are never dropped by naming servers directly.
 *
 * <p>Properties passed to {@code getCacheManager}, else system properties of the same name,
 * override the file: {@value #SERVERS_PROPERTY} (manager properties only; as a system property, or
 * {@value #SERVERS_ENV}, it is the server list used when neither the URI nor the file names one),
 * {@code memjcache.connectTimeoutMillis}, {@code memjcache.operationTimeoutMillis},
 * {@code memjcache.maxInFlight}, {@code memjcache.connectionsPerNode} (the file's
 * {@code connection} block), and {@code memjcache.generationRefreshMillis},
 * {@code memjcache.serialization.allowedPatterns} (the file's {@code defaults} block; templates
 * and declared caches still refine them). Any other manager property starting with
 * {@code memjcache.} is refused, so that a misspelt one is not ignored in silence.
 *
 * @param servers the memcached servers
 * @param connection transport settings
 * @param cluster how the client treats failing servers (the file's {@code cluster} block)
 * @param generationRefreshMillis the default of how stale a cache's view of another client's clear() may be
 * @param indexSegments key-index segments per cache (not configurable: every client must agree)
 * @param javaSerialization the default Java deserialization filter
 * @param connectionsPerNode connections to open per server; a key always travels on the same one
 * @param tls the manager-wide TLS default (null: plaintext)
 * @param sasl the manager-wide SASL default (null: no authentication)
 * @param encryption the manager-wide value-encryption default (null: values in clear)
 * @param caches the per-cache settings: defaults, templates and declared caches
 * @param configuration the configuration file used (null: none)
 */
public record ManagerSettings(
    List<InetSocketAddress> servers,
    ConnectionSettings connection,
    ClusterSettings cluster,
    long generationRefreshMillis,
    int indexSegments,
    JavaSerializationSettings javaSerialization,
    int connectionsPerNode,
    TlsSettings tls,
    SaslSettings sasl,
    EncryptionSettings encryption,
    CacheTemplates caches,
    URI configuration) {

  public static final String SERVERS_PROPERTY = "memjcache.servers";
  public static final String SERVERS_ENV = "MEMJCACHE_SERVERS";
  public static final String CONNECT_TIMEOUT_PROPERTY = "memjcache.connectTimeoutMillis";
  public static final String OPERATION_TIMEOUT_PROPERTY = "memjcache.operationTimeoutMillis";
  public static final String MAX_IN_FLIGHT_PROPERTY = "memjcache.maxInFlight";
  public static final String CONNECTIONS_PER_NODE_PROPERTY = "memjcache.connectionsPerNode";
  public static final String GENERATION_REFRESH_PROPERTY = "memjcache.generationRefreshMillis";
  public static final String ALLOWED_PATTERNS_PROPERTY = "memjcache.serialization.allowedPatterns";
  public static final String SCHEME = "memcached";
  public static final String DEFAULT_SERVERS = "localhost:11211";
  static final long DEFAULT_GENERATION_REFRESH_MILLIS = CacheDefaults.BUILT_IN.generationRefreshMillis();
  static final int DEFAULT_INDEX_SEGMENTS = 16;

  public ManagerSettings {
    servers = List.copyOf(servers);
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(javaSerialization, "javaSerialization");
    Objects.requireNonNull(caches, "caches");
    if (connectionsPerNode < 1) {
      throw new IllegalArgumentException("connectionsPerNode must be at least 1, was " + connectionsPerNode);
    }
  }

  // ------------------------------------------------------------------ default URI

  /** {@link #defaultUri(ClassLoader, Environment)} for the thread's context class loader and this JVM. */
  public static URI defaultUri() {
    return defaultUri(defaultClassLoader(), Environment.SYSTEM);
  }

  /**
   * The provider's default URI: the configuration file named by {@code memjcache.config} or
   * {@code MEMJCACHE_CONFIG}, else {@code classpath:memjcache.json} if {@code classLoader} has it,
   * else {@code memcached://} and the server list of {@value #SERVERS_PROPERTY} or
   * {@value #SERVERS_ENV} (blank counts as unset), else {@code memcached://localhost:11211}.
   */
  public static URI defaultUri(ClassLoader classLoader, Environment environment) {
    URI configured = ConfigLocator.configured(classLoader, environment);
    return configured != null ? configured : serversUri(defaultServers(environment));
  }

  private static String defaultServers(Environment environment) {
    String servers = environment.getProperty(SERVERS_PROPERTY);
    if (servers == null || servers.isBlank()) {
      servers = environment.getenv(SERVERS_ENV);
    }
    return servers == null || servers.isBlank() ? DEFAULT_SERVERS : servers.trim();
  }

  static URI serversUri(String servers) {
    try {
      return new URI(SCHEME + "://" + servers.replaceAll("\\s+", ""));
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("bad memcached server list '" + servers + "': " + e.getMessage(), e);
    }
  }

  // ------------------------------------------------------------------ resolution

  /** {@link #resolve(URI, ClassLoader, Properties, Environment)} for the thread's context class loader and this JVM. */
  public static ManagerSettings resolve(URI uri, Properties properties) {
    return resolve(uri, defaultClassLoader(), properties, Environment.SYSTEM);
  }

  /** {@link #resolve(URI, ClassLoader, Properties, Environment)} for this JVM's environment. */
  public static ManagerSettings resolve(URI uri, ClassLoader classLoader, Properties properties) {
    return resolve(uri, classLoader, properties, Environment.SYSTEM);
  }

  /**
   * The settings of the manager for {@code uri}, see the class comment.
   *
   * @param classLoader the manager's class loader: finds {@code classpath:} resources
   * @param properties the manager's properties
   * @param environment environment variables and system properties
   * @throws IllegalArgumentException (a {@link io.memjcache.internal.config.ConfigException} for
   *     the configuration file) naming what is wrong
   */
  public static ManagerSettings resolve(URI uri, ClassLoader classLoader, Properties properties,
      Environment environment) {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(properties, "properties");
    Objects.requireNonNull(environment, "environment");
    requireKnownProperties(properties);
    URI configuration;
    String named = properties.getProperty(ConfigLocator.CONFIG_PROPERTY);
    if (ConfigLocator.namesResource(uri)) {
      configuration = ConfigLocator.resource(uri);
    } else if (named != null && !named.isBlank()) {
      configuration = ConfigLocator.toUri(named.strip(), "manager property " + ConfigLocator.CONFIG_PROPERTY);
    } else {
      configuration = ConfigLocator.configured(classLoader, environment);
    }
    ConfigFile file = configuration == null ? ConfigFile.none()
        : ConfigLoader.load(configuration, classLoader, environment);

    List<InetSocketAddress> servers;
    String listed = properties.getProperty(SERVERS_PROPERTY);
    if (listed != null) {
      servers = ClientSettings.parseServers(listed);
    } else if (SCHEME.equalsIgnoreCase(uri.getScheme())) {
      String authority = uri.getRawAuthority();
      if (authority != null && authority.contains("@")) {
        throw new IllegalArgumentException("a memcached:// URI takes no credentials (they would show in MBean names"
            + " and logs): give them in the configuration file's sasl block");
      }
      if (authority == null || authority.isEmpty()) {
        throw new IllegalArgumentException("the URI " + uri + " names no memcached server");
      }
      servers = ClientSettings.parseServers(authority);
    } else if (file.servers() != null) {
      servers = file.servers();
    } else {
      servers = ClientSettings.parseServers(defaultServers(environment));
    }

    ConnectionSettings defaults = ConnectionSettings.DEFAULTS;
    Duration connect = or(file.connectTimeout(), defaults.connectTimeout());
    Duration operation = or(file.operationTimeout(), defaults.operationTimeout());
    int maxInFlight = or(file.maxInFlight(), defaults.maxInFlight());
    int maxResponse = or(file.maxResponseBodyBytes(), defaults.maxResponseBodyLength());
    int connectionsPerNode = or(file.connectionsPerNode(), 1);
    Long value = longProperty(properties, environment, CONNECT_TIMEOUT_PROPERTY, 1, Long.MAX_VALUE);
    connect = value != null ? Duration.ofMillis(value) : connect;
    value = longProperty(properties, environment, OPERATION_TIMEOUT_PROPERTY, 1, Long.MAX_VALUE);
    operation = value != null ? Duration.ofMillis(value) : operation;
    value = longProperty(properties, environment, MAX_IN_FLIGHT_PROPERTY, 1, Integer.MAX_VALUE);
    maxInFlight = value != null ? value.intValue() : maxInFlight;
    value = longProperty(properties, environment, CONNECTIONS_PER_NODE_PROPERTY, 1, Integer.MAX_VALUE);
    connectionsPerNode = value != null ? value.intValue() : connectionsPerNode;
    ConnectionSettings connection = new ConnectionSettings(connect, operation, maxInFlight, maxResponse);

    CacheTemplate overrides = CacheTemplate.EMPTY;
    value = longProperty(properties, environment, GENERATION_REFRESH_PROPERTY, 0, Long.MAX_VALUE);
    if (value != null) {
      overrides = overrides.overriddenBy(CacheTemplate.generationRefresh(Duration.ofMillis(value)));
    }
    String allowed = property(properties, environment, ALLOWED_PATTERNS_PROPERTY);
    if (allowed != null && !allowed.isBlank()) {
      List<String> patterns = List.of(allowed.trim().split("\\s*[,;]\\s*"));
      try {
        JavaSerializationSettings.DEFAULTS.withAllowedPatterns(patterns.toArray(new String[0]));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("property " + ALLOWED_PATTERNS_PROPERTY + ": " + e.getMessage(), e);
      }
      overrides = overrides.overriddenBy(CacheTemplate.allowedPatterns(patterns));
    }
    CacheTemplates caches = file.cacheTemplates(CacheDefaults.BUILT_IN, overrides);
    CacheDefaults cacheDefaults = caches.defaults();
    return new ManagerSettings(servers, connection, or(file.cluster(), ClusterSettings.DEFAULTS),
        cacheDefaults.generationRefreshMillis(), DEFAULT_INDEX_SEGMENTS,
        cacheDefaults.javaSerialization(), connectionsPerNode, file.tls(), file.sasl(), file.encryption(), caches,
        configuration);
  }

  // ------------------------------------------------------------------ use

  /**
   * The effective settings for a cache of this name (defaults, matching templates, the declared
   * cache, with the manager's security defaults where no template replaces them). Apply them with
   * {@link CacheDefaults#applyTo}.
   */
  public CacheDefaults forCache(String cacheName) {
    return caches.forCache(cacheName);
  }

  /** The caches the configuration file declares by name (under {@code "caches"}), in file order. */
  public List<String> declaredCaches() {
    return caches.declaredCaches();
  }

  /** The servers and transport settings of a client without TLS or SASL. */
  ClientSettings clientSettings() {
    return ClientSettings.of(servers).withConnection(connection).withConnectionsPerNode(connectionsPerNode);
  }

  private static ClassLoader defaultClassLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : ManagerSettings.class.getClassLoader();
  }

  /** The manager properties memjcache reads; any other {@code memjcache.} property is a mistake. */
  private static final java.util.Set<String> PROPERTIES = java.util.Set.of(SERVERS_PROPERTY,
      CONNECT_TIMEOUT_PROPERTY, OPERATION_TIMEOUT_PROPERTY, MAX_IN_FLIGHT_PROPERTY, CONNECTIONS_PER_NODE_PROPERTY,
      GENERATION_REFRESH_PROPERTY, ALLOWED_PATTERNS_PROPERTY, ConfigLocator.CONFIG_PROPERTY);

  /**
   * A misspelt property would otherwise be ignored in silence, and with it, say, the configuration
   * file that turns on TLS and encryption.
   */
  private static void requireKnownProperties(Properties properties) {
    for (String name : properties.stringPropertyNames()) {
      if (name.startsWith("memjcache.") && !PROPERTIES.contains(name)) {
        throw new IllegalArgumentException("unknown manager property " + name + "; memjcache reads "
            + new java.util.TreeSet<>(PROPERTIES));
      }
    }
  }

  private static <T> T or(T value, T fallback) {
    return value != null ? value : fallback;
  }

  /** A manager property, falling back to the system property of the same name. */
  private static String property(Properties properties, Environment environment, String name) {
    String value = properties.getProperty(name);
    return value != null ? value : environment.getProperty(name);
  }

  private static Long longProperty(Properties properties, Environment environment, String name, long min, long max) {
    String value = property(properties, environment, name);
    if (value == null) {
      return null;
    }
    long number;
    try {
      number = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("property " + name + " must be a number, was '" + value + "'");
    }
    if (number < min || number > max) {
      throw new IllegalArgumentException("property " + name + " must be "
          + (number < min ? "at least " + min : "at most " + max) + ", was " + number);
    }
    return number;
  }
}
