package io.memjcache.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Value encryption against the same cache without it, measured in pairs: one fork holds both
 * caches (memjcache and {@code client}, its encrypted variant, on the same server and manager), and
 * every invocation does the operation once on each, alternating which goes first, timing each
 * side on its own. Both sides therefore see the same machine state, which on a VM that drifts
 * between fast and slow phases is what makes their ratio meaningful; separate forks are not.
 *
 * <p>The score is pairs per second. The secondary results {@code plainNanos}, {@code
 * encryptedNanos} and {@code pairs} (sums per iteration, all threads) give each side's time per
 * operation; encrypted ÷ plain throughput is {@code plainNanos / encryptedNanos}. Every value read
 * is checked on both sides.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EncryptionPairBenchmark {
  /** The plaintext twin of every encrypted variant. */
  static final String PLAIN = "memjcache";

  @Param({"memjcache-encrypted"})
  public String client;

  @Param({"100"})
  public int valueSize;

  private BenchClient plain;
  private BenchClient encrypted;
  private byte[][] values;

  /** Per-thread sums of each side's time, reported by JMH as secondary results. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Sides {
    public long plainNanos;
    public long encryptedNanos;
    public long pairs;
    boolean encryptedFirst;

    @Setup(Level.Iteration)
    public void reset() {
      plainNanos = 0;
      encryptedNanos = 0;
      pairs = 0;
    }

    void add(long plain, long encrypted) {
      plainNanos += plain;
      encryptedNanos += encrypted;
      pairs++;
      encryptedFirst = !encryptedFirst;
    }
  }

  /** One timed operation on one side. */
  @FunctionalInterface
  interface Side {
    void run(BenchClient on, String name) throws Exception;
  }

  @Setup(Level.Trial)
  public void open() throws Exception {
    plain = Clients.openPopulated(PLAIN, valueSize);
    encrypted = Clients.openPopulated(client, valueSize);
    values = KeySpace.values(valueSize);
  }

  @TearDown(Level.Trial)
  public void close() throws Exception {
    try {
      encrypted.close();
    } finally {
      plain.close();
    }
  }

  @Benchmark
  public void get(RandomKeys keys, Sides sides) throws Exception {
    int index = keys.next(KeySpace.KEYS);
    pair(sides, (on, name) -> KeySpace.check(on.get(index), index, valueSize, name));
  }

  @Benchmark
  public void put(RandomKeys keys, Sides sides) throws Exception {
    int index = keys.next(KeySpace.KEYS);
    pair(sides, (on, name) -> on.put(index, values[index]));
  }

  @Benchmark
  public void getAll(RandomKeys keys, Sides sides) throws Exception {
    int batch = keys.next(KeySpace.BATCHES);
    pair(sides, (on, name) -> on.getAllChecked(batch, valueSize));
  }

  private void pair(Sides sides, Side side) throws Exception {
    long plainNanos;
    long encryptedNanos;
    if (sides.encryptedFirst) {
      encryptedNanos = timed(encrypted, client, side);
      plainNanos = timed(plain, PLAIN, side);
    } else {
      plainNanos = timed(plain, PLAIN, side);
      encryptedNanos = timed(encrypted, client, side);
    }
    sides.add(plainNanos, encryptedNanos);
  }

  private static long timed(BenchClient on, String name, Side side) throws Exception {
    long start = System.nanoTime();
    side.run(on, name);
    return System.nanoTime() - start;
  }
}
