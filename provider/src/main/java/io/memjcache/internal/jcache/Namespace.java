package io.memjcache.internal.jcache;

import io.memjcache.internal.client.MemcachedClient;
import io.memjcache.internal.client.StoreResult;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The current generation of one cache. Every entry key embeds the generation, so {@code clear()} is
 * one increment of the generation item: entries of older generations become unreachable at once,
 * indexed or not, and age out of memcached by themselves. Other clients learn a new generation when
 * they next re-read the item, at most {@code refreshMillis} later.
 *
 * <p>A re-read that was under way while this JVM advanced the generation is dropped: its answer
 * may predate the increment, and taking it would move this JVM back to the cleared generation.
 */
final class Namespace {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Where the generation lives: memcached's generation item (tests substitute their own). */
  interface Source {
    /** The generation, creating the item if absent. */
    long read();

    /** The generation after incrementing it, or null if the item is gone. */
    Long increment();
  }

  private final Source source;
  private final long refreshNanos;
  private final AtomicLong checkedAtNanos = new AtomicLong();
  private volatile long generation;
  /** Incremented by every {@link #advance()}; guarded by this. */
  private long advances;

  Namespace(MemcachedClient client, byte[] generationKey, long refreshMillis) {
    this(new ServerSource(client, generationKey), refreshMillis);
  }

  Namespace(Source source, long refreshMillis) {
    this.source = source;
    this.refreshNanos = refreshMillis * 1_000_000L;
    this.generation = source.read();
    this.checkedAtNanos.set(System.nanoTime());
  }

  /** The generation to use now, re-read from memcached if the last read is older than the bound. */
  long current() {
    if (refreshNanos == 0) {
      return refresh();
    }
    long now = System.nanoTime();
    long checked = checkedAtNanos.get();
    // one caller re-reads when the bound has passed; the others go on with the value they have
    if (now - checked >= refreshNanos && checkedAtNanos.compareAndSet(checked, now)) {
      try {
        return refresh();
      } catch (RuntimeException e) {
        checkedAtNanos.set(checked); // let the next caller try again
        throw e;
      }
    }
    return generation;
  }

  /** Re-reads the generation; keeps what an advance() made meanwhile rather than the answer. */
  private long refresh() {
    long seen;
    synchronized (this) {
      seen = advances;
    }
    long read = source.read();
    synchronized (this) {
      if (advances == seen) {
        generation = read;
      }
      return generation;
    }
  }

  /** Starts a new generation for every client: the clear() and destroyCache() primitive. */
  long advance() {
    long seen;
    synchronized (this) {
      seen = advances;
    }
    Long incremented = source.increment();
    // the item was evicted: a fresh random generation is as good as a new one
    long next = incremented != null ? incremented : source.read();
    synchronized (this) {
      // two advances of this JVM at once: the larger increment is the later one
      if (advances == seen || incremented == null || next > generation) {
        generation = next;
      }
      advances++;
      checkedAtNanos.set(System.nanoTime());
      return generation;
    }
  }

  /**
   * Advances the generation of a cache this JVM does not have open, dropping its entries for every
   * client; does nothing (and creates nothing) when the cache has no generation item.
   */
  static void advanceOnServer(MemcachedClient client, byte[] generationKey) {
    new ServerSource(client, generationKey).increment();
  }

  /** The generation item in memcached. */
  private static final class ServerSource implements Source {
    private final MemcachedClient client;
    private final byte[] generationKey;

    ServerSource(MemcachedClient client, byte[] generationKey) {
      this.client = client;
      this.generationKey = generationKey;
    }

    @Override
    public Long increment() {
      try {
        return Awaits.await(client.incr(generationKey, 1, 0, MemcachedClient.NO_AUTO_CREATE));
      } catch (javax.cache.CacheException e) {
        if (!(e.getCause() instanceof io.memjcache.internal.transport.MemcachedServerException server)
            || server.status() != io.memjcache.internal.protocol.Status.NON_NUMERIC_VALUE) {
          throw e;
        }
        // Someone else's bytes under our key (read() tolerates them): a fresh random generation is
        // as new as an increment.
        long fresh = RANDOM.nextLong() >>> 2;
        Awaits.await(client.set(generationKey, Long.toString(fresh).getBytes(StandardCharsets.US_ASCII), 0, 0));
        return fresh;
      }
    }

    /** Reads the generation, creating it with a random value if absent (add settles races). */
    @Override
    public long read() {
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
}
