package io.memjcache.internal.security;

import io.memjcache.config.EncryptionKey;
import io.memjcache.config.EncryptionSettings;
import io.memjcache.config.KeyRing;
import io.memjcache.config.KeyRingSource;
import io.memjcache.config.MemcachedConfiguration;
import io.memjcache.internal.client.ClientSettings;
import io.memjcache.internal.client.Item;
import io.memjcache.internal.client.MemcachedClient;
import io.memjcache.internal.client.StoreResult;
import io.memjcache.internal.jcache.MemcachedCache;
import io.memjcache.internal.jcache.store.KeyCodec;
import io.memjcache.internal.jcache.store.KeyIndexFormat;
import io.memjcache.internal.transport.ConnectionSettings;
import io.memjcache.internal.transport.ConnectionStage;
import io.memjcache.spi.MemcachedCachingProvider;
import io.memjcache.testing.ItemScan;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * What the security ITs share: managers with their own provider and a URI of their own (so each
 * has its own management bean), a raw client that sees memcached as its operator would, keys, and
 * the rejection counters.
 */
final class SecurityFixtures {
  static final ConnectionSettings RAW_SETTINGS = ConnectionSettings.DEFAULTS
      .withOperationTimeout(Duration.ofSeconds(5)).withConnectTimeout(Duration.ofSeconds(5));
  private static final SecureRandom RANDOM = new SecureRandom();
  /** The key-index segments of a cache (the manager default). */
  static final int INDEX_SEGMENTS = 16;

  private SecurityFixtures() {}

  // ------------------------------------------------------------------ managers

  static Properties properties() {
    Properties properties = new Properties();
    properties.setProperty("memjcache.generationRefreshMillis", "100");
    properties.setProperty("memjcache.operationTimeoutMillis", "5000");
    properties.setProperty("memjcache.connectTimeoutMillis", "5000");
    return properties;
  }

  /** A manager of {@code servers} from a provider of its own; {@code tag} makes its URI unique. */
  static CacheManager open(String servers, String tag) {
    URI uri = URI.create("memcached://" + servers + "/" + tag + "-" + Long.toHexString(System.nanoTime()));
    return new MemcachedCachingProvider().getCacheManager(uri, SecurityFixtures.class.getClassLoader(), properties());
  }

  static void close(CacheManager manager) {
    if (manager != null) {
      manager.getCachingProvider().close();
      manager.close();
    }
  }

  static String uniqueName(String base) {
    return base + "-" + Long.toHexString(System.nanoTime());
  }

  static MemcachedConfiguration<String, String> strings() {
    return new MemcachedConfiguration<String, String>().setTypes(String.class, String.class);
  }

  static MemcachedConfiguration<String, String> encrypted(KeyRingSource source) {
    return strings().setEncryption(EncryptionSettings.builder().keyRing(source).build());
  }

  // ------------------------------------------------------------------ keys

  static byte[] material() {
    byte[] key = new byte[EncryptionKey.LENGTH];
    RANDOM.nextBytes(key);
    return key;
  }

  static KeyRing ring(EncryptionKey... keys) {
    return KeyRing.of(keys);
  }

  // ------------------------------------------------------------------ rejections

  /** The cache's count of values read and refused (the counter behind the management bean). */
  static long rejected(Cache<?, ?> cache) {
    MemcachedCache<?, ?> memcached = cache.unwrap(MemcachedCache.class);
    try {
      Field store = MemcachedCache.class.getDeclaredField("store");
      store.setAccessible(true);
      Object entryStore = store.get(memcached);
      Method count = entryStore.getClass().getDeclaredMethod("rejectedCount");
      count.setAccessible(true);
      return (Long) count.invoke(entryStore);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("the cache's rejection counter is not reachable: " + e, e);
    }
  }

  /** The manager's {@code RejectedValues} from its JMX bean, when such a bean is registered. */
  static OptionalLong jmxRejected(CacheManager manager) {
    try {
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      ObjectName name = new ObjectName("io.memjcache:type=CacheManager,uri="
          + ObjectName.quote(String.valueOf(manager.getURI())));
      if (!server.isRegistered(name)) {
        return OptionalLong.empty();
      }
      return OptionalLong.of(((Number) server.getAttribute(name, "RejectedValues")).longValue());
    } catch (javax.management.JMException e) {
      throw new AssertionError("reading RejectedValues failed: " + e, e);
    }
  }

