package io.memjcache.internal.crypto;

import java.security.SecureRandom;

/** Where writer salts and nonces come from: a {@link SecureRandom} per thread, or fixed bytes in tests. */
@FunctionalInterface
interface Entropy {
  /** Fills {@code bytes} with unpredictable bytes. */
  void nextBytes(byte[] bytes);

  /** The JDK's default {@link SecureRandom}, one per thread so that sealing threads never contend. */
  static Entropy secure() {
    ThreadLocal<SecureRandom> random = ThreadLocal.withInitial(SecureRandom::new);
    return bytes -> random.get().nextBytes(bytes);
  }
}
