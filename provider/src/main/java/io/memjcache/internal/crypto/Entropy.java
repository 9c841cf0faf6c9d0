package io.memjcache.internal.crypto;

import java.security.SecureRandom;

/** Where writer salts and nonces come from: a {@link SecureRandom} per thread, or fixed bytes in tests. */
@FunctionalInterface
interface Entropy {
  /** Fills {@code bytes} with unpredictable bytes. */
  void nextBytes(byte[] bytes);

  /**
   * The JDK's default {@link SecureRandom}, one per thread, asked for every nonce and salt. On Linux
   * that is NativePRNG, whose instances share one source and its locks: 12 bytes cost about
   * 0.14-0.17 µs from one thread and 0.85-1.5 µs each from 4 threads on 2 cores, which matters only
   * for many threads sealing at once (a seal of 100 B takes 0.65 µs from one thread, 2.9 µs each
   * from four).
   *
   * <p>Faster sources were measured and rejected because they are not safe when a JVM is cloned
   * from a snapshot (CRaC, AWS Lambda SnapStart, VM snapshots), where every clone starts with the
   * same memory. NativePRNG mixes in bytes it re-reads from {@code /dev/urandom} when its 32
   * buffered bytes are used up or 100 ms old, and the kernel's generator is not in a CRaC snapshot
   * and is reseeded for a cloned VM, so clones soon draw different nonces. A pool
   * of bytes drawn ahead (32 nonces a thread: 0.09 µs per nonce from one thread, 0.40 from four)
   * would hand every clone the same nonces until it ran out, and a DRBG per thread (pooled: 0.04
   * and 0.08 µs) never reseeds by itself, so clones would repeat nonces for good: with the writer
   * key also cloned, that is GCM nonce reuse. Keep drawing each nonce from a source that re-reads
   * the system's entropy.
   */
  static Entropy secure() {
    ThreadLocal<SecureRandom> random = ThreadLocal.withInitial(SecureRandom::new);
    return bytes -> random.get().nextBytes(bytes);
  }
}
