package io.memjcache.internal.jcache;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.internal.jcache.store.KeyCodec;
import io.memjcache.testing.FaultProxy;
import io.memjcache.testing.MemcachedCluster;
import io.memjcache.testing.MemcachedTest;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A conditional write whose entry is stored on one server while the append of its key-index record
 * to another server fails: the write stands (it is reported and written through, since the index
 * is only for iteration), and the key becomes iterable once this JVM writes it again, rather than
 * being overwritten forever without a record.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IndexAppendFailureIT {
  private static final int SEGMENTS = ManagerSettings.DEFAULT_INDEX_SEGMENTS;

  @Test
  @MemcachedTest(nodes = 2)
  void putIfAbsent_whoseIndexAppendFailed_keyIsIndexedByTheNextPut(MemcachedCluster servers) throws Exception {
    try (FaultProxy proxy = FaultProxy.start(servers.node(1).address(), Duration.ofMinutes(1))) {
      String serverList = servers.node(0).hostAndPort() + "," + proxy.hostAndPort();
      String direct = servers.node(0).hostAndPort();
      Properties properties = Managers.properties();
      properties.setProperty("memjcache.operationTimeoutMillis", "300");
      CacheManager manager = Managers.open(serverList, properties);
      try (RawAccess raw = new RawAccess(serverList)) {
        Predicate<byte[]> onDirectNode = key -> raw.client().nodeFor(key).name().equals(direct);
        String name = Managers.uniqueName("append-failure");
        while (!onDirectNode.test(KeyCodec.forCache(name).generationKey())) {
          name = Managers.uniqueName("append-failure"); // the stall must not hold up the generation's re-reads
        }
        RecordingWriter<String, String> writer = new RecordingWriter<>();
        Cache<String, String> cache = manager.createCache(name, Managers.strings().setWriteThrough(true)
            .setCacheWriterFactory(new javax.cache.configuration.FactoryBuilder.SingletonFactory<>(writer)));
        KeyCodec.Generation keys = raw.keys(name);
        String key = null;
        for (int i = 0; key == null; i++) {
          String candidate = "key-" + i;
          byte[] id = RawAccess.utf8(candidate);
          if (onDirectNode.test(keys.entryKey(id))
              && !onDirectNode.test(keys.indexSegmentKey(KeyCodec.segmentFor(id, SEGMENTS)))) {
            key = candidate; // its entry on the direct node, its index segment behind the proxy
          }
        }
        int segment = KeyCodec.segmentFor(RawAccess.utf8(key), SEGMENTS);
        String neighbour = null;
        for (int i = 0; neighbour == null; i++) {
          String candidate = "neighbour-" + i;
          if (KeyCodec.segmentFor(RawAccess.utf8(candidate), SEGMENTS) == segment) {
            neighbour = candidate;
          }
        }
        cache.put(neighbour, "n"); // the segment exists: no repair will index the key by chance

        proxy.stall();
        String k = key;
        assertTrue(cache.putIfAbsent(k, "first"), "the entry is stored: a failed index append does not undo it");
        assertNotNull(raw.get(keys.entryKey(RawAccess.utf8(key))), "the entry itself was stored");
        assertTrue(writer.written().contains(key), "and written through, as the call reported: " + writer.written());
        proxy.reset(); // the stalled append is lost, as in a real cut
        proxy.passThrough();

        Deadlines.awaitTrue(10_000, () -> "the put never succeeded after the path healed", () -> {
          try {
            cache.put(k, "second");
            return true;
          } catch (CacheException e) {
            return false; // reconnecting
          }
        });

        assertTrue(raw.indexedKeys(name).contains(key), "the key has no index record: " + raw.indexedKeys(name));
        assertTrue(TwoManagers.contents(cache).containsKey(key), "iteration misses the key");
      } finally {
        Managers.close(manager);
      }
    }
  }
}
