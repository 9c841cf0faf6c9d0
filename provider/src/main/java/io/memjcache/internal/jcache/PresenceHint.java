package io.memjcache.internal.jcache;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Which entries this JVM last saw in memcached: a lossy, fixed-size table of 64-bit hashes of entry
 * ids, filled by hits and successful writes and cleared by misses and deletes. It only chooses how
 * a put starts (REPLACE for an entry that probably exists, SET and its index record otherwise);
 * every answer may be wrong, and the put is correct either way, just one round trip slower.
 *
 * <p>Direct-mapped: a slot holds one hash, and a newer entry mapping to the same slot evicts the
 * older one. No allocation after the table; the table itself (128 KB) is made on first use.
 */
final class PresenceHint {
  static final int SLOTS = 1 << 14;

  private volatile AtomicLongArray table;

  /** Records that the entry {@code id} exists. */
  void present(byte[] id) {
    long h = hash(id);
    table().setOpaque(index(h), h);
  }

  /** Records that the entry {@code id} does not exist (any longer). */
  void absent(byte[] id) {
    AtomicLongArray t = table;
    if (t != null) {
      long h = hash(id);
      t.compareAndSet(index(h), h, 0L);
    }
  }

  /** Whether this JVM last saw {@code id} present; false when it does not know. */
  boolean probablyPresent(byte[] id) {
    AtomicLongArray t = table;
    if (t == null) {
      return false;
    }
    long h = hash(id);
    return t.getOpaque(index(h)) == h;
  }

  private AtomicLongArray table() {
    AtomicLongArray t = table;
    if (t == null) {
      synchronized (this) {
        t = table;
        if (t == null) {
          t = new AtomicLongArray(SLOTS);
          table = t;
        }
      }
    }
    return t;
  }

  private static int index(long hash) {
    return (int) (hash ^ (hash >>> 32)) & (SLOTS - 1);
  }

  /** A 64-bit hash of the id, never 0 (0 marks an empty slot). */
  static long hash(byte[] id) {
    long h = 0x9E3779B97F4A7C15L ^ id.length;
    for (byte b : id) {
      h = (h ^ (b & 0xff)) * 0x100000001B3L;
      h ^= h >>> 29;
    }
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    return h == 0 ? 1 : h;
  }
}
