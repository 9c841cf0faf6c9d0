package io.memjcache.internal.jcache;

import io.memjcache.testing.MemcachedCluster;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * Two cache managers, A and B, on separate connections to the same servers, standing for two
 * application instances; plus a raw client. Subclasses choose the servers with
 * {@code @MemcachedTest}; every test gets a cache name of its own.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class TwoManagers {
  MemcachedCluster cluster;
  CacheManager a;
  CacheManager b;
  RawAccess raw;
  String name;

  @BeforeEach
  void openManagers(MemcachedCluster cluster, TestInfo test) {
    this.cluster = cluster;
    a = Managers.open(cluster.serverList());
    b = Managers.open(cluster.serverList());
    raw = new RawAccess(cluster.serverList());
    name = Managers.uniqueName(test.getTestMethod().orElseThrow().getName());
  }

  @AfterEach
  void closeManagers() {
    try {
      Managers.close(a);
      Managers.close(b);
    } finally {
      if (raw != null) {
        raw.close();
      }
    }
  }

  /** The cache of this test in A and in B, created with plain String settings. */
  Cache<String, String> createIn(CacheManager manager) {
    return manager.createCache(name, Managers.strings());
  }

  /** key-0 .. key-(n-1) mapped to value-0 .. value-(n-1), in order. */
  static Map<String, String> entries(int n) {
    Map<String, String> entries = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      entries.put("key-" + i, "value-" + i);
    }
    return entries;
  }

  static <K, V> Map<K, V> contents(Cache<K, V> cache) {
    Map<K, V> seen = new LinkedHashMap<>();
    for (Cache.Entry<K, V> entry : cache) {
      V previous = seen.put(entry.getKey(), entry.getValue());
      if (previous != null) {
        throw new AssertionError("the iterator returned " + entry.getKey() + " twice");
      }
    }
    return seen;
  }
}
