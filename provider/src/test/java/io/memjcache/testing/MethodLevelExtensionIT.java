package io.memjcache.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link MemcachedTest} on methods only: each annotated method gets its own servers. */
class MethodLevelExtensionIT {

  @Test
  @MemcachedTest(nodes = 2)
  void twoNodes(MemcachedCluster cluster) {
    assertEquals(2, cluster.size());
    cluster.nodes().forEach(MemcachedServer::version);
  }

  @Test
  @MemcachedTest(threads = 1, maxConnections = 64, extraArgs = {"-R", "10"})
  void oneServerWithTunedOptions(MemcachedServer server) {
    assertEquals(1, server.options().threads());
    assertEquals(64, server.options().maxConnections().orElseThrow());
    assertEquals(java.util.List.of("-R", "10"), server.options().extraArgs());
    assertTrue(server.isRunning());
    server.version();
  }
}
