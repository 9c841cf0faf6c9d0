package io.memjcache.internal.jcache;

import java.io.Closeable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CacheWriterException;

/**
 * A cache's loader and writer, called in the JVM that performs the operation. Whatever they throw
 * reaches the caller as a {@link CacheLoaderException} or {@link CacheWriterException}. Whether
 * read-through and write-through are on is read from the live configuration at each call.
 */
final class Integration<K, V> {
  private static final System.Logger LOG = System.getLogger(Integration.class.getName());

  private final CompleteConfiguration<K, V> configuration;
  private final CacheLoader<K, V> loader;
  private final CacheWriter<K, V> writer;

  Integration(CompleteConfiguration<K, V> configuration, CacheLoader<K, V> loader, CacheWriter<K, V> writer) {
    this.configuration = configuration;
    this.loader = loader;
    this.writer = writer;
  }

  /** The keys a batch write-through did not write or delete, and why (null if it wrote them all). */
  record Outcome<K>(Set<K> failed, CacheWriterException failure) {
    static <K> Outcome<K> done() {
      return new Outcome<>(Set.of(), null);
    }

    /** Throws the writer's failure, if there was one. */
    void rethrow() {
      if (failure != null) {
        throw failure;
      }
    }
  }

  /** Whether a miss is loaded (read-through on and a loader configured). */
  boolean readsThrough() {
    return configuration.isReadThrough() && loader != null;
  }

  /** The loader, whatever read-through says ({@code loadAll} uses it either way); may be null. */
  CacheLoader<K, V> loader() {
    return loader;
  }

  boolean writesThrough() {
    return configuration.isWriteThrough() && writer != null;
  }

  V load(K key) {
    try {
      return loader.load(key);
    } catch (CacheLoaderException e) {
      throw e;
    } catch (Exception e) {
      throw new CacheLoaderException(e);
    }
  }

  /** What the loader returned for {@code keys}; never null. */
  Map<K, V> loadAll(List<K> keys) {
    try {
      Map<K, V> loaded = loader.loadAll(keys);
      return loaded == null ? Map.of() : loaded;
    } catch (CacheLoaderException e) {
      throw e;
    } catch (Exception e) {
      throw new CacheLoaderException(e);
    }
  }

  void write(K key, V value) {
    if (!writesThrough()) {
      return;
    }
    try {
      writer.write(new MemcachedCacheEntry<>(key, value));
    } catch (CacheWriterException e) {
      throw e;
    } catch (Exception e) {
      throw new CacheWriterException(e);
    }
  }

  void delete(K key) {
    if (!writesThrough()) {
      return;
    }
    try {
      writer.delete(key);
    } catch (CacheWriterException e) {
      throw e;
    } catch (Exception e) {
      throw new CacheWriterException(e);
    }
  }

  /**
   * Writes {@code keys} with their values in {@code values}. A writer that fails leaves in the
   * collection it was given the entries it did not write (as the spec asks); those are the
   * outcome's failed keys, which the cache must not store.
   */
  Outcome<K> writeAll(List<K> keys, Map<K, V> values) {
    if (!writesThrough() || keys.isEmpty()) {
      return Outcome.done();
    }
    Collection<Cache.Entry<? extends K, ? extends V>> remaining = new ArrayList<>(keys.size());
    for (K key : keys) {
      remaining.add(new MemcachedCacheEntry<>(key, values.get(key)));
    }
    try {
      writer.writeAll(remaining);
      return Outcome.done();
    } catch (Exception e) {
      Set<K> failed = new HashSet<>();
      for (Cache.Entry<? extends K, ? extends V> entry : remaining) {
        failed.add(entry.getKey());
      }
      return new Outcome<>(failed, asWriterException(e));
    }
  }

  /** Deletes {@code keys}; like {@link #writeAll}, the keys the writer left are the failed ones. */
  @SuppressWarnings("unchecked")
  Outcome<K> deleteAll(List<K> keys) {
    if (!writesThrough() || keys.isEmpty()) {
      return Outcome.done();
    }
    Collection<Object> remaining = new ArrayList<>(keys);
    try {
      writer.deleteAll(remaining);
      return Outcome.done();
    } catch (Exception e) {
      Set<K> failed = new HashSet<>();
      for (Object key : remaining) {
        failed.add((K) key);
      }
      return new Outcome<>(failed, asWriterException(e));
    }
  }

  private static CacheWriterException asWriterException(Exception e) {
    return e instanceof CacheWriterException ? (CacheWriterException) e : new CacheWriterException(e);
  }

  /** Closes the loader and the writer if they are {@link Closeable}; a failure is logged. */
  void close() {
    closeQuietly(loader);
    closeQuietly(writer);
  }

  static void closeQuietly(Object resource) {
    if (resource instanceof Closeable) {
      try {
        ((Closeable) resource).close();
      } catch (Exception e) {
        LOG.log(System.Logger.Level.WARNING, "closing " + resource.getClass().getName() + " failed", e);
      }
    }
  }
}
