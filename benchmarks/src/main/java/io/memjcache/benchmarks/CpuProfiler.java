package io.memjcache.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Per iteration, the CPU used by the benchmark JVM ("cpu.client", in cores), by memcached and the
 * runner ("cpu.server"), by everything else on the machine ("cpu.foreign": a disturbance, since
 * other work shares the cores) and stolen by the hypervisor ("cpu.steal"), plus the machine's
 * speed after the iteration ("cpu.speed", see {@link SpeedProbe}). {@link Main} reruns a benchmark
 * whose measurement was disturbed and marks what stays disturbed.
 */
public final class CpuProfiler implements org.openjdk.jmh.profile.InternalProfiler {
  private CpuSample start;

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    start = CpuSample.now();
  }

  @Override
  public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
      IterationParams iterationParams, IterationResult result) {
    CpuSample end = CpuSample.now();
    if (start == null || !start.available() || !end.available()) {
      return List.of();
    }
    List<Result> results = new ArrayList<>();
    results.add(new ScalarResult("cpu.client", start.selfCores(end), "cores", AggregationPolicy.AVG));
    results.add(new ScalarResult("cpu.server", start.ownOthersCores(end), "cores", AggregationPolicy.AVG));
    results.add(new ScalarResult("cpu.foreign", start.foreignCores(end), "cores", AggregationPolicy.MAX));
    results.add(new ScalarResult("cpu.steal", start.stealCores(end), "cores", AggregationPolicy.MAX));
    long reference = Long.getLong(SpeedProbe.REFERENCE_PROPERTY, 0L);
    if (reference > 0) {
      // best of three short probes right after the iteration: 1.0 = full speed, lower = slowed down
      double speed = reference / (double) SpeedProbe.best(3);
      results.add(new ScalarResult("cpu.speed", Math.min(1.0, speed), "x", AggregationPolicy.MIN));
    }
    return results;
  }

  @Override
  public String getDescription() {
    return "CPU used by the benchmark, by memcached, and by foreign processes (disturbance)";
  }
}
