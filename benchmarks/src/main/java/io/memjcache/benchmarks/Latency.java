package io.memjcache.benchmarks;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.util.SampleBuffer;

/**
 * Per-thread latency of every operation, in JMH's own {@link SampleBuffer} (the histogram behind
 * {@code Mode.SampleTime}), so throughput mode also yields p50/p99/p99.9. {@link LatencyProfiler}
 * merges the threads' buffers after each iteration and reports them as the secondary metric
 * "latency". Costs two {@code System.nanoTime()} calls and one array increment per operation, the
 * same for every client.
 */
@State(Scope.Thread)
public class Latency {
  static final List<Latency> ALL = new CopyOnWriteArrayList<>();

  volatile SampleBuffer buffer = new SampleBuffer();

  public Latency() {
    ALL.add(this);
  }

  public void record(long startNanos) {
    buffer.add(System.nanoTime() - startNanos);
  }
}
