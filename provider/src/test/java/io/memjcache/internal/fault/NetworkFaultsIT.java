package io.memjcache.internal.fault;

import static io.memjcache.internal.fault.CheckedValues.isValueOf;
import static io.memjcache.internal.fault.CheckedValues.key;
import static io.memjcache.internal.fault.CheckedValues.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.memjcache.internal.client.ClientSettings;
import io.memjcache.internal.client.Item;
import io.memjcache.internal.client.MemcachedClient;
import io.memjcache.internal.client.StoreResult;
import io.memjcache.internal.transport.ConnectionException;
import io.memjcache.internal.transport.ConnectionSettings;
import io.memjcache.internal.transport.MemcachedException;
import io.memjcache.internal.transport.MemcachedTimeoutException;
import io.memjcache.testing.FaultProxy;
import io.memjcache.testing.FaultProxy.AfterCut;
import io.memjcache.testing.FaultProxy.Direction;
import io.memjcache.testing.MemcachedServer;
import io.memjcache.testing.MemcachedTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link MemcachedClient} against a real memcached through a {@link FaultProxy}: each network fault
 * either passes unnoticed (latency under the timeout) or fails the affected requests promptly with a
 * clear error, after which the client recovers by itself. Values carry their key and a checksum, so a
 * value delivered to the wrong request, or cut short, would be seen: the count of those must stay 0.
 */