  // ------------------------------------------------------------------ raw access

  /** A plain memcached client: what the memcached operator, or anyone on its network, sees. */
  static final class Raw implements AutoCloseable {
    final MemcachedClient client;
    private final InetSocketAddress address;

    Raw(InetSocketAddress address, ConnectionStage... stages) {
      this.address = address;
      this.client = new MemcachedClient(new ClientSettings(List.of(address), RAW_SETTINGS, null, List.of(stages)));
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

    long generation(String cacheName) {
      Item item = get(KeyCodec.forCache(cacheName).generationKey());
      if (item == null) {
        throw new AssertionError("cache '" + cacheName + "' has no generation item");
      }
      return Long.parseLong(new String(item.value(), StandardCharsets.US_ASCII).trim());
    }

    KeyCodec.Generation keys(String cacheName) {
      return KeyCodec.forCache(cacheName).generation(generation(cacheName));
    }

    /** The entry ids (lookup keys) the cache's key index lists. */
    List<byte[]> ids(String cacheName) {
      KeyCodec.Generation keys = keys(cacheName);
      List<byte[]> ids = new ArrayList<>();
      for (int segment = 0; segment < INDEX_SEGMENTS; segment++) {
        Item item = get(keys.indexSegmentKey(segment));
        if (item != null) {
          ids.addAll(KeyIndexFormat.replay(item.value()).liveKeys());
        }
      }
      return ids;
    }

    /** The memcached keys of the cache's entries, found through its index. */
    List<byte[]> entryKeys(String cacheName) {
      KeyCodec.Generation keys = keys(cacheName);
      List<byte[]> entryKeys = new ArrayList<>();
      for (byte[] id : ids(cacheName)) {
        entryKeys.add(keys.entryKey(id));
      }
      return entryKeys;
    }

    /** The memcached key of the cache's only entry. */
    byte[] onlyEntryKey(String cacheName) {
      List<byte[]> keys = entryKeys(cacheName);
      if (keys.size() != 1) {
        throw new AssertionError("cache '" + cacheName + "' should hold one entry, its index lists " + keys.size());
      }
      return keys.get(0);
    }

    /** Every memcached key the cache uses: generation, index segments, entries. */
    List<byte[]> allKeysOf(String cacheName) {
      KeyCodec.Generation keys = keys(cacheName);
      List<byte[]> all = new ArrayList<>();
      all.add(KeyCodec.forCache(cacheName).generationKey());
      for (int segment = 0; segment < INDEX_SEGMENTS; segment++) {
        all.add(keys.indexSegmentKey(segment));
      }
      all.addAll(entryKeys(cacheName));
      return all;
    }

    /**
     * Every key memcached holds ({@link ItemScan}, on a plaintext listener without SASL); empty if
     * the server does not answer it.
     */
    Optional<List<byte[]>> metadump() {
      try {
        return Optional.of(ItemScan.keys(address));
      } catch (IOException e) {
        return Optional.empty();
      }
    }

    /** memcached's {@code stats} of the (only) server. */
    Map<String, String> stats() {
      return MemcachedClient.await(client.stats(client.cluster().nodes().get(0), null));
    }

    long currentConnections() {
      return Long.parseLong(stats().get("curr_connections"));
    }

    @Override
    public void close() {
      client.close();
    }
  }

  /** The cache's entries, by iteration. */
  static <K, V> Map<K, V> contentsOf(Cache<K, V> cache) {
    Map<K, V> seen = new java.util.LinkedHashMap<>();
    for (Cache.Entry<K, V> entry : cache) {
      if (seen.put(entry.getKey(), entry.getValue()) != null) {
        throw new AssertionError("the iterator returned " + entry.getKey() + " twice");
      }
    }
    return seen;
  }

  /** Whether {@code needle} occurs in {@code haystack}. */
  static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
