package io.memjcache.internal.jcache;

import io.memjcache.internal.client.ClientSettings;
import io.memjcache.internal.transport.ConnectionSettings;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import io.memjcache.serialization.JavaSerializationSettings;

/**
 * Settings of one cache manager, resolved from its URI and properties: the servers and the
 * transport and cache-layer tunables.
 *
 * @param servers the memcached servers
 * @param connection transport settings
 * @param generationRefreshMillis how stale a cache's view of another client's clear() may be
 * @param indexSegments key-index segments per cache
 */
public record ManagerSettings(
    List<InetSocketAddress> servers,
    ConnectionSettings connection,
    long generationRefreshMillis,
    int indexSegments,
    JavaSerializationSettings javaSerialization) {

  public static final String SERVERS_PROPERTY = "memjcache.servers";
  public static final String SERVERS_ENV = "MEMJCACHE_SERVERS";
  public static final String SCHEME = "memcached";
  static final long DEFAULT_GENERATION_REFRESH_MILLIS = 1000;
  static final int DEFAULT_INDEX_SEGMENTS = 16;

  /** The provider's default URI: {@code memcached://} plus the configured server list. */
  public static URI defaultUri() {
    String servers = System.getProperty(SERVERS_PROPERTY);
    if (servers == null || servers.isBlank()) {
      servers = System.getenv(SERVERS_ENV);
    }
    if (servers == null || servers.isBlank()) {
      servers = "localhost:11211";
    }
    return serversUri(servers.trim());
  }

  static URI serversUri(String servers) {
    try {
      return new URI(SCHEME + "://" + servers.replaceAll("\\s+", ""));
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("bad memcached server list '" + servers + "': " + e.getMessage(), e);
    }
  }

  /**
   * Settings for a manager URI. {@code memcached://h:p,h:p} names servers; any other URI is a
   * logical manager name served by the default server list. Properties override:
   * {@code memjcache.servers}, {@code memjcache.operationTimeoutMillis},
   * {@code memjcache.connectTimeoutMillis}, {@code memjcache.maxInFlight},
   * {@code memjcache.generationRefreshMillis}.
   */
  public static ManagerSettings resolve(URI uri, Properties properties) {
    String servers = properties.getProperty(SERVERS_PROPERTY);
    if (servers == null) {
      if (SCHEME.equalsIgnoreCase(uri.getScheme())) {
        servers = uri.getRawAuthority();
        if (servers == null || servers.isEmpty()) {
          throw new IllegalArgumentException("the URI " + uri + " names no memcached server");
        }
      } else {
        servers = defaultUri().getRawAuthority();
      }
    }
    ConnectionSettings connection = ConnectionSettings.DEFAULTS;
    long op = longProperty(properties, "memjcache.operationTimeoutMillis", connection.operationTimeout().toMillis());
    long connect = longProperty(properties, "memjcache.connectTimeoutMillis", connection.connectTimeout().toMillis());
    int maxInFlight = (int) longProperty(properties, "memjcache.maxInFlight", connection.maxInFlight());
    connection = connection.withOperationTimeout(Duration.ofMillis(op))
        .withConnectTimeout(Duration.ofMillis(connect))
        .withMaxInFlight(maxInFlight);
    long refresh = longProperty(properties, "memjcache.generationRefreshMillis", DEFAULT_GENERATION_REFRESH_MILLIS);
    if (refresh < 0) {
      throw new IllegalArgumentException("memjcache.generationRefreshMillis must not be negative, was " + refresh);
    }
    JavaSerializationSettings java = JavaSerializationSettings.DEFAULTS;
    String allowed = property(properties, "memjcache.serialization.allowedPatterns");
    if (allowed != null && !allowed.isBlank()) {
      java = java.withAllowedPatterns(allowed.trim().split("\\s*[,;]\\s*"));
    }
    return new ManagerSettings(ClientSettings.parseServers(servers), connection, refresh, DEFAULT_INDEX_SEGMENTS, java);
  }

  ClientSettings clientSettings() {
    return ClientSettings.of(servers).withConnection(connection);
  }

  /** A manager property, falling back to the system property of the same name. */
  private static String property(Properties properties, String name) {
    String value = properties.getProperty(name);
    return value != null ? value : System.getProperty(name);
  }

  private static long longProperty(Properties properties, String name, long fallback) {
    String value = property(properties, name);
    if (value == null) {
      return fallback;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("property " + name + " must be a number, was '" + value + "'");
    }
  }
}
