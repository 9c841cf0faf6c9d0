package io.memjcache.internal.failover;

import static io.memjcache.internal.failover.Failovers.awaitState;
import static io.memjcache.internal.failover.Failovers.millis;
import static io.memjcache.internal.failover.Failovers.nanos;
import static io.memjcache.internal.failover.Failovers.sleep;

import io.memjcache.internal.client.ClientSettings;
import io.memjcache.internal.client.MemcachedClient;
import io.memjcache.internal.cluster.ClusterSettings;
import io.memjcache.internal.cluster.FailurePolicy;
import io.memjcache.internal.cluster.NodeState;
import io.memjcache.internal.transport.ConnectionSettings;
import io.memjcache.testing.MemcachedCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.LongSummaryStatistics;
import java.util.Random;

/**
 * The failover soak: a chaos run of several minutes with the checks of {@link NodeFailoverIT}, on
 * demand only (no test runner picks this class up by its name, so CI never runs it). Three
 * memcached servers, eight threads of mixed get / set / delete with self-checking values, and in a
 * loop: kill -9 one server (or two at once, or one restarted at once, before the client may even
 * notice), keep it down for 1 to 6 s, restart it. After each round it checks that no wrong or stale
 * value was read, that only the killed servers' keys failed, under REDISTRIBUTE only until the
 * client saw them down and under FAIL_FAST only until they were back, and that every server
 * rejoined; at the end it prints the figures and fails (exception, non-zero exit) on any violation.
 *
 * <p>Run it from the project root (arguments: minutes, policy, random seed; all optional):
 *
 * <pre>
 * mvn -B -q -pl provider test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.memjcache.internal.failover.FailoverSoak -Dexec.args="5 REDISTRIBUTE"
 * </pre>
 */
public final class FailoverSoak {
  private static final ConnectionSettings CONNECTION = ConnectionSettings.DEFAULTS
      .withOperationTimeout(Duration.ofSeconds(1)).withConnectTimeout(Duration.ofSeconds(1));
  private static final long GRACE_NANOS = nanos(200);

  private FailoverSoak() {}

  public static void main(String[] args) throws Exception {
    Duration duration = Duration.ofMinutes(args.length > 0 ? Long.parseLong(args[0]) : 5);
    FailurePolicy policy = args.length > 1 ? FailurePolicy.valueOf(args[1].toUpperCase(Locale.ROOT))
        : FailurePolicy.REDISTRIBUTE;
    long seed = args.length > 2 ? Long.parseLong(args[2]) : System.nanoTime();
    System.out.printf("soak: %s, %s, seed %d%n", duration, policy, seed);
    List<String> violations = run(duration, policy, new Random(seed));
    if (!violations.isEmpty()) {
      throw new IllegalStateException("soak failed (seed " + seed + "): " + violations);
    }
    System.out.println("soak: passed");
  }

  private static List<String> run(Duration duration, FailurePolicy policy, Random random) throws Exception {
    List<String> violations = new ArrayList<>();
    LongSummaryStatistics detection = new LongSummaryStatistics();
    LongSummaryStatistics rejoin = new LongSummaryStatistics();
    long faults = 0;
    try (MemcachedCluster servers = MemcachedCluster.start(3);
        MemcachedClient client = new MemcachedClient(ClientSettings.of(servers.addresses()).withConnection(CONNECTION),
            ClusterSettings.DEFAULTS.withFailurePolicy(policy));
        Workload load = new Workload(client, "soak-" + System.nanoTime(), 8, 500, duration.plusMinutes(3))) {
      long start = System.nanoTime();
      load.start();
      long end = start + duration.toNanos();
      for (int round = 1; System.nanoTime() - end < 0; round++) {
        sleep(1_000 + random.nextInt(2_000));
        int kind = random.nextInt(10);
        List<Integer> victims = new ArrayList<>(List.of(0, 1, 2));
        java.util.Collections.shuffle(victims, random);
        victims = victims.subList(0, kind < 2 ? 2 : 1);
        boolean quick = kind == 9;
        long roundStart = System.nanoTime();
        for (int victim : victims) {
          servers.node(victim).kill();
          faults++;
        }
        long seenDown = roundStart;
        long downFor = 0;
        if (quick) {
          for (int victim : victims) {
            servers.node(victim).restart();
          }
        } else {
          for (int victim : victims) {
            seenDown = Math.max(seenDown, awaitState(client, victim, NodeState.DOWN, 10_000));
          }
          detection.accept(millis(seenDown - roundStart));
          downFor = 1_000 + random.nextInt(5_000);
          sleep(downFor);
          for (int victim : victims) {
            servers.node(victim).restart();
          }
        }
        long restarted = System.nanoTime();
        long up = restarted;
        for (int victim : victims) {
          up = Math.max(up, awaitState(client, victim, NodeState.UP, 30_000));
        }
        if (!quick) {
          rejoin.accept(millis(up - restarted));
        }
        sleep(1_500);
        long roundEnd = System.nanoTime();

        String name = "round " + round + " (" + (quick ? "kill and restart at once" : "kill -9") + " of "
            + victims.stream().map(v -> servers.node(v).hostAndPort()).toList() + ")";
        long failedVictims = 0;
        for (int node = 0; node < 3; node++) {
          long failed = load.failed(node, roundStart - Workload.BUCKET_NANOS, roundEnd);
          if (!victims.contains(node)) {
            if (failed > 0) {
              violations.add(name + ": " + failed + " failures of the live node " + node + "'s keys");
            }
            continue;
          }
          failedVictims += failed;
          long settled = quick ? up : policy == FailurePolicy.REDISTRIBUTE ? seenDown : up;
          long late = load.failed(node, settled + GRACE_NANOS, roundEnd);
          if (late > 0) {
            violations.add(name + ": " + late + " failures of node " + node + "'s keys after "
                + (settled == up ? "it rejoined" : "it was seen down"));
          }
        }
        if (load.wrongValues() > 0 || load.staleReads() > 0) {
          violations.add(name + ": wrong values " + load.wrongValues() + ", stale reads " + load.staleReads() + ": "
              + load.problems());
        }
        System.out.printf("soak: %s: %s, down %d ms, rejoined %d ms after the restart; %d failed operations,"
            + " %.0f ops/s; wrong %d, stale %d%n", name,
            quick ? "detection not awaited" : "seen down in " + millis(seenDown - roundStart) + " ms", downFor,
            millis(up - restarted), failedVictims, load.throughput(roundStart, roundEnd), load.wrongValues(),
            load.staleReads());
        if (violations.size() > 20) {
          break;
        }
      }
      load.stop();
      long stop = System.nanoTime();
      System.out.printf("soak: %d servers killed in %d s; %d operations (%.0f ops/s), %d failed; wrong values %d,"
          + " stale reads %d%n", faults, millis(stop - start) / 1000, load.okAll(start, stop) + load.failedAll(start, stop),
          load.throughput(start, stop), load.failedAll(start, stop), load.wrongValues(), load.staleReads());
      System.out.printf("soak: kill -> seen down: min %d, avg %.0f, max %d ms; restart -> rejoined: min %d, avg %.0f,"
          + " max %d ms%n", detection.getMin(), detection.getAverage(), detection.getMax(), rejoin.getMin(),
          rejoin.getAverage(), rejoin.getMax());
      System.out.println("soak: node states " + client.nodeStates());
      load.errorSamples().forEach(sample -> System.out.println("soak:   error: " + sample));
      violations.forEach(v -> System.out.println("soak: VIOLATION " + v));
    }
    return violations;
  }
}
