package io.memjcache.internal.crypto;

/** Where writer salts and nonces come from: a pool per thread (see {@link PooledEntropy}), or fixed bytes in tests. */
@FunctionalInterface
interface Entropy {
  /** Fills {@code bytes} with unpredictable bytes, never bytes handed out before. */
  void nextBytes(byte[] bytes);

  /** Unpredictable bytes from a generator and a small pool of its output, each per thread. */
  static Entropy secure() {
    ThreadLocal<PooledEntropy> perThread = ThreadLocal.withInitial(() -> new PooledEntropy(PooledEntropy.newGenerator()));
    return bytes -> perThread.get().nextBytes(bytes);
  }
}
