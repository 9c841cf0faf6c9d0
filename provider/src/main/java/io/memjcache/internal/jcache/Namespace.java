package io.memjcache.internal.jcache;

import io.memjcache.internal.client.MemcachedClient;
import io.memjcache.internal.client.StoreResult;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * The current generation of one cache. Every entry key embeds the generation, so {@code clear()} is
 * one increment of the generation item: entries of older generations become unreachable at once,
 * indexed or not, and age out of memcached by themselves. Other clients learn a new generation when
 * they next re-read the item, at most {@code refreshMillis} later.
 */
final class Namespace {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final MemcachedClient client;
  private final byte[] generationKey;
  private final long refreshNanos;
  private volatile long generation;
  private final java.util.concurrent.atomic.AtomicLong checkedAtNanos = new java.util.concurrent.atomic.AtomicLong();

  Namespace(MemcachedClient client, byte[] generationKey, long refreshMillis) {
    this.client = client;
    this.generationKey = generationKey;
    this.refreshNanos = refreshMillis * 1_000_000L;
    this.generation = read();
    this.checkedAtNanos.set(System.nanoTime());
  }

  /** The generation to use now, re-read from memcached if the last read is older than the bound. */
  long current() {
    if (refreshNanos == 0) {
      generation = read();
      return generation;
    }
    long now = System.nanoTime();
    long checked = checkedAtNanos.get();
    // one caller re-reads when the bound has passed; the others go on with the value they have
    if (now - checked >= refreshNanos && checkedAtNanos.compareAndSet(checked, now)) {
      try {
        generation = read();
      } catch (RuntimeException e) {
        checkedAtNanos.set(checked); // let the next caller try again
        throw e;
      }
    }
    return generation;
  }

  /** Starts a new generation for every client: the clear() and destroyCache() primitive. */
  long advance() {
    Long next = Awaits.await(client.incr(generationKey, 1, 0, MemcachedClient.NO_AUTO_CREATE));
    if (next == null) {
      next = read(); // the item was evicted: a fresh random generation is as good as a new one
    }
    generation = next;
    checkedAtNanos.set(System.nanoTime());
    return next;
  }

  /** Reads the generation, creating it with a random value if absent (add settles races). */
  private long read() {
    for (int attempt = 0; attempt < 10; attempt++) {
      var item = Awaits.await(client.get(generationKey));
      if (item != null) {
        return parse(item.value());
      }
      long fresh = RANDOM.nextLong() >>> 2; // room to increment without wrapping
      StoreResult added = Awaits.await(client.add(generationKey,
          Long.toString(fresh).getBytes(StandardCharsets.US_ASCII), 0, 0));
      if (added.stored()) {
        return fresh;
      }
    }
    throw new javax.cache.CacheException("cannot read or create the generation item of the cache");
  }

  private static long parse(byte[] value) {
    String text = new String(value, StandardCharsets.US_ASCII).trim();
    try {
      return Long.parseUnsignedLong(text);
    } catch (NumberFormatException e) {
      // Someone else's bytes under our key: derive a generation from them rather than fail.
      return text.hashCode() & 0x7fffffffL;
    }
  }
}
