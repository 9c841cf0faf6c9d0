package io.memjcache.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.internal.client.MemcachedClient;
import io.memjcache.internal.protocol.Opcode;
import io.memjcache.internal.protocol.Request;
import io.memjcache.internal.transport.Connection;
import io.memjcache.internal.transport.ConnectionException;
import io.memjcache.internal.transport.ConnectionSettings;
import io.memjcache.internal.transport.EventLoops;
import io.memjcache.internal.transport.FakeMemcached;
import io.memjcache.internal.transport.SingleCommand;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Probes and rejoins over real connections to in-process fake servers, one of which can be made to
 * refuse connections: the probe opens a connection and asks VERSION; the keys written elsewhere
 * while a node was down are deleted from it before it rejoins and from its stand-in after.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ClusterRejoinTest {
  private static final ConnectionSettings SETTINGS = ConnectionSettings.DEFAULTS
      .withConnectTimeout(Duration.ofSeconds(2)).withOperationTimeout(Duration.ofSeconds(2));

  private EventLoops loops;
  private FakeMemcached a;
  private FakeMemcached b;
  private volatile boolean refuseA;
  private volatile boolean refuseB;
  private final List<Cluster> clusters = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    loops = EventLoops.acquire();
    FakeMemcached.Script script = (request, peer) -> {
      if (!Opcode.isQuiet(request.opcode())) {
        peer.replyOk(request); // quiet deletes succeed silently
      }
    };
    a = FakeMemcached.start(script);
    b = FakeMemcached.start(script);
  }

  @AfterEach
  void stop() throws Exception {
    clusters.forEach(Cluster::close);
    loops.release();
    a.close();
    b.close();
  }

  private CompletableFuture<Connection> connect(InetSocketAddress address) {
    if ((refuseA && address.getPort() == a.port()) || (refuseB && address.getPort() == b.port())) {
      return CompletableFuture.failedFuture(new ConnectionException("cannot connect to " + address + ": refused"));
    }
    return Connection.open(loops, address, SETTINGS, null, List.of());
  }

  private Cluster cluster(List<InetSocketAddress> servers, ClusterSettings settings) {
    Cluster cluster = new Cluster(servers, this::connect, settings, loops.group()::schedule);
    clusters.add(cluster);
    return cluster;
  }

  private static CompletableFuture<Void> noop(Node node) {
    return node.send(new SingleCommand<>(Request.bare(Opcode.NOOP), (r, n) -> null));
  }

  private static void await(BooleanSupplier condition, long millis, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(what + " did not happen within " + millis + " ms");
      }
      Thread.sleep(10);
    }
  }

  /** Calls the node until it is down. */
  private static void takeDown(Node node) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (node.state() != NodeState.DOWN) {
      assertTrue(System.nanoTime() - deadline < 0, "never went down: " + node.status());
      noop(node).handle((v, e) -> null).join();
      Thread.sleep(20);
    }
  }

  private static Set<String> deletedKeys(FakeMemcached server) {
    return server.received().stream().filter(f -> f.opcode() == Opcode.DELETEQ).map(FakeMemcached.Frame::keyString)
        .collect(Collectors.toSet());
  }

  @Test
  void downNodeAnswersAgain_keysWrittenElsewhereAreDeletedOnBothSides_andItRejoins() throws Exception {
    Cluster cluster = cluster(List.of(a.address(), b.address()),
        ClusterSettings.DEFAULTS.withProbeIntervals(Duration.ofMillis(100), Duration.ofMillis(400)));
    Node nodeA = cluster.nodes().get(0);
    Node nodeB = cluster.nodes().get(1);
    refuseA = true;
    takeDown(nodeA);

    KetamaContinuum<Node> full = KetamaContinuum.of(cluster.nodes(), n -> KetamaNodeKeyFormat.SPYMEMCACHED.nodeKey(
        n.address().getHostString(), n.address().getPort()));
    List<String> written = new ArrayList<>();
    for (int i = 0; written.size() < 20; i++) {
      byte[] key = ("key-" + i).getBytes(StandardCharsets.US_ASCII);
      if (full.nodeFor(key) != nodeA) {
        continue;
      }
      // A's state turns DOWN a moment before the cluster publishes the ring without it
      await(() -> cluster.nodeForWrite(key) == nodeB, 5_000, "a down node's keys are written on the other node");
      Node node = cluster.nodeForWrite(key);
      MemcachedClient.await(node.send(new SingleCommand<>(Request.store(Opcode.SET, key, new byte[] {1}, 0, 0, 0L),
          (r, n) -> null)), 5_000);
      written.add("key-" + i);
    }
    assertEquals(Set.of(), deletedKeys(a));

    refuseA = false;
    await(() -> nodeA.state() == NodeState.UP, 5_000, "rejoin");
    assertEquals(Set.copyOf(written), deletedKeys(a), "deleted from the returning node before it rejoined");
    await(() -> deletedKeys(b).equals(Set.copyOf(written)), 5_000, "clearing the stand-in's copies");
    for (String key : written) {
      assertSame(nodeA, cluster.nodeFor(key.getBytes(StandardCharsets.US_ASCII)));
    }
    assertEquals(0, nodeA.journal().size());
    assertTrue(a.received().stream().anyMatch(f -> f.opcode() == Opcode.NOOP), "the delete batch ends with a NOOP");
  }

  /**
   * A's key is written on B while A is down, then on C while B is down too. When B comes back the
   * key would be read from B, which holds the older copy: B deletes it before it rejoins. When A
   * comes back, the copy on C is deleted too.
   */
  @Test
  void standInGoesDownToo_itsOlderCopyIsDeletedBeforeItRejoins() throws Exception {
    FakeMemcached.Script script = (request, peer) -> {
      if (!Opcode.isQuiet(request.opcode())) {
        peer.replyOk(request);
      }
    };
    try (FakeMemcached c = FakeMemcached.start(script)) {
      Cluster cluster = cluster(List.of(a.address(), b.address(), c.address()),
          ClusterSettings.DEFAULTS.withProbeIntervals(Duration.ofMillis(100), Duration.ofMillis(400)));
      Node nodeA = cluster.nodes().get(0);
      Node nodeB = cluster.nodes().get(1);
      Node nodeC = cluster.nodes().get(2);
      refuseA = true;
      takeDown(nodeA);
      // a key of A whose stand-in is B while A is down
      byte[] key = null;
      for (int i = 0; key == null; i++) {
        byte[] candidate = ("key-" + i).getBytes(StandardCharsets.US_ASCII);
        if (KetamaContinuum.of(cluster.nodes(), ClusterRejoinTest::nodeKey).nodeFor(candidate) == nodeA
            && cluster.nodeFor(candidate) == nodeB) {
          key = candidate;
        }
      }
      byte[] k = key;
      set(cluster, k, nodeB);
      refuseB = true;
      for (int i = 0; i < b.connections(); i++) {
        b.peer(i).close(); // B's open connection drops; reconnects are refused
      }
      takeDown(nodeB);
      set(cluster, k, nodeC);
      assertEquals(Set.of(), deletedKeys(b));

      refuseB = false;
      await(() -> nodeB.state() == NodeState.UP, 5_000, "B's rejoin");
      assertTrue(deletedKeys(b).contains(new String(k, StandardCharsets.US_ASCII)),
          "B deleted its older copy of A's key before rejoining: " + deletedKeys(b));
      // B's state turns UP a moment before the cluster publishes the ring that includes it again
      await(() -> cluster.nodeFor(k) == nodeB, 5_000, "A is still down: B serves the key again");

      refuseA = false;
      await(() -> nodeA.state() == NodeState.UP, 5_000, "A's rejoin");
      await(() -> deletedKeys(c).contains(new String(k, StandardCharsets.US_ASCII)), 5_000, "clearing C's copy");
      assertSame(nodeA, cluster.nodeFor(k));
    }
  }

  private static String nodeKey(Node n) {
    return KetamaNodeKeyFormat.SPYMEMCACHED.nodeKey(n.address().getHostString(), n.address().getPort());
  }

  /**
   * Writes {@code key} where the ring sends it, which must be {@code expected}. A node's state
   * changes a moment before the cluster publishes the ring that follows it, so the ring is given a
   * little time to get there.
   */
  private static void set(Cluster cluster, byte[] key, Node expected) throws InterruptedException {
    await(() -> cluster.nodeForWrite(key) == expected, 5_000, "the ring sends the key to " + expected.name());
    Node node = cluster.nodeForWrite(key);
    assertSame(expected, node);
    MemcachedClient.await(node.send(new SingleCommand<>(Request.store(Opcode.SET, key, new byte[] {1}, 0, 0, 0L),
        (r, n) -> null)), 5_000);
  }

  @Test
  void singleNode_down_requestsAreStillTried_andAnAnswerBringsItBackAtOnce() throws Exception {
    Cluster cluster = cluster(List.of(a.address()),
        ClusterSettings.DEFAULTS.withProbeIntervals(Duration.ofSeconds(20), Duration.ofSeconds(20)));
    Node node = cluster.nodes().get(0);
    refuseA = true;
    takeDown(node);
    refuseA = false;
    long start = System.nanoTime();
    await(() -> noop(node).handle((v, e) -> e == null).join(), 2_000, "a request to the only, down, node");
    await(() -> node.state() == NodeState.UP, 2_000, "the probe the answer asked for");
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(millis < 5_000, "back after " + millis + " ms, long before the 20 s probe");
    assertNull(MemcachedClient.await(noop(node), 5_000));
    assertEquals(0, node.status().reconnects(), "the first connection is no reconnect: " + node.status());
  }
}
