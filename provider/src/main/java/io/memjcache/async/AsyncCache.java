package io.memjcache.async;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Reads of a memjcache cache that do not block the calling thread. Obtain it from any memjcache
 * cache: {@code AsyncCache<K, V> async = cache.unwrap(AsyncCache.class);}
 *
 * <p>Each method behaves as its {@link javax.cache.Cache} counterpart: the same result, the same
 * statistics, expiry, read-through and events. Invalid arguments and a closed cache throw at once,
 * as the synchronous methods do; failures of memcached complete the stage exceptionally with a
 * {@link javax.cache.CacheException}.
 *
 * <p><b>Threads.</b> When nothing but the read itself has to happen (no read-through loader, an
 * expiry policy that does not change expiry on access, and an entry that is present or absent
 * rather than expired), the stage completes on memjcache's I/O thread as soon as the answer
 * arrives, and the value is decrypted (with value encryption) and deserialized there. With value
 * encryption, a key ring that has not been read for two refresh intervals is read again first, on
 * the calling thread, as the synchronous reads do. Otherwise the synchronous operation runs
 * on the cache's own worker threads (those of {@link javax.cache.Cache#loadAll}). Dependent actions
 * attached without an executor ({@code thenApply}, {@code thenAccept}, ...) may therefore run on an
 * I/O thread shared by every request to that server: they must not block. Attach blocking work
 * with the {@code ...Async(fn, executor)} variants.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public interface AsyncCache<K, V> {

  /**
   * {@link javax.cache.Cache#get} without blocking.
   *
   * @return completes with the value, or null when there is none
   * @throws NullPointerException if {@code key} is null
   * @throws IllegalStateException if the cache is closed
   */
  CompletionStage<V> getAsync(K key);

  /**
   * {@link javax.cache.Cache#getAll} without blocking: one batch per server, whatever the number
   * of keys.
   *
   * @return completes with the entries found (the map's iteration order is unspecified)
   * @throws NullPointerException if {@code keys} is or contains null
   * @throws IllegalStateException if the cache is closed
   */
  CompletionStage<Map<K, V>> getAllAsync(Set<? extends K> keys);
}
