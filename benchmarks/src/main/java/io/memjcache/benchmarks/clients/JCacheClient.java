package io.memjcache.benchmarks.clients;

import io.memjcache.async.AsyncCache;
import io.memjcache.benchmarks.BenchClient;
import io.memjcache.benchmarks.KeySpace;
import io.memjcache.benchmarks.Security;
import io.memjcache.config.EncryptionSettings;
import io.memjcache.config.KeyRingSource;
import io.memjcache.config.MemcachedConfiguration;
import io.memjcache.config.TlsSettings;
import java.net.URI;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;

/**
 * memjcache through the JCache API only: a {@code Cache<String, byte[]>} from
 * {@code MutableConfiguration} with default settings (eternal, no listeners, statistics and
 * management off), on a manager for {@code memcached://host:port} without properties. The
 * variants change one setting each, through the public {@link MemcachedConfiguration}: TLS
 * (trusting the run's CA, hostname verification on, every other TLS setting at its default) or
 * value encryption (a key ring generated for the run, every other encryption setting at its default).
 */
public final class JCacheClient implements BenchClient {
  static final String PROVIDER = "io.memjcache.spi.MemcachedCachingProvider";

  /** Which memjcache configuration is measured. */
  public enum Variant {
    PLAIN("memjcache", "bench-"),
    TLS("memjcache-tls", "bench-"), // on its own server, so the cache name may be the same
    ENCRYPTED("memjcache-encrypted", "bench-enc-");

    final String clientName;
    final String cachePrefix;

    Variant(String clientName, String cachePrefix) {
      this.clientName = clientName;
      this.cachePrefix = cachePrefix;
    }
  }

  private final Variant variant;

  private final CachingProvider provider;
  private final CacheManager manager;
  private final Cache<String, byte[]> cache;
  private final AsyncCache<String, byte[]> async;
  private final String[] keys;
  private final Set<String>[] batches;

  public JCacheClient(String servers, int valueSize) {
    this(servers, valueSize, Variant.PLAIN);
  }

  @SuppressWarnings("unchecked")
  public JCacheClient(String servers, int valueSize, Variant variant) {
    this.variant = variant;
    provider = Caching.getCachingProvider(PROVIDER);
    manager = provider.getCacheManager(URI.create("memcached://" + servers), JCacheClient.class.getClassLoader());
    String name = variant.cachePrefix + valueSize;
    Cache<String, byte[]> existing = manager.getCache(name, String.class, byte[].class);
    cache = existing != null ? existing : manager.createCache(name, configuration(variant));
    async = cache.unwrap(AsyncCache.class);
    keys = KeySpace.keys("");
    batches = new Set[KeySpace.BATCHES];
    for (int b = 0; b < KeySpace.BATCHES; b++) {
      batches[b] = new LinkedHashSet<>(KeySpace.batch(keys, b));
    }
  }

  private static MutableConfiguration<String, byte[]> configuration(Variant variant) {
    switch (variant) {
      case TLS:
        return new MemcachedConfiguration<String, byte[]>().setTypes(String.class, byte[].class)
            .setTls(TlsSettings.builder().trustCertificates(Security.tlsCa()).build());
      case ENCRYPTED:
        return new MemcachedConfiguration<String, byte[]>().setTypes(String.class, byte[].class)
            .setEncryption(EncryptionSettings.builder().keyRing(KeyRingSource.fromFile(Security.keyRingFile())).build());
      default:
        return new MutableConfiguration<String, byte[]>().setTypes(String.class, byte[].class);
    }
  }

  @Override
  public String name() {
    return variant.clientName;
  }

  @Override
  public byte[] get(int index) {
    return cache.get(keys[index]);
  }

  @Override
  public void put(int index, byte[] value) {
    cache.put(keys[index], value);
  }

  @Override
  public int getAllChecked(int batch, int valueSize) {
    Map<String, byte[]> got = cache.getAll(batches[batch]);
    if (got.size() != KeySpace.BATCH) {
      throw new IllegalStateException(name() + ": getAll returned " + got.size() + " of " + KeySpace.BATCH + " keys");
    }
    int base = batch * KeySpace.BATCH;
    for (int i = 0; i < KeySpace.BATCH; i++) {
      KeySpace.check(got.get(keys[base + i]), base + i, valueSize, name());
    }
    return KeySpace.BATCH;
  }

  @Override
  public boolean hasAsync() {
    return true;
  }

  /** {@link AsyncCache#getAsync}: the public asynchronous read of every memjcache cache. */
  @Override
  public Future<?> getAsync(int index) {
    return async.getAsync(keys[index]).toCompletableFuture();
  }

  @Override
  public void populate(byte[][] values) {
    for (int b = 0; b < KeySpace.BATCHES; b++) {
      Map<String, byte[]> chunk = new HashMap<>();
      for (int i = b * KeySpace.BATCH; i < (b + 1) * KeySpace.BATCH; i++) {
        chunk.put(keys[i], values[i]);
      }
      cache.putAll(chunk);
    }
  }


  @Override
  public void close() {
    manager.close();
  }
}
