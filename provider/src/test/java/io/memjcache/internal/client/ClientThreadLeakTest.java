package io.memjcache.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.memjcache.internal.cluster.Node;
import io.memjcache.internal.protocol.Opcode;
import io.memjcache.internal.transport.ConnectionSettings;
import io.memjcache.internal.transport.FakeMemcached;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Closing every client gives back the shared I/O threads: nothing named "memjcache*" survives, and a
 * client opened afterwards starts them again and works. Assumes no other test in the JVM holds a
 * client open, which is true when every test closes what it opens.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ClientThreadLeakTest {
  private static final ConnectionSettings SETTINGS = ConnectionSettings.DEFAULTS
      .withOperationTimeout(Duration.ofSeconds(5)).withConnectTimeout(Duration.ofSeconds(5));

  private static Set<String> memjcacheThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.startsWith("memjcache"))
        .collect(Collectors.toSet());
  }

  private static Set<String> awaitNoMemjcacheThreads() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    Set<String> alive = memjcacheThreads();
    while (!alive.isEmpty() && System.nanoTime() - deadline < 0) {
      Thread.sleep(20);
      alive = memjcacheThreads();
    }
    return alive;
  }

  private static void use(MemcachedClient client) {
    byte[] key = "k".getBytes(StandardCharsets.US_ASCII);
    for (Node node : client.cluster().nodes()) {
      MemcachedClient.await(client.noop(node), 5000);
    }
    assertNull(MemcachedClient.await(client.get(key), 5000));
  }

  private static FakeMemcached missServer() throws Exception {
    return FakeMemcached.start((request, peer) -> {
      if (request.opcode() == Opcode.GET) {
        peer.replyStatus(request, 0x0001, "Not found");
      } else {
        peer.replyOk(request);
      }
    });
  }

  @Test
  void close_everyClient_noMemjcacheThreadRemainsAndNewClientWorks() throws Exception {
    assertEquals(Set.of(), awaitNoMemjcacheThreads(), "threads left over from an earlier test");
    try (FakeMemcached a = missServer(); FakeMemcached b = missServer(); FakeMemcached c = missServer()) {
      String servers = a.node() + "," + b.node() + "," + c.node();
      List<MemcachedClient> clients = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        MemcachedClient client = new MemcachedClient(
            ClientSettings.of(ClientSettings.parseServers(servers)).withConnection(SETTINGS));
        clients.add(client);
        use(client);
      }
      assertFalse(memjcacheThreads().isEmpty(), "clients in use run memjcache-io threads");

      for (MemcachedClient client : clients) {
        client.close();
      }
      clients.get(0).close(); // closing twice is harmless and must not release twice
      assertEquals(Set.of(), awaitNoMemjcacheThreads(), "threads alive after every client closed");

      try (MemcachedClient again = new MemcachedClient(
          ClientSettings.of(ClientSettings.parseServers(servers)).withConnection(SETTINGS))) {
        use(again);
      }
      assertEquals(Set.of(), awaitNoMemjcacheThreads(), "threads alive after the second round");
    }
  }

  @Test
  void close_oneOfTwoClients_otherKeepsWorking() throws Exception {
    try (FakeMemcached fake = missServer()) {
      MemcachedClient first = new MemcachedClient(
          ClientSettings.of(ClientSettings.parseServers(fake.node())).withConnection(SETTINGS));
      try (MemcachedClient second = new MemcachedClient(
          ClientSettings.of(ClientSettings.parseServers(fake.node())).withConnection(SETTINGS))) {
        use(first);
        use(second);
        first.close();
        first.close();
        use(second);
      }
    }
    assertEquals(Set.of(), awaitNoMemjcacheThreads());
  }
}
