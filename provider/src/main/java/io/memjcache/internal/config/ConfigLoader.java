package io.memjcache.internal.config;

import java.io.InputStream;
import java.net.URI;

/**
 * Reads a configuration file. Jackson (an optional dependency) is needed only here, and only when
 * a configuration file is actually used.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  /**
   * Reads and checks the configuration file at {@code uri} ({@code classpath:} resources through
   * {@code classLoader}).
   *
   * @throws ConfigException if it is missing, unreadable, not valid JSON or not a valid configuration
   */
  public static ConfigFile load(URI uri, ClassLoader classLoader, Environment environment) {
    String source = ConfigLocator.displayName(uri);
    if ("http".equalsIgnoreCase(uri.getScheme())) {
      // whoever sits on the path could serve a file without tls, sasl or encryption
      throw new ConfigException(source + ": a configuration file is not read over plain http, where it could be"
          + " altered in transit; use https:, file: or classpath:");
    }
    InputStream in = ConfigLocator.open(uri, classLoader);
    return parse(in, source, environment);
  }

  /** Parses a configuration from a stream, which is closed; messages name it {@code source}. */
  public static ConfigFile parse(InputStream in, String source, Environment environment) {
    try {
      return JsonConfigParser.parse(in, source, environment);
    } catch (NoClassDefFoundError e) {
      try {
        in.close();
      } catch (java.io.IOException ignored) {
        // nothing was read
      }
      throw new ConfigException(source + ": reading a configuration file needs"
          + " com.fasterxml.jackson.core:jackson-databind on the class path", e);
    }
  }
}
