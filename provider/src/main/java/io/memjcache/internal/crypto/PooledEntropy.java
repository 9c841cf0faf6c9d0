package io.memjcache.internal.crypto;

import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Bytes from a {@link SecureRandom} per thread, drawn {@value #POOL_SIZE} at a time into a pool the
 * thread keeps and handed out in order: no byte is handed out twice, and a request that does not
 * fit in what is left of the pool refills it (the rest is dropped). Thread-safe: all state is per
 * thread, and held in JDK types only, so that a thread of an application server that outlives the
 * application does not keep its class loader.
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

  private final ThreadLocal<SecureRandom> generators;
  // position = the next byte to hand out; empty (position at the end) until the first request
  private final ThreadLocal<ByteBuffer> pools =
      ThreadLocal.withInitial(() -> ByteBuffer.allocate(POOL_SIZE).position(POOL_SIZE));

  /** @param generators makes the generator of each thread that asks for bytes */
  PooledEntropy(Supplier<SecureRandom> generators) {
    Objects.requireNonNull(generators, "generators");
    this.generators = ThreadLocal.withInitial(() -> Objects.requireNonNull(generators.get(), "generator"));
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
      generators.get().nextBytes(bytes);
      return;
    }
    ByteBuffer pool = pools.get();
    if (pool.remaining() < bytes.length) {
      generators.get().nextBytes(pool.array());
      pool.clear();
    }
    pool.get(bytes);
  }
}
