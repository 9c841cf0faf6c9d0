package io.memjcache.internal.crypto;

/** Where writer salts and nonces come from: per-thread pools of a generator's output (see {@link PooledEntropy}), or fixed bytes in tests. */
@FunctionalInterface
interface Entropy {
  /** Fills {@code bytes} with unpredictable bytes, never bytes handed out before. */
  void nextBytes(byte[] bytes);

  /** Unpredictable bytes from a generator and a small pool of its output, both per thread. */
  static Entropy secure() {
    return new PooledEntropy(PooledEntropy::newGenerator);
  }
}
