package io.memjcache.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.internal.sasl.AuthenticationException;
import io.memjcache.internal.transport.Connection;
import io.memjcache.internal.transport.ConnectionException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What a node counts when its connections cannot be opened; the server-backed cases are in the ITs. */
class NodeCountersTest {
  private static final InetSocketAddress ADDRESS = InetSocketAddress.createUnresolved("h", 1);

  @Test
  void connectFailure_refusedLogin_countedAsConnectAndAuthenticationFailure() {
    Node node = new Node(ADDRESS, address -> CompletableFuture.failedFuture(new AuthenticationException(
        AuthenticationException.Reason.CREDENTIALS_REJECTED, "h:1", "refused")));
    assertTrue(node.connection().isCompletedExceptionally());
    assertEquals(1, node.counters().connectFailures());
    assertEquals(1, node.counters().authenticationFailures());
    assertEquals(0, node.counters().reconnects());
    assertTrue(node.openConnection().isEmpty());
  }

  @Test
  void connectFailure_refusedConnection_countedOnceWhileBackingOff() {
    AtomicInteger attempts = new AtomicInteger();
    Node node = new Node(ADDRESS, address -> {
      attempts.incrementAndGet();
      return CompletableFuture.<Connection>failedFuture(new ConnectionException("cannot connect to h:1: refused"));
    });
    node.connection();
    node.connection(); // within the back-off: no new attempt, so nothing new to count
    assertEquals(1, attempts.get());
    assertEquals(1, node.counters().connectFailures());
    assertEquals(0, node.counters().authenticationFailures());
    assertEquals(0, node.counters().timeouts());
  }

  @Test
  void connectFailure_afterClose_notCounted() {
    CompletableFuture<Connection> pending = new CompletableFuture<>();
    Node node = new Node(ADDRESS, address -> pending);
    node.connection();
    node.close();
    pending.completeExceptionally(new ConnectionException("closed"));
    assertEquals(0, node.counters().connectFailures());
  }

  @Test
  void connection_failedAttempt_completesAfterTheNodeCountedIt() {
    CompletableFuture<Connection> pending = new CompletableFuture<>();
    Node node = new Node(ADDRESS, address -> pending);
    AtomicLong seen = new AtomicLong(-1);
    // registered after the node's own handler: a dependent of the attempt itself would run first
    node.connection().whenComplete((c, error) -> seen.set(node.counters().connectFailures()));
    pending.completeExceptionally(new ConnectionException("cannot connect to h:1: refused"));
    assertEquals(1, seen.get(), "whoever the connection future wakes sees the failure counted");
  }
}
