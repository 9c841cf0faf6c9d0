package io.memjcache.internal.jcache;

import io.memjcache.internal.client.MemcachedClient;
import io.memjcache.internal.transport.MemcachedException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.CacheException;

/**
 * Waits for client operations on behalf of the JCache layer: client errors become {@link CacheException}s.
 *
 * <p>A lone waiter first spins briefly: an answer from a nearby memcached often arrives within
 * microseconds, and catching it spinning saves parking and waking the thread (a futex round trip
 * that costs tens of microseconds on a virtual machine). Spinning is bounded by
 * {@link #SPIN_NANOS} and done only while at most {@link #MAX_SPINNING_WAITERS} callers wait, so
 * many concurrent callers never burn the cores the I/O threads need.
 */
final class Awaits {
  /** The longest a caller spins before parking. */
  static final long SPIN_NANOS = 30_000;
  /** Callers spin only while no more than this many wait at once (this one included). */
  static final int MAX_SPINNING_WAITERS = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);

  private static final AtomicInteger WAITING = new AtomicInteger();

  private Awaits() {}

  static <T> T await(CompletableFuture<T> future) {
    if (future.isDone()) {
      return result(future);
    }
    int waiting = WAITING.incrementAndGet();
    try {
      if (waiting <= MAX_SPINNING_WAITERS) {
        long start = System.nanoTime();
        while (!future.isDone() && System.nanoTime() - start < SPIN_NANOS) {
          Thread.onSpinWait();
        }
      }
      return result(future);
    } finally {
      WAITING.decrementAndGet();
    }
  }

  private static <T> T result(CompletableFuture<T> future) {
    try {
      return MemcachedClient.await(future);
    } catch (MemcachedException e) {
      throw new CacheException(e.getMessage(), e);
    }
  }

  /** Callers waiting right now (for tests). */
  static int waiting() {
    return WAITING.get();
  }
}
