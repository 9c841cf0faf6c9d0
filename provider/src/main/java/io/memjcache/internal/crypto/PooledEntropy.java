package io.memjcache.internal.crypto;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * Bytes from one {@link SecureRandom}, drawn {@value #POOL_SIZE} at a time and handed out in order:
 * no byte is handed out twice, and a request that does not fit in what is left of the pool refills
 * it (the rest is dropped). Not thread-safe: {@link Entropy#secure()} keeps one per thread.
 *
 * <p>Why a pool and the generator chosen: nonces need only be unique and unpredictable, not secret
 * (they are stored in the clear beside the ciphertext), so drawing them ahead is safe; what costs
 * is each call into the generator. The JDK's default generator on Linux, NativePRNG, shares one
 * state and its locks between all instances, so sealing threads queue on it: on the 2-core
 * benchmark machine 12 bytes cost 0.14 µs from one thread and 1.5 µs each from four. A DRBG (NIST
 * SP 800-90A Hash_DRBG with SHA-256 in the JDK) has its own state per instance, seeded from the
 * system's entropy when made, and a pool of 32 nonces spreads its per-call cost: 0.04 µs per nonce
 * from one thread and 0.08 µs from four (a plain loop; {@code SealBenchmark.seal} in the benchmarks
 * module measures the effect on a seal).
 */
final class PooledEntropy implements Entropy {
  /** 32 nonces of 12 bytes. */
  static final int POOL_SIZE = 384;

  private final SecureRandom generator;
  private final byte[] pool = new byte[POOL_SIZE];
  private int next = POOL_SIZE;

  PooledEntropy(SecureRandom generator) {
    this.generator = Objects.requireNonNull(generator, "generator");
  }

  /** A DRBG instance of its own, or the platform's default generator where there is no DRBG. */
  static SecureRandom newGenerator() {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (NoSuchAlgorithmException e) {
      return new SecureRandom();
    }
  }

  @Override
  public void nextBytes(byte[] bytes) {
    if (bytes.length > POOL_SIZE) {
      generator.nextBytes(bytes);
      return;
    }
    if (POOL_SIZE - next < bytes.length) {
      generator.nextBytes(pool);
      next = 0;
    }
    System.arraycopy(pool, next, bytes, 0, bytes.length);
    next += bytes.length;
  }
}
