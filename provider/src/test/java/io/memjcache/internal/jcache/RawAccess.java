package io.memjcache.internal.jcache;

import io.memjcache.internal.client.ClientSettings;
import io.memjcache.internal.client.DeleteResult;
import io.memjcache.internal.client.Item;
import io.memjcache.internal.client.MemcachedClient;
import io.memjcache.internal.client.StoreResult;
import io.memjcache.internal.jcache.store.KeyCodec;
import io.memjcache.internal.jcache.store.KeyIndexFormat;
import io.memjcache.internal.transport.ConnectionSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * A plain memcached client beside the cache managers, for looking at and tampering with a cache's
 * items the way another program (or an attacker with network access) could: the generation item,
 * entry items and key-index segments, named with {@link KeyCodec}.
 */
final class RawAccess implements AutoCloseable {
  private static final ConnectionSettings SETTINGS = ConnectionSettings.DEFAULTS
      .withOperationTimeout(Duration.ofSeconds(5)).withConnectTimeout(Duration.ofSeconds(5));

  private final MemcachedClient client;

  RawAccess(String servers) {
    client = new MemcachedClient(ClientSettings.of(ClientSettings.parseServers(servers)).withConnection(SETTINGS));
  }

  MemcachedClient client() {
    return client;
  }

  /** The cache's current generation, read from its generation item. */
  long generation(String cacheName) {
    Item item = get(KeyCodec.forCache(cacheName).generationKey());
    if (item == null) {
      throw new AssertionError("cache '" + cacheName + "' has no generation item");
    }
    return Long.parseUnsignedLong(new String(item.value(), StandardCharsets.US_ASCII).trim());
  }

  /** The memcached keys of the cache's current generation. */
  KeyCodec.Generation keys(String cacheName) {
    return KeyCodec.forCache(cacheName).generation(generation(cacheName));
  }

  /** The memcached key of a String cache key (String keys serialize to their UTF-8 bytes). */
  byte[] entryKey(String cacheName, String key) {
    return keys(cacheName).entryKey(utf8(key));
  }

  Item get(byte[] key) {
    return MemcachedClient.await(client.get(key));
  }

  void set(byte[] key, byte[] value) {
    StoreResult result = MemcachedClient.await(client.set(key, value, 0, 0));
    if (!result.stored()) {
      throw new AssertionError("raw set failed: " + result);
    }
  }

  boolean delete(byte[] key) {
    return MemcachedClient.await(client.delete(key, 0)) == DeleteResult.DELETED;
  }

  /** Deletes the index segments whose number matches; returns how many existed. */
  int deleteIndexSegments(String cacheName, IntPredicate which) {
    KeyCodec.Generation keys = keys(cacheName);
    int deleted = 0;
    for (int segment = 0; segment < ManagerSettings.DEFAULT_INDEX_SEGMENTS; segment++) {
      if (which.test(segment) && delete(keys.indexSegmentKey(segment))) {
        deleted++;
      }
    }
    return deleted;
  }

  /** The total size in bytes of the cache's index segment items. */
  long indexBytes(String cacheName) {
    KeyCodec.Generation keys = keys(cacheName);
    long total = 0;
    for (int segment = 0; segment < ManagerSettings.DEFAULT_INDEX_SEGMENTS; segment++) {
      Item item = get(keys.indexSegmentKey(segment));
      if (item != null) {
        total += item.value().length;
      }
    }
    return total;
  }

  /** The String keys the cache's index segments list, replayed as a reader would. */
  Set<String> indexedKeys(String cacheName) {
    KeyCodec.Generation keys = keys(cacheName);
    Set<String> indexed = new HashSet<>();
    for (int segment = 0; segment < ManagerSettings.DEFAULT_INDEX_SEGMENTS; segment++) {
      Item item = get(keys.indexSegmentKey(segment));
      if (item != null) {
        for (byte[] key : KeyIndexFormat.replay(item.value()).liveKeys()) {
          indexed.add(new String(key, StandardCharsets.UTF_8));
        }
      }
    }
    return indexed;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    client.close();
  }
}
