package io.memjcache.benchmarks;

import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
 * Asynchronous gets with {@value #IN_FLIGHT} requests in flight from one thread, through each
 * client's future-based API: a ring of futures where every operation waits for the oldest, checks
 * its value and starts a new get in its place. One operation is one completed, checked get.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AsyncBenchmark {
  public static final int IN_FLIGHT = 128;

  @Param({"memjcache-client"})
  public String client;

  @Param({"100"})
  public int valueSize;

  private BenchClient bench;

  @Setup(Level.Trial)
  public void open() throws Exception {
    bench = Clients.openPopulated(client, valueSize);
    if (!bench.hasAsync()) {
      bench.close();
      throw new IllegalStateException(client + " has no asynchronous get API");
    }
  }

  @TearDown(Level.Trial)
  public void close() throws Exception {
    bench.close();
  }

  /** The ring of outstanding gets of one benchmark thread. */
  @State(Scope.Thread)
  public static class Window {
    final Future<?>[] futures = new Future<?>[IN_FLIGHT];
    final int[] keys = new int[IN_FLIGHT];
    int next;

    @Setup(Level.Iteration)
    public void fill(AsyncBenchmark b, RandomKeys random) {
      for (int i = 0; i < IN_FLIGHT; i++) {
        keys[i] = random.next(KeySpace.KEYS);
        futures[i] = b.bench.getAsync(keys[i]);
      }
      next = 0;
    }

    @TearDown(Level.Iteration)
    public void drain(AsyncBenchmark b) throws Exception {
      for (int i = 0; i < IN_FLIGHT; i++) {
        b.complete(futures[i], keys[i]);
        futures[i] = null;
      }
    }
  }

  byte[] complete(Future<?> future, int index) throws Exception {
    return KeySpace.check(bench.valueOf(future.get(10, TimeUnit.SECONDS)), index, valueSize, client);
  }

  @Benchmark
  public byte[] get(Window w, RandomKeys random) throws Exception {
    int slot = w.next;
    w.next = slot + 1 == IN_FLIGHT ? 0 : slot + 1;
    byte[] value = complete(w.futures[slot], w.keys[slot]);
    int index = random.next(KeySpace.KEYS);
    w.keys[slot] = index;
    w.futures[slot] = bench.getAsync(index);
    return value;
  }
}
