package io.memjcache.benchmarks;

/**
 * A fixed piece of CPU work, timed: on a virtual machine whose host is busy, the guest's vCPUs run
 * slower (they are descheduled) without any process inside the guest to blame, and steal time is
 * not always reported. The runner times the probe when it starts (the reference, best of many),
 * {@link CpuProfiler} after every iteration; their ratio, {@code cpu.speed}, is 1 on a machine that
 * gives the benchmark full cores and falls when something outside the guest takes them.
 */
final class SpeedProbe {
  /** The reference probe time in nanoseconds, passed from the runner to the benchmark JVMs. */
  static final String REFERENCE_PROPERTY = "memjcache.bench.speedReferenceNanos";
  private static final int ROUNDS = 2_000_000;
  private static volatile long sink;

  private SpeedProbe() {}

  /** Nanoseconds for the fixed work (about 2-5 ms once compiled). */
  static long time() {
    long start = System.nanoTime();
    long x = start | 1;
    for (int i = 0; i < ROUNDS; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
    }
    sink = x;
    return System.nanoTime() - start;
  }

  /** The best of {@code n} probes, after warming the loop up. */
  static long best(int n) {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < n; i++) {
      best = Math.min(best, time());
    }
    return best;
  }
}
