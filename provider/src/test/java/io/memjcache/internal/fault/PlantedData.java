package io.memjcache.internal.fault;

import io.memjcache.internal.client.ClientSettings;
import io.memjcache.internal.client.Item;
import io.memjcache.internal.client.MemcachedClient;
import io.memjcache.internal.jcache.store.KeyCodec;
import io.memjcache.testing.MemcachedServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.spi.CachingProvider;

/**
 * What someone else could do to a cache's items: a raw client that writes any bytes under the
 * memcached key of a cache entry (computed as the cache does: {@link KeyCodec}, the generation read
 * from the cache's generation item, the key's UTF-8 bytes), plus ways to observe the cache: its
 * rejection counter and the warnings it logs.
 */
final class PlantedData implements AutoCloseable {
  private final MemcachedClient raw;

  PlantedData(MemcachedServer server) {
    raw = new MemcachedClient(ClientSettings.of(List.of(server.address())));
  }

  /** A manager of {@code server} from a provider of its own. */
  static CacheManager manager(CachingProvider provider, MemcachedServer server) {
    Properties properties = new Properties();
    properties.setProperty("memjcache.operationTimeoutMillis", "5000");
    return provider.getCacheManager(URI.create("memcached://" + server.hostAndPort()),
        PlantedData.class.getClassLoader(), properties);
  }

  /** The memcached key of {@code key}'s entry in cache {@code cacheName}, in its current generation. */
  byte[] entryKey(String cacheName, String key) {
    KeyCodec codec = KeyCodec.forCache(cacheName);
    Item generation = MemcachedClient.await(raw.get(codec.generationKey()));
    if (generation == null) {
      throw new AssertionError("cache " + cacheName + " has no generation item yet");
    }
    long gen = Long.parseUnsignedLong(new String(generation.value(), StandardCharsets.US_ASCII).trim());
    return codec.generation(gen).entryKey(key.getBytes(StandardCharsets.UTF_8));
  }

  void plant(String cacheName, String key, byte[] bytes) {
    if (!MemcachedClient.await(raw.set(entryKey(cacheName, key), bytes, 0, 0)).stored()) {
      throw new AssertionError("could not plant under " + key);
    }
  }

  byte[] read(String cacheName, String key) {
    Item item = MemcachedClient.await(raw.get(entryKey(cacheName, key)));
    return item == null ? null : item.value();
  }

  @Override
  public void close() {
    raw.close();
  }

  /** Java serialization of {@code value}, as an attacker would write it. */
  static byte[] serialize(Object value) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * The cache's count of entries it refused to decode (corrupt, foreign, undeserializable). It is
   * not public API, so it is read reflectively from the cache's entry store.
   */
  static long rejections(Cache<?, ?> cache) {
    try {
      Object impl = cache.unwrap(Class.forName("io.memjcache.internal.jcache.MemcachedCache"));
      Field store = impl.getClass().getDeclaredField("store");
      store.setAccessible(true);
      Object entries = store.get(impl);
      Method count = entries.getClass().getDeclaredMethod("rejectedCount");
      count.setAccessible(true);
      return (long) count.invoke(entries);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("the cache's rejection counter moved: update PlantedData.rejections()", e);
    }
  }

  /** Collects the warnings (and worse) that memjcache logs while it is open. */
  static final class Warnings extends Handler implements AutoCloseable {
    private final Logger logger = Logger.getLogger("io.memjcache"); // held: JUL keeps loggers weakly
    private final List<LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();

    Warnings() {
      setLevel(Level.WARNING);
      logger.addHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
      if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
        records.add(record);
      }
    }

    List<String> messages() {
      List<String> messages = new ArrayList<>();
      for (LogRecord record : records) {
        messages.add(record.getLoggerName() + ": " + record.getMessage());
      }
      return messages;
    }

    int count() {
      return records.size();
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
      logger.removeHandler(this);
    }
  }
}
