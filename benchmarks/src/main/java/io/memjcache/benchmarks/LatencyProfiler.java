package io.memjcache.benchmarks;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ResultRole;
import org.openjdk.jmh.results.SampleTimeResult;
import org.openjdk.jmh.util.SampleBuffer;

/**
 * Collects the {@link Latency} histograms of all benchmark threads once per iteration (threads are
 * parked between iterations) and reports them as the secondary result "latency" in microseconds;
 * JMH merges the histograms of the measurement iterations, so the percentiles cover all of them.
 */
public final class LatencyProfiler implements InternalProfiler {

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    for (Latency latency : Latency.ALL) {
      latency.buffer = new SampleBuffer();
    }
  }

  @Override
  public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
      IterationParams iterationParams, IterationResult result) {
    SampleBuffer merged = new SampleBuffer();
    for (Latency latency : Latency.ALL) {
      merged.addAll(latency.buffer);
      latency.buffer = new SampleBuffer();
    }
    if (merged.count() == 0) {
      return List.of();
    }
    return List.of(new SampleTimeResult(ResultRole.SECONDARY, "latency", merged, TimeUnit.MICROSECONDS));
  }

  @Override
  public String getDescription() {
    return "per-operation latency histogram (p50/p99/p99.9) recorded by the benchmark threads";
  }
}
