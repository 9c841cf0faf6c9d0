package io.memjcache.internal.crypto;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The key one writer (one cache in one JVM) seals with, derived from the primary key's cache
 * value key and a random writer salt, and how often it has been used. A writer key seals at most
 * {@code limit} values; then the writer draws a new salt. This is what keeps every AES-GCM key
 * below the 2^32 random-nonce bound of NIST SP 800-38D without coordination (docs/ENVELOPE.md).
 */
final class WriterKey {
  /** Seals per writer key: 2^31, half the NIST bound. */
  static final long DEFAULT_LIMIT = 1L << 31;
  /** Bytes of a writer salt: 128 bits. */
  static final int SALT_LENGTH = 16;

  final int keyId;
  final byte[] salt;
  final byte[] key;
  private final long limit;
  private final AtomicLong uses = new AtomicLong();

  WriterKey(int keyId, byte[] salt, byte[] key, long limit) {
    this.keyId = keyId;
    this.salt = salt;
    this.key = key;
    this.limit = limit;
  }

  /** Takes one use; false once the limit is reached (and for every later call). */
  boolean tryUse() {
    return uses.incrementAndGet() <= limit;
  }

  /** Uses taken so far, capped at the limit. */
  long uses() {
    return Math.min(uses.get(), limit);
  }
}
