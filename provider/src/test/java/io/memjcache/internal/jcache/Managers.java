package io.memjcache.internal.jcache;

import io.memjcache.spi.MemcachedCachingProvider;
import java.net.URI;
import java.util.Properties;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;

/**
 * Opens cache managers that are independent of each other: each comes from its own
 * {@link MemcachedCachingProvider}, so it has its own memcached connections, as a manager in another
 * JVM would.
 */
final class Managers {
  /** The generation refresh bound the cross-client tests configure: how stale a clear() may look. */
  static final long REFRESH_MILLIS = 100;
  /** What a test allows beyond {@link #REFRESH_MILLIS}: round trips and scheduling, not another refresh. */
  static final long SLACK_MILLIS = 600;

  private Managers() {}

  /** Manager properties with a short generation refresh and generous operation timeouts. */
  static Properties properties() {
    Properties properties = new Properties();
    properties.setProperty("memjcache.generationRefreshMillis", Long.toString(REFRESH_MILLIS));
    properties.setProperty("memjcache.operationTimeoutMillis", "5000");
    properties.setProperty("memjcache.connectTimeoutMillis", "5000");
    return properties;
  }

  /** A manager of {@code servers} ("h:p,h:p") from a provider of its own. */
  static CacheManager open(String servers) {
    return open(servers, properties());
  }

  static CacheManager open(String servers, Properties properties) {
    return new MemcachedCachingProvider()
        .getCacheManager(URI.create("memcached://" + servers), Managers.class.getClassLoader(), properties);
  }

  /** Closes the manager and the provider it came from; tolerates null. */
  static void close(CacheManager manager) {
    if (manager != null) {
      manager.getCachingProvider().close();
      manager.close();
    }
  }

  /** String keys and values: both stored as UTF-8 bytes, so the raw client can compute item keys. */
  static MutableConfiguration<String, String> strings() {
    return new MutableConfiguration<String, String>().setTypes(String.class, String.class);
  }

  /** A cache name no earlier test has used on these servers. */
  static String uniqueName(String base) {
    return base + "-" + Long.toHexString(System.nanoTime());
  }
}
