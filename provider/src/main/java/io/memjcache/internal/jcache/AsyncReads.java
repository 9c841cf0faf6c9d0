package io.memjcache.internal.jcache;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * A cache's {@link io.memjcache.async.AsyncCache} reads. When a read needs nothing but its answer
 * ({@link MemcachedCache#readsOnly()}), the result completes on the I/O thread as the answer
 * arrives, with the same statistics as a synchronous read; otherwise (read-through, access
 * expiry, an expired entry to remove) the synchronous operation runs on the cache's worker
 * threads. The caller has checked its arguments.
 */
final class AsyncReads<K, V> {
  private final MemcachedCache<K, V> cache;
  private final EntryStore store;
  private final ExecutorService workers;

  AsyncReads(MemcachedCache<K, V> cache, EntryStore store, ExecutorService workers) {
    this.cache = cache;
    this.store = store;
    this.workers = workers;
  }

  CompletionStage<V> get(K key) {
    if (!cache.readsOnly()) {
      return onWorker(() -> cache.get(key));
    }
    long start = System.nanoTime();
    EntryStore.PendingRead read = store.readAsync(cache.skey(key));
    CompletableFuture<V> result = new CompletableFuture<>();
    read.hit().whenComplete((hit, error) -> { // one stage: this runs on the I/O thread as the answer arrives
      if (error != null) {
        result.completeExceptionally(Awaits.failure(error));
        return;
      }
      try {
        Slot slot = cache.decoded(store.finish(read, hit), true);
        long now = MemcachedCache.now();
        if (slot.expired(now)) {
          relay(onWorker(() -> cache.get(key)), result); // removing the expired entry waits for memcached
          return;
        }
        boolean present = slot.present(now);
        if (cache.statisticsEnabled()) {
          if (present) {
            cache.statistics().recordHits(1);
          } else {
            cache.statistics().recordMisses(1);
          }
          cache.statistics().recordGetTime(System.nanoTime() - start);
        }
        result.complete(present ? cache.decode(slot) : null);
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    });
    return result;
  }

  @SuppressWarnings("unchecked")
  CompletionStage<Map<K, V>> getAll(Set<? extends K> keys) {
    Object[] array = keys.toArray();
    byte[][] skeys = cache.serializeKeys(array);
    Set<K> copy = new LinkedHashSet<>((List<K>) Arrays.asList(array)); // the caller may change its set meanwhile
    if (!cache.readsOnly()) {
      return onWorker(() -> cache.getAll(copy));
    }
    long start = System.nanoTime();
    return store.readAllAsync(skeys).thenCompose(read -> {
      long now = MemcachedCache.now();
      Map<K, V> result = new HashMap<>((int) (read.length / 0.75f) + 1);
      for (int i = 0; i < read.length; i++) {
        Slot slot = cache.decoded(read[i], true);
        if (slot.expired(now)) {
          return onWorker(() -> cache.getAll(copy)); // removing the expired entry waits for memcached
        }
        if (slot.present(now)) {
          result.put((K) array[i], cache.decode(slot));
        }
      }
      if (cache.statisticsEnabled()) {
        cache.statistics().recordHits(result.size());
        cache.statistics().recordMisses(read.length - result.size());
        cache.statistics().recordGetTime(System.nanoTime() - start);
      }
      return CompletableFuture.completedFuture(result);
    });
  }

  /** Runs a synchronous operation on the cache's worker threads. */
  private <T> CompletableFuture<T> onWorker(Supplier<T> operation) {
    try {
      return CompletableFuture.supplyAsync(operation, workers);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new IllegalStateException("cache '" + cache.getName() + "' is closed", e));
    }
  }

  private static <T> void relay(CompletableFuture<T> from, CompletableFuture<T> to) {
    from.whenComplete((value, error) -> {
      if (error != null) {
        to.completeExceptionally(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
      } else {
        to.complete(value);
      }
    });
  }
}
