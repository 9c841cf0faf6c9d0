package io.memjcache.benchmarks;

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
 * A multi-key read of {@value KeySpace#BATCH} distinct keys (one of the key space's disjoint
 * batches, at random) through each client's own bulk API; all values are checked. One operation
 * is one call, so keys per second is the score times {@value KeySpace#BATCH}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class GetAllBenchmark {
  @Param({"memjcache"})
  public String client;

  @Param({"100"})
  public int valueSize;

  private BenchClient bench;

  @Setup(Level.Trial)
  public void open() throws Exception {
    bench = Clients.openPopulated(client, valueSize);
  }

  @TearDown(Level.Trial)
  public void close() throws Exception {
    bench.close();
  }

  @Benchmark
  public int getAll(RandomKeys keys, Latency latency) throws Exception {
    int batch = keys.next(KeySpace.BATCHES);
    long start = System.nanoTime();
    int read = bench.getAllChecked(batch, valueSize);
    latency.record(start);
    return read;
  }
}
