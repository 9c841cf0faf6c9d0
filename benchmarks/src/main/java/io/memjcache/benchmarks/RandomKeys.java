package io.memjcache.benchmarks;

import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** A per-thread xorshift stream of uniformly random key indexes (cheap, allocation-free). */
@State(Scope.Thread)
public class RandomKeys {
  private static final AtomicLong SEEDS = new AtomicLong(0x9E3779B97F4A7C15L);

  private long state = SEEDS.getAndAdd(0x632BE59BD9B4E019L) | 1L;

  /** A key index in [0, bound). */
  public int next(int bound) {
    long x = state;
    x ^= x << 13;
    x ^= x >>> 7;
    x ^= x << 17;
    state = x;
    return (int) ((x >>> 33) % bound);
  }
}
