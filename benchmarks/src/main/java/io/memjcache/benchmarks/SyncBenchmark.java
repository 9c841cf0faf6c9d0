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
 * Synchronous get and put of a random key of the pre-populated key space, from as many threads as
 * the run asks for (1, 4, 128). Every get checks that it got its key's value; every put checks
 * that the client reports it stored. Throughput, plus latency percentiles from {@link Latency}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SyncBenchmark {
  @Param({"memjcache"})
  public String client;

  @Param({"100"})
  public int valueSize;

  private BenchClient bench;
  private byte[][] values;

  @Setup(Level.Trial)
  public void open() throws Exception {
    bench = Clients.openPopulated(client, valueSize);
    values = KeySpace.values(valueSize);
  }

  @TearDown(Level.Trial)
  public void close() throws Exception {
    bench.close();
  }

  @Benchmark
  public byte[] get(RandomKeys keys, Latency latency) throws Exception {
    int index = keys.next(KeySpace.KEYS);
    long start = System.nanoTime();
    byte[] value = bench.get(index);
    latency.record(start);
    return KeySpace.check(value, index, valueSize, client);
  }

  @Benchmark
  public void put(RandomKeys keys, Latency latency) throws Exception {
    int index = keys.next(KeySpace.KEYS);
    long start = System.nanoTime();
    bench.put(index, values[index]);
    latency.record(start);
  }
}
