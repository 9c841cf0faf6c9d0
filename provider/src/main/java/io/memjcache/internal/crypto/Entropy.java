package io.memjcache.internal.crypto;

import java.security.SecureRandom;

/** Where writer salts and nonces come from: a {@link SecureRandom} per thread, or fixed bytes in tests. */
@FunctionalInterface
interface Entropy {
  /** Fills {@code bytes} with unpredictable bytes. */
  void nextBytes(byte[] bytes);

  /**
   * The JDK's default {@link SecureRandom}, one per thread. On Linux that is NativePRNG, whose
   * instances share one source and its lock: 12 bytes cost about 0.17 µs from one thread and
   * 0.85 µs each from 4 threads on 2 cores (per-instance DRBG: 0.33 and 0.61), which matters only
   * for many threads sealing at once.
   */
  static Entropy secure() {
    ThreadLocal<SecureRandom> random = ThreadLocal.withInitial(SecureRandom::new);
    return bytes -> random.get().nextBytes(bytes);
  }
}
