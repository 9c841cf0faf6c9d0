package io.memjcache.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

@MemcachedTest(nodes = 2, memoryMb = 32)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MemcachedExtensionIT {

  private static MemcachedCluster fromBeforeAll;
  private static List<Long> methodClusterPids;

  private final MemcachedServer fromConstructor;
  private MemcachedCluster fromBeforeEach;

  MemcachedExtensionIT(MemcachedServer server) {
    this.fromConstructor = server;
  }

  @BeforeAll
  static void beforeAll(MemcachedCluster cluster) {
    fromBeforeAll = cluster;
  }

  @BeforeEach
  void beforeEach(MemcachedCluster cluster) {
    fromBeforeEach = cluster;
  }

  @Test
  @Order(1)
  void classClusterIsSharedEverywhere(MemcachedCluster cluster, MemcachedServer server) {
    assertEquals(2, cluster.size());
    assertSame(fromBeforeAll, cluster);
    assertSame(fromBeforeEach, cluster);
    assertSame(cluster.node(0), server);
    assertSame(server, fromConstructor);
    assertEquals(32, server.options().memoryMb());
    assertTrue(server.isRunning());
    server.version();
  }

  @Test
  @Order(2)
  @MemcachedTest(nodes = 3, maxItemSize = "2m")
  void aMethodAnnotationGetsItsOwnCluster(MemcachedCluster cluster) {
    assertEquals(3, cluster.size());
    assertNotSame(fromBeforeAll, cluster);
    assertEquals("2m", cluster.node(0).options().maxItemSize().orElseThrow());
    methodClusterPids = cluster.nodes().stream()
        .map(n -> n.pid().orElseThrow())
        .collect(Collectors.toList());
    cluster.node(2).version();
  }

  @Test
  @Order(3)
  void theMethodClusterWasClosedWhenItsTestEnded(MemcachedCluster cluster) {
    assertSame(fromBeforeAll, cluster);
    assertEquals(3, methodClusterPids.size());
    for (long pid : methodClusterPids) {
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid);
    }
  }

  @Nested
  class NestedTests {
    @Test
    void nestedClassesShareTheOuterCluster(MemcachedCluster cluster) {
      assertSame(fromBeforeAll, cluster);
    }
  }

  @Nested
  @MemcachedTest(options = SaslOptions.class)
  class NestedWithOwnOptions {
    @Test
    void optionsClassSuppliesFeatures(MemcachedServer server) {
      assertNotSame(fromBeforeAll.node(0), server);
      assertTrue(server.feature(SaslFeature.class).isPresent());
      assertEquals(64, server.options().memoryMb());
    }
  }

  /** Base options with SASL, as a test needing authentication would declare them. */
  public static final class SaslOptions implements java.util.function.Supplier<ServerOptions> {
    @Override
    public ServerOptions get() {
      return ServerOptions.builder().feature(SaslFeature.plain("tester", "pw")).build();
    }
  }
}
