package io.memjcache.internal.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.memjcache.spi.MemcachedCachingProvider;
import io.memjcache.testing.MemcachedCluster;
import io.memjcache.testing.MemcachedTest;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A value over memcached's item size, written by a manager that has not yet talked to the node
 * owning the key: it must still be refused before it is sent, because memcached drops an item's
 * current value when it refuses a SET for size. Only a cluster shows this: a fresh manager connects
 * to the node of the cache's generation item first, and to the others on first use.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BadInputThreeNodesIT {

  private static CacheManager manager(MemcachedCachingProvider provider, MemcachedCluster cluster) {
    Properties properties = new Properties();
    properties.setProperty("memjcache.operationTimeoutMillis", "5000");
    return provider.getCacheManager(URI.create("memcached://" + cluster.serverList()),
        BadInputThreeNodesIT.class.getClassLoader(), properties);
  }

  @Test
  @MemcachedTest(nodes = 3, maxItemSize = "1m")
  void valueOverTheItemSize_fromAManagerNewToTheKeysNode_isRefusedAndTheOldValueStays(MemcachedCluster cluster) {
    String name = "too-large-" + Long.toHexString(System.nanoTime());
    MutableConfiguration<String, String> strings = new MutableConfiguration<String, String>().setTypes(String.class, String.class);
    MemcachedCachingProvider first = new MemcachedCachingProvider();
    MemcachedCachingProvider second = new MemcachedCachingProvider();
    try {
      Cache<String, String> writer = manager(first, cluster).createCache(name, strings);
      int keys = 30;
      for (int i = 0; i < keys; i++) {
        writer.put("k" + i, "previous-" + i);
      }
      Cache<String, String> fresh = manager(second, cluster).createCache(name, strings);
      String huge = "v".repeat(1024 * 1024 + 10);
      List<String> problems = new ArrayList<>();
      for (int i = 0; i < keys; i++) {
        try {
          fresh.put("k" + i, huge);
          problems.add("k" + i + ": stored");
        } catch (CacheException expected) {
          // refused, as it must be
        } catch (RuntimeException e) {
          problems.add("k" + i + ": " + e.getClass().getSimpleName() + " instead of CacheException");
        }
        String now = writer.get("k" + i);
        if (!("previous-" + i).equals(now)) {
          problems.add("k" + i + ": old value " + (now == null ? "lost" : "changed"));
        }
      }
      assertEquals(List.of(), problems);
    } finally {
      second.close();
      first.close();
    }
  }
}
