package io.memjcache.internal.failover;

import static io.memjcache.internal.failover.Failovers.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.internal.client.ClientSettings;
import io.memjcache.internal.client.MemcachedClient;
import io.memjcache.internal.cluster.Node;
import io.memjcache.internal.transport.ConnectionSettings;
import io.memjcache.internal.transport.MemcachedException;
import io.memjcache.testing.MemcachedCluster;
import io.memjcache.testing.MemcachedTest;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server list changes under load without a restart: a server added takes its share of the keys
 * at once, a server removed leaves the ring at once and is closed once its requests are done. No
 * request fails and no wrong or stale value is read; moved keys are simply misses.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServerListChangeIT {
  private static final ConnectionSettings CONNECTION = ConnectionSettings.DEFAULTS
      .withOperationTimeout(Duration.ofSeconds(2)).withConnectTimeout(Duration.ofSeconds(2));

  private static long stat(MemcachedClient client, Node node, String name) {
    Map<String, String> stats = MemcachedClient.await(client.stats(node, null), 5_000);
    return Long.parseLong(stats.get(name));
  }

  @Test
  @MemcachedTest(nodes = 4)
  void updateServers_addThenRemoveUnderLoad_noFailureAndTheRingFollows(MemcachedCluster servers) throws Exception {
    List<InetSocketAddress> all = servers.addresses();
    try (MemcachedClient client = new MemcachedClient(
            ClientSettings.of(all.subList(0, 3)).withConnection(CONNECTION));
        Workload load = new Workload(client, "servers-" + System.nanoTime(), 4, 250, Duration.ofMinutes(1))) {
      Node first = client.cluster().nodes().get(0);
      long start = System.nanoTime();
      load.start();
      sleep(1_000);

      CompletableFuture<Void> added = client.updateServers(all);
      assertTrue(added.isDone(), "nothing to close");
      List<Node> nodes = client.cluster().nodes();
      assertEquals(4, nodes.size());
      assertEquals(first, nodes.get(0), "the nodes that stay keep their connections");
      Node fourth = nodes.get(3);
      sleep(1_500);
      long getsOnFourth = stat(client, fourth, "cmd_get");
      long setsOnFourth = stat(client, fourth, "cmd_set");
      assertTrue(getsOnFourth > 100 && setsOnFourth > 100, "the new server takes its share: " + getsOnFourth
          + " gets, " + setsOnFourth + " sets");

      long removing = System.nanoTime();
      CompletableFuture<Void> removed = client.updateServers(all.subList(1, 4));
      removed.get(10, TimeUnit.SECONDS);
      long closedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - removing);
      assertFalse(client.cluster().nodes().contains(first));
      MemcachedException closed = assertThrows(MemcachedException.class,
          () -> MemcachedClient.await(client.noop(first), 5_000));
      assertTrue(closed.getMessage().contains("is closed"), closed.getMessage());
      long setsOnFirst = servers.node(0).isRunning() ? rawSets(servers, 0) : -1;
      sleep(1_500);
      assertEquals(setsOnFirst, rawSets(servers, 0), "no request reaches the removed server");
      load.stop();

      long end = System.nanoTime();
      System.out.printf("servers: added 1 and removed 1 under %.0f ops/s; the removed node closed %d ms after"
          + " the change; %d failures, %d wrong values, %d stale reads%n", load.throughput(start, end), closedMillis,
          load.failedAll(start, end), load.wrongValues(), load.staleReads());
      assertEquals(0, load.failedAll(start, end), "failures: " + load.errorSamples());
      assertEquals(0, load.wrongValues(), load.problems().toString());
      assertEquals(0, load.staleReads(), load.problems().toString());
      assertThrows(IllegalArgumentException.class, () -> client.updateServers(List.of()));
    }
  }

  /** cmd_set of server {@code index}, asked by a client of its own. */
  private static long rawSets(MemcachedCluster servers, int index) {
    try (MemcachedClient direct = new MemcachedClient(ClientSettings.of(List.of(servers.node(index).address())))) {
      return stat(direct, direct.cluster().nodes().get(0), "cmd_set");
    }
  }
}
