package io.memjcache.internal.failover;

import static io.memjcache.internal.failover.Failovers.awaitState;
import static io.memjcache.internal.failover.Failovers.millis;
import static io.memjcache.internal.failover.Failovers.nanos;
import static io.memjcache.internal.failover.Failovers.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.internal.client.ClientSettings;
import io.memjcache.internal.client.MemcachedClient;
import io.memjcache.internal.cluster.ClusterSettings;
import io.memjcache.internal.cluster.FailurePolicy;
import io.memjcache.internal.cluster.Node;
import io.memjcache.internal.cluster.NodeState;
import io.memjcache.internal.cluster.NodeStatus;
import io.memjcache.internal.transport.ConnectionSettings;
import io.memjcache.testing.MemcachedCluster;
import io.memjcache.testing.MemcachedTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * kill -9 of one of three memcached servers while four threads run mixed get / set / delete with
 * self-checking values, then a restart. No wrong or stale value is ever read; only the dead node's
 * keys fail, and only while the client detects the death (REDISTRIBUTE) or while the node is down
 * (FAIL_FAST, at once, naming it); the other keys never fail; throughput recovers on the two
 * remaining servers; the restarted server is probed back onto the ring and serves its keys again.
 * Each test prints its figures: detection, errors, throughput, rejoin.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class NodeFailoverIT {
  static final ConnectionSettings CONNECTION = ConnectionSettings.DEFAULTS
      .withOperationTimeout(Duration.ofSeconds(1)).withConnectTimeout(Duration.ofSeconds(1));
  static final int DEAD = 1;
  /** After the node is seen down, requests routed just before may still fail: this much later, none. */
  static final long GRACE_MILLIS = 200;

  /** What happened when, in System.nanoTime. */
  record Run(Workload load, long start, long kill, long down, long restart, long up, long end) {}

  private static Run killAndRestart(MemcachedCluster servers, MemcachedClient client, String prefix) throws Exception {
    try (Workload load = new Workload(client, prefix, 4, 250, Duration.ofMinutes(2))) {
      long start = System.nanoTime();
      load.start();
      sleep(1_500);
      long kill = System.nanoTime();
      servers.node(DEAD).kill();
      long down = awaitState(client, DEAD, NodeState.DOWN, 10_000);
      sleep(2_500);
      long restart = System.nanoTime();
      servers.node(DEAD).restart();
      long up = awaitState(client, DEAD, NodeState.UP, 30_000);
      sleep(1_500);
      load.stop();
      return new Run(load, start, kill, down, restart, up, System.nanoTime());
    }
  }

  private static MemcachedClient client(MemcachedCluster servers, FailurePolicy policy) {
    return new MemcachedClient(ClientSettings.of(servers.addresses()).withConnection(CONNECTION),
        ClusterSettings.DEFAULTS.withFailurePolicy(policy));
  }

  private static void report(String name, Run run, MemcachedClient client) {
    Workload load = run.load();
    long detectionFailures = load.failed(DEAD, run.kill(), run.down() + nanos(GRACE_MILLIS));
    long lastFailure = load.lastFailureNanos(DEAD);
    System.out.printf("%s: keys per node %s%n", name, java.util.Arrays.toString(load.keysPerNode()));
    System.out.printf("%s: wrong values %d, stale reads %d%n", name, load.wrongValues(), load.staleReads());
    System.out.printf("%s: kill -9 -> node down in %d ms; %d failed operations on its keys until then (+%d ms),"
        + " last failure %d ms after the kill, %d failures in all%n", name, millis(run.down() - run.kill()),
        detectionFailures, GRACE_MILLIS, lastFailure == Long.MIN_VALUE ? -1 : millis(lastFailure - run.kill()),
        load.failedAll(run.start(), run.end()));
    System.out.printf("%s: throughput before %.0f ops/s, with the node down %.0f ops/s, after the rejoin %.0f ops/s%n",
        name, load.throughput(run.start() + nanos(500), run.kill()),
        load.throughput(run.down() + nanos(300), run.restart()), load.throughput(run.up() + nanos(200), run.end()));
    System.out.printf("%s: restart -> node back on the ring in %d ms%n", name, millis(run.up() - run.restart()));
    System.out.printf("%s: node states %s%n", name, client.nodeStates());
    load.errorSamples().forEach(sample -> System.out.println(name + ":   error: " + sample));
  }

  /** Checks common to both policies. */
  private static void checkCommon(Run run, MemcachedClient client, MemcachedCluster servers) {
    Workload load = run.load();
    assertEquals(0, load.wrongValues(), "wrong values: " + load.problems());
    assertEquals(0, load.staleReads(), "stale reads: " + load.problems());
    for (int node = 0; node < 3; node++) {
      // Counts are kept in 100 ms buckets: the one holding the kill is not "before".
      assertEquals(0, load.failed(node, run.start(), run.kill() - Workload.BUCKET_NANOS),
          "failures before the kill on node " + node);
      if (node != DEAD) {
        assertEquals(0, load.failed(node, run.start(), run.end()), "failures of the live node " + node + "'s keys: "
            + load.errorSamples());
        assertTrue(load.ok(node, run.down() + nanos(GRACE_MILLIS), run.restart()) > 100,
            "the live node " + node + " keeps serving");
      }
    }
    assertTrue(load.failed(DEAD, run.kill(), run.down() + nanos(GRACE_MILLIS)) > 0, "the kill was noticed");
    // Back on the ring: its keys are routed to it and succeed, and the restarted server sees them.
    byte[] key = null;
    for (int i = 0; key == null; i++) {
      byte[] candidate = ("home-" + i).getBytes(StandardCharsets.US_ASCII);
      if (client.nodeFor(candidate).name().equals(servers.node(DEAD).hostAndPort())) {
        key = candidate;
      }
    }
    Node dead = client.cluster().nodes().get(DEAD);
    assertSame(dead, client.nodeFor(key));
    assertEquals(0, load.failed(DEAD, run.up() + nanos(GRACE_MILLIS), run.end()), "failures after the rejoin");
    assertTrue(load.ok(DEAD, run.up() + nanos(GRACE_MILLIS), run.end()) > 100, "its keys succeed after the rejoin");
    Map<String, String> stats = MemcachedClient.await(client.stats(dead, null), 5_000);
    assertTrue(Long.parseLong(stats.get("cmd_get")) > 0 && Long.parseLong(stats.get("cmd_set")) > 0,
        "the restarted server serves its keys: " + stats);
    NodeStatus status = client.nodeStates().get(DEAD);
    assertEquals(NodeState.UP, status.state());
    assertEquals(0, status.consecutiveFailures());
    assertTrue(status.reconnects() >= 1, status.toString());
    assertTrue(status.lastError() != null && status.lastError().contains(servers.node(DEAD).hostAndPort()),
        status.toString());
  }

  @Test
  @MemcachedTest(nodes = 3)
  void redistribute_killOneOfThree_onlyItsKeysFailWhileDetecting_thenServedByTheOthers_andItRejoins(
      MemcachedCluster servers) throws Exception {
    try (MemcachedClient client = client(servers, FailurePolicy.REDISTRIBUTE)) {
      Run run = killAndRestart(servers, client, "redistribute-" + System.nanoTime());
      report("REDISTRIBUTE", run, client);
      checkCommon(run, client, servers);
      Workload load = run.load();
      assertEquals(0, load.failed(DEAD, run.down() + nanos(GRACE_MILLIS), run.end()),
          "no failure once the node is seen down: " + load.errorSamples());
      assertTrue(millis(run.down() - run.kill()) < 2_000, "detection took " + millis(run.down() - run.kill()) + " ms");
      assertTrue(load.ok(DEAD, run.down() + nanos(GRACE_MILLIS), run.restart()) > 100,
          "the dead node's keys are served by the others");
      double before = load.throughput(run.start() + nanos(500), run.kill());
      double during = load.throughput(run.down() + nanos(300), run.restart());
      assertTrue(during > 0.3 * before, "throughput recovers on two nodes: " + during + " vs " + before);
    }
  }

  @Test
  @MemcachedTest(nodes = 3)
  void failFast_killOneOfThree_itsKeysFailAtOnceNamingItUntilItRejoins_othersUnaffected(MemcachedCluster servers)
      throws Exception {
    try (MemcachedClient client = client(servers, FailurePolicy.FAIL_FAST)) {
      Run run = killAndRestart(servers, client, "failfast-" + System.nanoTime());
      report("FAIL_FAST", run, client);
      checkCommon(run, client, servers);
      Workload load = run.load();
      assertEquals(0, load.ok(DEAD, run.down() + nanos(GRACE_MILLIS), run.restart()),
          "fail fast: the dead node's keys are not served elsewhere");
      assertTrue(load.failed(DEAD, run.down() + nanos(GRACE_MILLIS), run.restart()) > 100,
          "its keys keep failing while it is down");
      assertTrue(load.errorSamples().stream().anyMatch(sample -> sample.contains("NodeDownException: node "
          + servers.node(DEAD).hostAndPort() + " is down after")), load.errorSamples().toString());
    }
  }

  @Test
  @MemcachedTest(nodes = 3)
  void failFast_downNode_failsWithoutWaitingForATimeout(MemcachedCluster servers) throws Exception {
    try (MemcachedClient client = client(servers, FailurePolicy.FAIL_FAST);
        Workload load = new Workload(client, "latency-" + System.nanoTime(), 4, 100, Duration.ofMinutes(1))) {
      load.start();
      sleep(500);
      servers.node(DEAD).kill();
      awaitState(client, DEAD, NodeState.DOWN, 10_000);
      sleep(GRACE_MILLIS);
      load.resetLatency(DEAD);
      sleep(1_000);
      load.stop();
      long slowest = millis(load.maxFailureLatencyNanos(DEAD));
      System.out.println("FAIL_FAST: slowest failure of a down node's request: " + slowest + " ms (timeout "
          + CONNECTION.operationTimeout().toMillis() + " ms)");
      assertTrue(slowest < 100, "failed after " + slowest + " ms");
      assertEquals(0, load.wrongValues());
    }
  }
}
