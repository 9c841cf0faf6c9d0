package io.memjcache.cdi;

import io.memjcache.testing.MemcachedCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/**
 * A Weld SE container over a few bean classes and the extension (without classpath scanning Weld
 * SE reads no META-INF/services; {@link DiscoveryIT} covers that path), whose default JCache manager
 * is memjcache's default manager pointed at the test's memcached through {@code memjcache.servers}.
 */
final class CdiContainer implements AutoCloseable {
  private static final AtomicInteger IDS = new AtomicInteger();

  private static final String SERVERS = "memjcache.servers";
  /**
   * memjcache's deserialization allow-list holds the JDK's value types and collections; cached
   * exceptions (with their stack traces) need their classes allowed as well.
   */
  private static final String ALLOWED = "memjcache.serialization.allowedPatterns";

  private final WeldContainer weld;
  private final String savedServers;
  private final String savedAllowed;

  private CdiContainer(WeldContainer weld, String savedServers, String savedAllowed) {
    this.weld = weld;
    this.savedServers = savedServers;
    this.savedAllowed = savedAllowed;
  }

  static CdiContainer start(MemcachedCluster cluster, Class<?>... beans) {
    String savedServers = System.getProperty(SERVERS);
    String savedAllowed = System.getProperty(ALLOWED);
    System.setProperty(SERVERS, cluster.serverList());
    System.setProperty(ALLOWED, "java.lang.*,java.io.IOException,io.memjcache.cdi.*");
    Weld weld = new Weld("cdi-test-" + IDS.incrementAndGet()).disableDiscovery().addBeanClasses(beans)
        .addExtension(new CacheAnnotationsExtension());
    return new CdiContainer(weld.initialize(), savedServers, savedAllowed);
  }

  <T> T bean(Class<T> type) {
    return weld.select(type).get();
  }

  /** The manager the default resolver factory uses. */
  static CacheManager manager() {
    return Caching.getCachingProvider().getCacheManager();
  }

  static Cache<Object, Object> cache(String name) {
    Cache<Object, Object> cache = manager().getCache(name);
    if (cache == null) {
      throw new AssertionError("no cache named " + name + "; the manager has " + names());
    }
    return cache;
  }

  private static List<String> names() {
    List<String> names = new ArrayList<>();
    manager().getCacheNames().forEach(names::add);
    return names;
  }

  /** Empties every cache the default manager knows, so that each test starts cold. */
  static void clearCaches() {
    CacheManager manager = manager();
    for (String name : manager.getCacheNames()) {
      Cache<Object, Object> cache = manager.getCache(name);
      if (cache != null) {
        cache.clear();
      }
    }
  }

  private static void restore(String property, String value) {
    if (value == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, value);
    }
  }

  @Override
  public void close() {
    try {
      weld.shutdown();
    } finally {
      Caching.getCachingProvider().close();
      restore(SERVERS, savedServers);
      restore(ALLOWED, savedAllowed);
    }
  }
}
