package io.memjcache.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MemcachedClusterIT {

  @Test
  void nodesGetDistinctPortsAndAnswerIndependently() throws IOException {
    List<ProcessHandle> processes;
    try (MemcachedCluster cluster = MemcachedCluster.start(3)) {
      assertEquals(3, cluster.size());
      Set<Integer> ports = cluster.nodes().stream().map(MemcachedServer::port).collect(Collectors.toSet());
      assertEquals(3, ports.size(), "distinct ports: " + ports);
      assertTrue(cluster.serverList().matches("127\\.0\\.0\\.1:\\d+(,127\\.0\\.0\\.1:\\d+){2}"),
          cluster.serverList());
      assertEquals(cluster.node(1).hostAndPort(), cluster.serverList().split(",")[1]);
      List<InetSocketAddress> addresses = cluster.addresses();
      assertEquals(cluster.node(2).address(), addresses.get(2));

      for (int i = 0; i < cluster.size(); i++) {
        try (RawBinaryClient client = RawBinaryClient.connect(addresses.get(i), Duration.ofSeconds(5))) {
          assertEquals(0, client.set("node", new byte[] {(byte) i}));
        }
      }
      for (int i = 0; i < cluster.size(); i++) {
        try (RawBinaryClient client = RawBinaryClient.connect(addresses.get(i), Duration.ofSeconds(5))) {
          assertEquals(i, client.get("node").value()[0], "each node keeps its own data");
        }
      }
      processes = cluster.nodes().stream()
          .map(n -> ProcessHandle.of(n.pid().orElseThrow()).orElseThrow())
          .collect(Collectors.toList());
    }
    for (ProcessHandle p : processes) {
      assertFalse(p.isAlive(), "closed cluster left " + p.pid());
    }
  }

  @Test
  void aStartFailureIsReported() {
    ServerOptions bad = ServerOptions.builder().extraArgs("--no-such-flag").build();
    assertThrows(MemcachedStartException.class, () -> MemcachedCluster.start(2, bad));
    assertThrows(IllegalArgumentException.class, () -> MemcachedCluster.start(0));
  }

  @Test
  void oneNodeCanBeKilledAndRestartedWhileTheOthersServe() {
    try (MemcachedCluster cluster = MemcachedCluster.start(2)) {
      String before = cluster.serverList();
      cluster.node(0).kill();
      cluster.node(1).version();
      cluster.node(0).restart();
      assertEquals(before, cluster.serverList());
      cluster.node(0).version();
    }
  }
}