@MemcachedTest(nodes = 1)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NetworkFaultsIT {
  static final Duration TIMEOUT = Duration.ofMillis(400);
  static final Duration CONNECT_TIMEOUT = Duration.ofMillis(1000);
  /** What a prompt failure may take beyond its deadline: the 10 ms sweep, scheduling, a loaded CI. */
  static final long SLACK_MILLIS = 1500; // generous: "promptly" means well before a hang, on a loaded machine too
  /** How long the client may take to serve again once a fault is gone (reconnect back-off included). */
  static final long RECOVERY_MILLIS = 6_000;

  static final FaultLedger LEDGER = new FaultLedger("NetworkFaultsIT");

  private MemcachedServer server;
  private FaultProxy proxy;
  private final List<MemcachedClient> clients = new ArrayList<>();
  private MemcachedClient client;
  private String prefix;

  @BeforeEach
  void start(MemcachedServer server, TestInfo test) {
    this.server = server;
    proxy = FaultProxy.start(server.address(), Duration.ofSeconds(90));
    client = client(TIMEOUT);
    prefix = test.getTestMethod().orElseThrow().getName() + "-" + Long.toHexString(System.nanoTime()) + ":";
  }

  @AfterEach
  void stop() {
    clients.forEach(MemcachedClient::close);
    proxy.close();
  }

  @AfterAll
  static void summary() {
    System.out.println(LEDGER.summary());
    assertEquals(0, LEDGER.wrongValues(), "wrong values seen");
  }

  private MemcachedClient client(Duration timeout) {
    MemcachedClient c = new MemcachedClient(ClientSettings.of(List.of(proxy.address()))
        .withConnection(ConnectionSettings.DEFAULTS.withOperationTimeout(timeout).withConnectTimeout(CONNECT_TIMEOUT)));
    clients.add(c);
    return c;
  }

  private byte[] k(String name) {
    return key(prefix + name);
  }

  /** Stores a checked value for {@code key} straight on the server, bypassing the proxy. */
  private byte[] plant(byte[] key, int size) {
    byte[] value = value(key, 1, size);
    try (MemcachedClient direct = new MemcachedClient(ClientSettings.of(List.of(server.address())))) {
      assertTrue(MemcachedClient.await(direct.set(key, value, 0, 0)).stored());
    }
    return value;
  }

  /** Reads {@code key} and counts a wrong value; returns the item or rethrows the failure. */
  private Item checkedGet(MemcachedClient c, byte[] key) {
    Item item = MemcachedClient.await(c.get(key), 10_000);
    if (item != null && !isValueOf(key, item.value())) {
      LEDGER.wrongValue();
      fail("a wrong value was delivered for " + new String(key));
    }
    return item;
  }

  /** Waits until a read of {@code key} through {@code c} succeeds with its value; returns the time taken. */
  private long awaitRecovery(MemcachedClient c, byte[] key, String kind) {
    long start = System.nanoTime();
    long deadline = start + TimeUnit.MILLISECONDS.toNanos(RECOVERY_MILLIS);
    MemcachedException last = null;
    while (System.nanoTime() - deadline < 0) {
      try {
        Item item = checkedGet(c, key);
        assertNotNull(item, "the value must still be there after " + kind);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        LEDGER.recovery(millis);
        LEDGER.survived(kind);
        return millis;
      } catch (MemcachedException e) {
        last = e;
        LEDGER.operation(false);
        sleep(20);
      }
    }
    throw new AssertionError("no recovery within " + RECOVERY_MILLIS + " ms after " + kind, last);
  }

  /** The failure of {@code future}, waiting at most {@code millis}. */
  private static Throwable failureOf(CompletableFuture<?> future, long millis) {
    try {
      Object result = future.get(millis, TimeUnit.MILLISECONDS);
      throw new AssertionError("expected a failure, got " + result);
    } catch (ExecutionException e) {
      return MemcachedClient.unwrap(e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("still pending after " + millis + " ms: not failed promptly");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  // ---------------------------------------------------------------- latency

  @Test
  void latencyBelowTimeout_concurrentSetsAndGets_allSucceedWithTheirOwnValues() throws Exception {
    // A timeout well above the added latency, so a loaded CI machine's own delays cannot push a
    // request over it: what is tested is that latency under the timeout costs nothing.
    MemcachedClient client = client(Duration.ofSeconds(3));
    proxy.latency(Duration.ofMillis(60)); // 120 ms a round trip, timeout 3 s
    LEDGER.injected("latency<timeout");
    int acceptedBefore = proxy.connectionsAccepted();
    long start = System.nanoTime();
    assertEquals(null, checkedGet(client, k("probe")));
    assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(110), "the latency was not applied");

    List<CompletableFuture<Void>> work = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int thread = t;
      work.add(CompletableFuture.runAsync(() -> {
        for (int i = 0; i < 25; i++) {
          byte[] key = k("t" + thread + "-" + i);
          byte[] value = value(key, i, 100 + 37 * i);
          StoreResult stored = MemcachedClient.await(client.set(key, value, 0, 0));
          assertTrue(stored.stored());
          Item item = checkedGet(client, key);
          assertNotNull(item);
          assertEquals(i, CheckedValues.version(item.value()));
          LEDGER.operation(true);
        }
      }));
    }
    CompletableFuture.allOf(work.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
    assertEquals(acceptedBefore + 1, proxy.connectionsAccepted(), "latency under the timeout must not cost the connection");
    client.close();
    LEDGER.survived("latency<timeout");
  }

  /**
   * Latency above the timeout (but under twice it, so the connection is kept): every request times
   * out and its answer arrives late. Once the latency drops, new requests on the same connection get
   * their own answers, and the late ones are dropped instead of being handed to them.
   */
  @Test
  void latencyAboveTimeout_lateAnswersAreDroppedAndLaterRequestsGetTheirOwn() {
    int n = 50;
    byte[][] keys = new byte[n][];
    for (int i = 0; i < n; i++) {
      keys[i] = k("slow-" + i);
      plant(keys[i], 200 + i);
    }
    // A timeout of 1 s and 1.5 s round trips: 500 ms margins to the timeout and to the 2 s close.
    Duration timeout = Duration.ofSeconds(1);
    MemcachedClient client = client(timeout);
    assertNotNull(checkedGet(client, keys[0])); // connected
    proxy.latency(Duration.ofMillis(750));
    LEDGER.injected("latency>timeout");
    List<CompletableFuture<Item>> slow = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      slow.add(client.get(keys[i]));
    }
    for (CompletableFuture<Item> f : slow) {
      assertInstanceOf(MemcachedTimeoutException.class, failureOf(f, timeout.toMillis() + SLACK_MILLIS));
    }
    proxy.passThrough(); // the late answers now arrive together with the next requests' answers
    for (int round = 0; round < 3; round++) {
      List<CompletableFuture<Item>> fresh = new ArrayList<>();
      for (int i = n - 1; i >= 0; i--) {
        fresh.add(client.get(keys[i]));
      }
      for (int i = 0; i < n; i++) {
        Item item = MemcachedClient.await(fresh.get(i), 5_000);
        byte[] key = keys[n - 1 - i];
        if (item == null || !isValueOf(key, item.value())) {
          LEDGER.wrongValue();
          fail("request for key " + (n - 1 - i) + " got " + (item == null ? "nothing" : "another value"));
        }
        LEDGER.operation(true);
      }
    }
    assertEquals(1, proxy.connectionsAccepted(), "answers under twice the timeout keep the connection");
    LEDGER.survived("latency>timeout");
  }

  // ---------------------------------------------------------------- stall

  @Test
  void stall_timesOutPromptlyThenRecoversByItselfOnANewConnection() {
    byte[] key = k("stalled");
    plant(key, 1000);
    assertNotNull(checkedGet(client, key));
    for (int round = 0; round < 3; round++) {
      proxy.stall();
      LEDGER.injected("stall");
      long start = System.nanoTime();
      MemcachedTimeoutException timeout = assertThrows(MemcachedTimeoutException.class, () -> checkedGet(client, key));
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(millis >= TIMEOUT.toMillis() - 20 && millis <= TIMEOUT.toMillis() + SLACK_MILLIS,
          "timed out after " + millis + " ms, timeout " + TIMEOUT.toMillis());
      assertTrue(timeout.getMessage().contains(proxy.hostAndPort()), timeout.getMessage());
      // Keep asking while stalled: the client gives up on the connection (twice the timeout) and its
      // reconnects cannot finish their handshake; every call still fails within its bound.
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_500);
      while (System.nanoTime() - until < 0) {
        long t0 = System.nanoTime();
        assertThrows(MemcachedException.class, () -> checkedGet(client, key));
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(took <= CONNECT_TIMEOUT.toMillis() + SLACK_MILLIS, "a call during the stall took " + took + " ms");
        LEDGER.operation(false);
        sleep(10);
      }
      int before = proxy.connectionsAccepted();
      proxy.passThrough();
      long recovered = awaitRecovery(client, key, "stall");
      assertTrue(proxy.connectionsAccepted() > 1, "recovery must use a new connection");
      System.out.println("stall round " + round + ": recovered " + recovered + " ms after the stall cleared, "
          + (proxy.connectionsAccepted() - before) + " connection(s) opened meanwhile");
    }
  }

  // ---------------------------------------------------------------- reset

  @Test
  void reset_manyRequestsInFlight_allFailPromptlyNamingTheNodeAndTheClientReconnects() {
    MemcachedClient patient = client(Duration.ofSeconds(5));
    byte[] key = k("reset");
    plant(key, 500);
    assertNotNull(checkedGet(patient, key));
    for (int round = 0; round < 10; round++) {
      proxy.stall(); // hold the answers so that every request below is surely in flight
      List<CompletableFuture<?>> inFlight = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        byte[] other = k("reset-" + round + "-" + i);
        inFlight.add(patient.get(key));
        inFlight.add(patient.set(other, value(other, i, 64), 0, 0));
      }
      sleep(50);
      long start = System.nanoTime();
      assertEquals(1, proxy.reset());
      LEDGER.injected("reset");
      for (CompletableFuture<?> f : inFlight) {
        Throwable error = failureOf(f, 1_500); // the timeout is 5 s: they must not wait for it
        assertInstanceOf(ConnectionException.class, error);
        assertTrue(error.getMessage().contains(proxy.hostAndPort()), "error must name the node: " + error.getMessage());
      }
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(millis < 1_500, "in-flight requests failed after " + millis + " ms");
      LEDGER.operations(0, inFlight.size());
      proxy.passThrough();
      awaitRecovery(patient, key, "reset");
    }
    assertEquals(11, proxy.connectionsAccepted(), "one reconnect per reset");
  }

  // ---------------------------------------------------------------- half-open

  @ParameterizedTest
  @EnumSource(Direction.class)
  void halfOpen_oneDirectionStopsBeingRead_timeoutsThenRecovery(Direction direction) {
    byte[] key = k("half-open");
    plant(key, 300);
    assertNotNull(checkedGet(client, key));
    proxy.halfOpen(direction);
    LEDGER.injected("half-open " + direction);
    long start = System.nanoTime();
    assertThrows(MemcachedTimeoutException.class, () -> checkedGet(client, key));
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(millis <= TIMEOUT.toMillis() + SLACK_MILLIS, "timed out after " + millis + " ms");
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_200);
    while (System.nanoTime() - until < 0) {
      assertThrows(MemcachedException.class, () -> checkedGet(client, key));
      LEDGER.operation(false);
      sleep(10);
    }
    proxy.passThrough();
    awaitRecovery(client, key, "half-open " + direction);
    assertTrue(proxy.connectionsAccepted() > 1, "recovery must use a new connection");
  }

  @ParameterizedTest
  @EnumSource(Direction.class)
  void closeOneDirection_requestsInFlight_failPromptlyThenReconnect(Direction direction) {
    MemcachedClient patient = client(Duration.ofSeconds(5));
    byte[] key = k("fin");
    plant(key, 300);
    assertNotNull(checkedGet(patient, key));
    proxy.latency(Duration.ofMillis(300)); // requests and answers sit in the proxy for a while
    List<CompletableFuture<Item>> inFlight = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      inFlight.add(patient.get(key));
    }
    sleep(50);
    proxy.closeDirection(direction);
    LEDGER.injected("fin " + direction);
    for (CompletableFuture<Item> f : inFlight) {
      // An answer the server sent before the FIN may still arrive; anything else fails fast.
      try {
        Item item = f.get(2_000, TimeUnit.MILLISECONDS);
        if (item == null || !isValueOf(key, item.value())) {
          LEDGER.wrongValue();
          fail("wrong value after a half close");
        }
      } catch (ExecutionException e) {
        Throwable error = MemcachedClient.unwrap(e.getCause());
        assertInstanceOf(ConnectionException.class, error);
        assertTrue(error.getMessage().contains(proxy.hostAndPort()), error.getMessage());
      } catch (TimeoutException | InterruptedException e) {
        fail("a request was left waiting after " + direction + " was closed (timeout 5 s)");
      }
    }
    proxy.passThrough();
    awaitRecovery(patient, key, "fin " + direction);
  }

  // ---------------------------------------------------------------- truncated frames

  @Test
  void truncatedResponseThenClose_failsClearlyAndNeverDeliversAPartialValue() {
    MemcachedClient patient = client(Duration.ofSeconds(5));
    assertEquals(null, checkedGet(patient, k("connect"))); // so the first cut hits a GET, not the handshake
    for (int round = 0; round < 20; round++) {
      byte[] key = k("cut-close-" + round);
      plant(key, 1_000 + 3_000 * round);
      proxy.cutNextResponse(AfterCut.CLOSE);
      LEDGER.injected("cut+close");
      long start = System.nanoTime();
      MemcachedException error = assertThrows(MemcachedException.class, () -> checkedGet(patient, key));
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertInstanceOf(ConnectionException.class, error);
      assertTrue(error.getMessage().contains(proxy.hostAndPort()), error.getMessage());
      assertTrue(millis < 1_500, "failed after " + millis + " ms, timeout 5 s");
      assertEquals(round + 1, proxy.cutsDone());
      awaitRecovery(patient, key, "cut+close");
    }
  }

  @Test
  void truncatedResponseThenStall_timesOutThenRecoversOnANewConnection() {
    assertEquals(null, checkedGet(client, k("connect")));
    for (int round = 0; round < 3; round++) {
      byte[] key = k("cut-stall-" + round);
      plant(key, 20_000);
      proxy.cutNextResponse(AfterCut.STALL);
      LEDGER.injected("cut+stall");
      long start = System.nanoTime();
      assertThrows(MemcachedTimeoutException.class, () -> checkedGet(client, key));
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(millis <= TIMEOUT.toMillis() + SLACK_MILLIS, "timed out after " + millis + " ms");
      assertEquals(round + 1, proxy.cutsDone());
      int accepted = proxy.connectionsAccepted();
      awaitRecovery(client, key, "cut+stall"); // the stalled connection is given up, a new one serves
      assertTrue(proxy.connectionsAccepted() > accepted, "a new connection must replace the stalled one");
    }
  }

  /**
   * The rest of a cut answer arrives after its request timed out, followed by the answers to newer
   * requests on the same connection: each newer request gets its own value, never the late one.
   */
  @Test
  void truncatedResponseResumedLate_lateRemainderIsDroppedAndNewerRequestsGetTheirOwn() {
    // A timeout of 1 s and the rest 1.5 s late: 500 ms margins to the timeout and to the 2 s close.
    Duration timeout = Duration.ofSeconds(1);
    MemcachedClient client = client(timeout);
    proxy.resumeAfter(Duration.ofMillis(1_500));
    assertEquals(null, checkedGet(client, k("connect"))); // so the cut hits a GET, not the handshake
    for (int round = 0; round < 3; round++) {
      byte[] first = k("late-" + round);
      plant(first, 8_000);
      byte[][] others = new byte[20][];
      for (int i = 0; i < others.length; i++) {
        others[i] = k("late-" + round + "-" + i);
        plant(others[i], 100 + 50 * i);
      }
      proxy.cutNextResponse(AfterCut.RESUME);
      LEDGER.injected("cut+late resume");
      CompletableFuture<Item> cut = client.get(first);
      assertInstanceOf(MemcachedTimeoutException.class, failureOf(cut, timeout.toMillis() + SLACK_MILLIS));
      assertEquals(round + 1, proxy.cutsDone(), "the answer was cut");
      List<CompletableFuture<Item>> newer = new ArrayList<>();
      for (byte[] other : others) {
        newer.add(client.get(other));
      }
      for (int i = 0; i < others.length; i++) {
        Item item = MemcachedClient.await(newer.get(i), 5_000);
        if (item == null || !isValueOf(others[i], item.value())) {
          LEDGER.wrongValue();
          fail("request " + i + " got " + (item == null ? "nothing" : "another request's value"));
        }
        LEDGER.operation(true);
      }
      assertNotNull(checkedGet(client, first));
      LEDGER.survived("cut+late resume");
    }
    assertEquals(1, proxy.connectionsAccepted(), "a late answer under twice the timeout keeps the connection");
  }
}
