package io.memjcache.internal.jcache;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Which entries this JVM last saw in memcached: a lossy, fixed-size table of 32-bit fingerprints
 * of entry ids, filled by hits and successful writes and cleared by misses and deletes. It only
 * chooses how a put starts (REPLACE for an entry that probably exists, SET and its index record
 * otherwise); every answer may be wrong (a fingerprint shared by two ids, an id evicted by others),
 * and the put is correct either way, just one round trip slower.
 *
 * <p>Set-associative: an id's fingerprint goes in one of the {@value #WAYS} slots of its bucket,
 * and a newer id evicts one of them only when all are taken. With one slot per id (direct-mapped,
 * the first version) 10,000 ids in 16,384 slots kept only about three quarters of them: a quarter
 * of the puts in the benchmark's key space took the two round trips of a creation. No allocation
 * after the table; the table itself (128 KB) is made on first use.
 */
final class PresenceHint {
  static final int WAYS = 4;
  static final int BUCKETS = 1 << 13;
  static final int SLOTS = BUCKETS * WAYS;

  private volatile AtomicIntegerArray table;
  /** Which way a full bucket gives up next; racy on purpose (any way will do). */
  private int victim;

  /** Records that the entry {@code id} exists. */
  void present(byte[] id) {
    long h = hash(id);
    int fingerprint = fingerprint(h);
    AtomicIntegerArray t = table();
    int base = base(h);
    int free = -1;
    for (int i = base; i < base + WAYS; i++) {
      int f = t.getOpaque(i);
      if (f == fingerprint) {
        return; // already known: no write, no shared cache line dirtied
      }
      if (f == 0 && free < 0) {
        free = i;
      }
    }
    if (free < 0) {
      free = base + (victim++ & (WAYS - 1));
    }
    t.setOpaque(free, fingerprint);
  }

  /** Records that the entry {@code id} does not exist (any longer). */
  void absent(byte[] id) {
    AtomicIntegerArray t = table;
    if (t != null) {
      long h = hash(id);
      int fingerprint = fingerprint(h);
      int base = base(h);
      for (int i = base; i < base + WAYS; i++) {
        t.compareAndSet(i, fingerprint, 0);
      }
    }
  }

  /** Whether this JVM last saw {@code id} present; false when it does not know. */
  boolean probablyPresent(byte[] id) {
    AtomicIntegerArray t = table;
    if (t == null) {
      return false;
    }
    long h = hash(id);
    int fingerprint = fingerprint(h);
    int base = base(h);
    for (int i = base; i < base + WAYS; i++) {
      if (t.getOpaque(i) == fingerprint) {
        return true;
      }
    }
    return false;
  }

  private AtomicIntegerArray table() {
    AtomicIntegerArray t = table;
    if (t == null) {
      synchronized (this) {
        t = table;
        if (t == null) {
          t = new AtomicIntegerArray(SLOTS);
          table = t;
        }
      }
    }
    return t;
  }

  /** The first slot of the id's bucket (the bucket from the hash's low bits). */
  static int base(long hash) {
    return ((int) hash & (BUCKETS - 1)) * WAYS;
  }

  /** The id's fingerprint (the hash's high bits), never 0 (0 marks an empty slot). */
  static int fingerprint(long hash) {
    int f = (int) (hash >>> 32);
    return f == 0 ? 1 : f;
  }

  /** A 64-bit hash of the id. */
  static long hash(byte[] id) {
    long h = 0x9E3779B97F4A7C15L ^ id.length;
    for (byte b : id) {
      h = (h ^ (b & 0xff)) * 0x100000001B3L;
      h ^= h >>> 29;
    }
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    return h;
  }
}
