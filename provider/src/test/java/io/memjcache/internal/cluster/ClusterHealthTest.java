package io.memjcache.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.internal.protocol.Opcode;
import io.memjcache.internal.protocol.Request;
import io.memjcache.internal.transport.Connection;
import io.memjcache.internal.transport.ConnectionException;
import io.memjcache.internal.transport.SingleCommand;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Node health in a cluster, on a fake clock with a fake connector (every connect is refused) and a
 * fake probe: how failures take a node down, what routing does with it under each policy, how it
 * is probed and how it comes back, and how the server list changes.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ClusterHealthTest {
  private static final List<InetSocketAddress> SERVERS = List.of(
      InetSocketAddress.createUnresolved("10.0.0.1", 11211),
      InetSocketAddress.createUnresolved("10.0.0.2", 11211),
      InetSocketAddress.createUnresolved("10.0.0.3", 11211));

  private final FakeScheduler scheduler = new FakeScheduler();
  private final Map<String, AtomicInteger> connects = new ConcurrentHashMap<>();
  private final List<String> probed = new ArrayList<>();
  private volatile boolean probesSucceed;
  private final List<Cluster> clusters = new ArrayList<>();

  @AfterEach
  void close() {
    clusters.forEach(Cluster::close);
  }

  private CompletableFuture<Connection> refuse(InetSocketAddress address) {
    String name = address.getHostString() + ":" + address.getPort();
    connects.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
    return CompletableFuture.failedFuture(new ConnectionException("cannot connect to " + name + ": Connection refused"));
  }

  private CompletableFuture<Void> probe(Node node) {
    probed.add(node.name());
    return probesSucceed ? CompletableFuture.completedFuture(null)
        : CompletableFuture.failedFuture(new ConnectionException("cannot connect to " + node.name()));
  }

  private Cluster cluster(ClusterSettings settings, List<InetSocketAddress> servers) {
    Cluster cluster = new Cluster(servers, this::refuse, settings, scheduler, scheduler::nanoTime, () -> 0.5,
        this::probe);
    clusters.add(cluster);
    return cluster;
  }

  private Cluster cluster(ClusterSettings settings) {
    return cluster(settings, SERVERS);
  }

  private static byte[][] keys(int n) {
    byte[][] keys = new byte[n][];
    for (int i = 0; i < n; i++) {
      keys[i] = ("key-" + i).getBytes(StandardCharsets.US_ASCII);
    }
    return keys;
  }

  /** Each key's own node: the ring of all configured nodes. */
  private static KetamaContinuum<Node> fullRing(Cluster cluster) {
    return KetamaContinuum.of(cluster.nodes(), n -> KetamaNodeKeyFormat.SPYMEMCACHED.nodeKey(
        n.address().getHostString(), n.address().getPort()));
  }

  private static CompletableFuture<Void> noop(Node node) {
    return node.send(new SingleCommand<>(Request.bare(Opcode.NOOP), (r, n) -> null));
  }

  private static Throwable failure(CompletableFuture<?> future) {
    assertTrue(future.isDone(), "failed at once");
    ExecutionException e = assertThrows(ExecutionException.class, future::get);
    return e.getCause();
  }

  /**
   * Fails {@code count} connects in a row, waiting out the node's reconnect back-off (50 ms
   * doubling) before each but the first. No time passes after the last.
   */
  private void takeDown(Node node, int count) {
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        scheduler.advanceMillis(2_000);
      }
      assertInstanceOf(ConnectionException.class, failure(noop(node)));
    }
  }

  @Test
  void connectFailures_reachThreshold_nodeIsDownAndItsKeysGoToTheOthers() {
    Cluster cluster = cluster(ClusterSettings.DEFAULTS.withProbeIntervals(
        java.time.Duration.ofSeconds(30), java.time.Duration.ofSeconds(60)));
    Node down = cluster.nodes().get(1);
    KetamaContinuum<Node> full = fullRing(cluster);
    byte[][] keys = keys(2_000);
    for (byte[] key : keys) {
      assertSame(full.nodeFor(key), cluster.nodeFor(key));
    }

    assertInstanceOf(ConnectionException.class, failure(noop(down)));
    assertInstanceOf(ConnectionException.class, failure(noop(down)));
    assertEquals(1, connects.get(down.name()).get(), "the second call fell in the reconnect back-off: no attempt");
    assertEquals(NodeState.UP, down.state(), "a call refused by the back-off is no new failure");
    scheduler.advanceMillis(2_000);
    takeDown(down, 2);
    assertEquals(3, connects.get(down.name()).get());
    assertEquals(NodeState.DOWN, down.state());
    assertEquals(new NodeStatus(down.name(), NodeState.DOWN, 3, "cannot connect to 10.0.0.2:11211: Connection refused",
        0), cluster.nodeStates().get(1));
    assertEquals(NodeState.UP, cluster.nodeStates().get(0).state());

    int moved = 0;
    for (byte[] key : keys) {
      Node own = full.nodeFor(key);
      Node now = cluster.nodeFor(key);
      if (own == down) {
        assertNotSame(down, now, "a down node's key goes to another node");
        moved++;
      } else {
        assertSame(own, now, "the other keys stay where they are");
      }
    }
    assertTrue(moved > 400, "about a third of the keys moved: " + moved);
  }

  @Test
  void downNode_isProbedWithDoublingBackOffAndRejoinsWhenItAnswers() {
    Cluster cluster = cluster(ClusterSettings.DEFAULTS);
    Node node = cluster.nodes().get(0);
    takeDown(node, 3);
    assertEquals(NodeState.DOWN, node.state());
    probed.clear();
    List<Long> delays = scheduler.delays();
    assertEquals(List.of(200L), millis(delays), "the first probe 200 ms after the node went down");

    scheduler.advanceMillis(60_000); // probes at 0.2 0.6 1.4 3.0 6.2 12.6 22.6 32.6 42.6 52.6 s
    assertEquals(List.of(200L, 400L, 800L, 1_600L, 3_200L, 6_400L, 10_000L, 10_000L, 10_000L, 10_000L, 10_000L),
        millis(scheduler.delays()));
    assertEquals(10, probed.size(), "probes in a minute");
    assertEquals(NodeState.DOWN, node.state());

    probesSucceed = true;
    scheduler.advanceMillis(10_000);
    assertEquals(NodeState.UP, node.state());
    assertEquals(0, node.status().consecutiveFailures());
    KetamaContinuum<Node> full = fullRing(cluster);
    for (byte[] key : keys(1_000)) {
      assertSame(full.nodeFor(key), cluster.nodeFor(key), "back on the ring, its keys return to it");
    }
    assertEquals(0, scheduler.pending(), "no probe of an up node");
  }

  private static List<Long> millis(List<Long> nanos) {
    return nanos.stream().map(TimeUnit.NANOSECONDS::toMillis).toList();
  }

  @Test
  void failFast_downNodeKeepsItsKeysAndRefusesAtOnceNamingTheNode() {
    Cluster cluster = cluster(ClusterSettings.DEFAULTS.withFailurePolicy(FailurePolicy.FAIL_FAST));
    Node node = cluster.nodes().get(2);
    takeDown(node, 3);
    int attempts = connects.get(node.name()).get();

    KetamaContinuum<Node> full = fullRing(cluster);
    for (byte[] key : keys(1_000)) {
      assertSame(full.nodeFor(key), cluster.nodeFor(key), "fail fast keeps the ring");
    }
    NodeDownException e = assertInstanceOf(NodeDownException.class, failure(noop(node)));
    assertEquals("10.0.0.3:11211", e.node());
    assertTrue(e.getMessage().startsWith("node 10.0.0.3:11211 is down after 3 consecutive failures (last: cannot connect"
        + " to 10.0.0.3:11211: Connection refused); next probe in "), e.getMessage());
    assertInstanceOf(ConnectionException.class, e.getCause());
    assertEquals(attempts, connects.get(node.name()).get(), "no connection attempt for a refused request");

    probesSucceed = true;
    scheduler.advanceMillis(1_000);
    assertEquals(NodeState.UP, node.state());
    assertInstanceOf(ConnectionException.class, failure(noop(node)));
    assertFalse(failure(noop(node)) instanceof NodeDownException, "up again: requests are sent");
  }

  @Test
  void redistribute_everyNodeDown_keysGoToTheirOwnNodes() {
    Cluster cluster = cluster(ClusterSettings.DEFAULTS.withFailureThreshold(1));
    for (Node node : cluster.nodes()) {
      takeDown(node, 1);
    }
    KetamaContinuum<Node> full = fullRing(cluster);
    for (byte[] key : keys(1_000)) {
      assertSame(full.nodeFor(key), cluster.nodeFor(key));
    }
    assertFalse(failure(noop(cluster.nodes().get(0))) instanceof NodeDownException,
        "with nowhere else to go, requests are tried");
  }

  @Test
  void nodeForWrite_keyOfADownNode_isJournaledForItsReturn() {
    Cluster cluster = cluster(ClusterSettings.DEFAULTS.withFailureThreshold(1));
    Node node = cluster.nodes().get(0);
    takeDown(node, 1);
    KetamaContinuum<Node> full = fullRing(cluster);
    int own = 0;
    for (byte[] key : keys(300)) {
      cluster.nodeFor(key);
      cluster.nodeForWrite(key);
      cluster.nodeForWrite(key);
      if (full.nodeFor(key) == node) {
        own++;
      }
    }
    cluster.partitionForWrite(keys(300));
    assertEquals(own, node.journal().size(), "each written key of the down node once, reads not at all");
    for (Node other : cluster.nodes().subList(1, 3)) {
      assertEquals(0, other.journal().size());
    }

    // Its stale keys cannot be deleted (every connect is refused): it must not rejoin.
    probesSucceed = true;
    scheduler.advanceMillis(1_000);
    assertEquals(NodeState.DOWN, node.state());
    assertTrue(probed.size() >= 2, "probed again: " + probed);
  }

  @Test
  void setServers_addAndRemove_ringFollowsAndRemovedNodeIsClosed() throws Exception {
    Cluster cluster = cluster(ClusterSettings.DEFAULTS, SERVERS.subList(0, 2));
    Node first = cluster.nodes().get(0);
    Node second = cluster.nodes().get(1);

    CompletableFuture<Void> added = cluster.setServers(SERVERS);
    assertTrue(added.isDone());
    assertEquals(3, cluster.nodes().size());
    assertSame(first, cluster.nodes().get(0), "a node that stays is the same node");
    assertSame(second, cluster.nodes().get(1));
    Node third = cluster.nodes().get(2);
    KetamaContinuum<Node> full = fullRing(cluster);
    int onThird = 0;
    for (byte[] key : keys(1_000)) {
      assertSame(full.nodeFor(key), cluster.nodeFor(key));
      onThird += cluster.nodeFor(key) == third ? 1 : 0;
    }
    assertTrue(onThird > 200, "the new node took its share: " + onThird);

    CompletableFuture<Void> removed = cluster.setServers(List.of(SERVERS.get(2), SERVERS.get(0)));
    removed.get(1, TimeUnit.SECONDS);
    assertEquals(List.of(third, first), cluster.nodes());
    for (byte[] key : keys(1_000)) {
      assertNotSame(second, cluster.nodeFor(key));
    }
    Throwable closed = failure(noop(second));
    assertTrue(closed.getMessage().contains("is closed"), closed.getMessage());
    assertEquals(List.of("10.0.0.3:11211", "10.0.0.1:11211"),
        cluster.nodeStates().stream().map(NodeStatus::name).toList());
  }

  @Test
  void setServers_keepsHealthOfNodesThatStay_andStopsProbingRemovedOnes() throws Exception {
    Cluster cluster = cluster(ClusterSettings.DEFAULTS);
    Node down = cluster.nodes().get(1);
    Node removed = cluster.nodes().get(2);
    takeDown(down, 3);
    takeDown(removed, 3);
    assertEquals(2, scheduler.pending());
    cluster.setServers(SERVERS.subList(0, 2)).get(1, TimeUnit.SECONDS);
    assertEquals(NodeState.DOWN, cluster.nodes().get(1).state());
    assertEquals(1, scheduler.pending(), "the removed node's probe is cancelled");
    probed.clear();
    scheduler.advanceMillis(1_000);
    assertFalse(probed.contains(removed.name()), probed.toString());
  }

  @Test
  void setServers_badLists_areRefusedAndChangeNothing() {
    Cluster cluster = cluster(ClusterSettings.DEFAULTS);
    assertThrows(IllegalArgumentException.class, () -> cluster.setServers(List.of()));
    IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
        () -> cluster.setServers(List.of(SERVERS.get(0), SERVERS.get(0))));
    assertTrue(twice.getMessage().contains("10.0.0.1:11211 is listed twice"), twice.getMessage());
    assertEquals(3, cluster.nodes().size());
    cluster.close();
    assertThrows(IllegalStateException.class, () -> cluster.setServers(SERVERS));
  }

  @Test
  void close_cancelsScheduledProbes() {
    Cluster cluster = cluster(ClusterSettings.DEFAULTS);
    takeDown(cluster.nodes().get(0), 3);
    assertEquals(1, scheduler.pending());
    cluster.close();
    assertEquals(0, scheduler.pending());
    probed.clear();
    scheduler.advanceMillis(60_000);
    assertEquals(List.of(), probed);
  }

  @Test
  void nodeStates_listsEveryNodeInOrder() {
    Cluster cluster = cluster(ClusterSettings.DEFAULTS);
    List<NodeStatus> states = cluster.nodeStates();
    assertEquals(3, states.size());
    assertEquals(new NodeStatus("10.0.0.1:11211", NodeState.UP, 0, null, 0), states.get(0));
    assertNotEquals(states.get(0), states.get(1));
  }
}
