package io.memjcache.internal.failover;

import static io.memjcache.internal.failover.Failovers.awaitState;
import static io.memjcache.internal.failover.Failovers.millis;
import static io.memjcache.internal.failover.Failovers.nanos;
import static io.memjcache.internal.failover.Failovers.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.internal.client.ClientSettings;
import io.memjcache.internal.client.MemcachedClient;
import io.memjcache.internal.cluster.NodeState;
import io.memjcache.internal.transport.ConnectionSettings;
import io.memjcache.testing.FaultProxy;
import io.memjcache.testing.MemcachedCluster;
import io.memjcache.testing.MemcachedTest;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A server cut off by the network (a stalled path, then reset connections) rather than killed: it
 * keeps its data while its keys are written on the other servers. When the path heals it answers a
 * probe, and before it rejoins the keys written elsewhere meanwhile are deleted from it, so the
 * values it held from before are never read again: no stale read, no wrong value.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StallFailoverIT {
  private static final ConnectionSettings CONNECTION = ConnectionSettings.DEFAULTS
      .withOperationTimeout(Duration.ofMillis(300)).withConnectTimeout(Duration.ofMillis(500));
  private static final int CUT = 1;

  @Test
  @MemcachedTest(nodes = 3)
  void stalledServer_downWhileItsKeysAreWrittenElsewhere_neverServesItsOlderValuesAfterRejoining(
      MemcachedCluster servers) throws Exception {
    try (FaultProxy proxy = FaultProxy.start(servers.node(CUT).address(), Duration.ofMinutes(2))) {
      List<InetSocketAddress> addresses = List.of(servers.node(0).address(), proxy.address(), servers.node(2).address());
      try (MemcachedClient client = new MemcachedClient(ClientSettings.of(addresses).withConnection(CONNECTION));
          Workload load = new Workload(client, "stall-" + System.nanoTime(), 4, 150, Duration.ofMinutes(1))) {
        long start = System.nanoTime();
        load.start();
        sleep(1_500);
        long stall = System.nanoTime();
        proxy.stall();
        long down = awaitState(client, CUT, NodeState.DOWN, 10_000);
        sleep(100);
        proxy.reset(); // drop what the stalled connections hold: those requests are lost, as in a real cut
        sleep(2_000);
        long heal = System.nanoTime();
        proxy.passThrough();
        long up = awaitState(client, CUT, NodeState.UP, 20_000);
        sleep(2_000);
        load.stop();
        long end = System.nanoTime();

        System.out.printf("stall: node down %d ms after the stall (timeout %d ms); %d failed operations on its keys;"
            + " %d of its keys' operations served elsewhere meanwhile; back %d ms after the path healed;"
            + " %d wrong values, %d stale reads%n", millis(down - stall), CONNECTION.operationTimeout().toMillis(),
            load.failed(CUT, stall, end), load.ok(CUT, down + nanos(200), heal), millis(up - heal),
            load.wrongValues(), load.staleReads());
        load.errorSamples().forEach(sample -> System.out.println("stall:   error: " + sample));
        assertEquals(0, load.wrongValues(), load.problems().toString());
        assertEquals(0, load.staleReads(), load.problems().toString());
        for (int node = 0; node < 3; node++) {
          if (node != CUT) {
            assertEquals(0, load.failed(node, start, end), "failures of node " + node + "'s keys");
          }
        }
        assertEquals(0, load.failed(CUT, down + nanos(200), end), "no failure once the node is seen down: "
            + load.errorSamples());
        assertTrue(load.ok(CUT, down + nanos(200), heal) > 100, "its keys are served elsewhere meanwhile");
        assertTrue(load.ok(CUT, up + nanos(200), end) > 100, "and by it again after it rejoined");
      }
    }
  }
}
