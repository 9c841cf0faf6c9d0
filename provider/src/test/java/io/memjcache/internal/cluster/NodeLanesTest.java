package io.memjcache.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.internal.transport.Connection;
import io.memjcache.internal.transport.ConnectionException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Which connection (lane) of a node carries a key, and how a cluster splits keys over lanes. */
class NodeLanesTest {
  private final FakeScheduler scheduler = new FakeScheduler();
  private final AtomicInteger connects = new AtomicInteger();

  private CompletableFuture<Connection> refuse(InetSocketAddress address) {
    connects.incrementAndGet();
    return CompletableFuture.failedFuture(new ConnectionException("refused"));
  }

  private Cluster cluster(int servers, int lanes) {
    List<InetSocketAddress> addresses = new ArrayList<>();
    for (int i = 0; i < servers; i++) {
      addresses.add(InetSocketAddress.createUnresolved("10.0.0." + (i + 1), 11211));
    }
    return new Cluster(addresses, this::refuse, lanes, ClusterSettings.DEFAULTS, scheduler);
  }

  private static byte[][] keys(int count) {
    byte[][] keys = new byte[count][];
    for (int i = 0; i < count; i++) {
      keys[i] = ("key-" + i).getBytes(StandardCharsets.UTF_8);
    }
    return keys;
  }

  @Test
  void lane_oneConnection_alwaysZero() {
    Node node = cluster(1, 1).soleNode();
    assertEquals(1, node.lanes());
    for (byte[] key : keys(100)) {
      assertEquals(0, node.lane(key));
    }
  }

  @Test
  void lane_sameKeyBytes_sameLane_andPrefixFormAgrees() {
    Node node = cluster(1, 4).soleNode();
    byte[] prefix = "mj:namespace:1f:".getBytes(StandardCharsets.US_ASCII);
    for (byte[] suffix : keys(500)) {
      byte[] joined = new byte[prefix.length + suffix.length];
      System.arraycopy(prefix, 0, joined, 0, prefix.length);
      System.arraycopy(suffix, 0, joined, prefix.length, suffix.length);
      int lane = node.lane(joined);
      assertTrue(lane >= 0 && lane < 4);
      assertEquals(lane, node.lane(joined.clone()));
      assertEquals(lane, node.lane(prefix, suffix));
    }
  }

  @Test
  void lane_keysWithACommonPrefix_spreadEvenly() {
    Node node = cluster(1, 4).soleNode();
    int[] counts = new int[4];
    for (byte[] key : keys(4000)) {
      counts[node.lane(("mj:ns:7:" + new String(key, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8))]++;
    }
    for (int lane = 0; lane < 4; lane++) {
      assertTrue(counts[lane] > 800 && counts[lane] < 1200, "lane " + lane + " got " + counts[lane] + " of 4000");
    }
  }

  @Test
  void parts_splitByNodeThenLane_inRequestOrder_coveringEveryKeyOnce() {
    Cluster cluster = cluster(3, 2);
    byte[][] keys = keys(600);
    List<Cluster.Part> parts = cluster.parts(keys, false);
    assertEquals(6, parts.size(), "3 nodes x 2 lanes");
    boolean[] seen = new boolean[keys.length];
    for (Cluster.Part part : parts) {
      int previous = -1;
      for (int index : part.indexes()) {
        assertTrue(index > previous, "request order within a part");
        previous = index;
        assertTrue(!seen[index], "key " + index + " in two parts");
        seen[index] = true;
        assertEquals(cluster.nodeFor(keys[index]), part.node(), "node of key " + index);
        assertEquals(part.node().lane(keys[index]), part.lane(), "lane of key " + index);
      }
    }
    for (int i = 0; i < seen.length; i++) {
      assertTrue(seen[i], "key " + i + " in no part");
    }
  }

  @Test
  void parts_oneLane_onePartPerNodeWithAllItsKeys() {
    Cluster cluster = cluster(1, 1);
    List<Cluster.Part> parts = cluster.parts(keys(10), true);
    assertEquals(1, parts.size());
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, parts.get(0).indexes());
  }

  @Test
  void connect_eachLaneConnectsOnItsFirstUse_onlyThen() {
    Node node = cluster(1, 3).soleNode();
    assertEquals(0, connects.get(), "no connection before use");
    node.connection().exceptionally(e -> null).join();
    assertEquals(1, connects.get(), "the first lane only");
    assertEquals(0, node.openConnections());
  }

  @Test
  void cluster_zeroConnectionsPerNode_isRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cluster(1, 0));
    assertEquals("connectionsPerNode must be at least 1, was 0", e.getMessage());
  }
}
