package io.memjcache.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.memjcache.internal.cluster.Node;
import io.memjcache.internal.protocol.Opcode;
import io.memjcache.internal.protocol.ProtocolException;
import io.memjcache.internal.protocol.Request;
import io.memjcache.internal.protocol.Response;
import io.memjcache.internal.protocol.Status;
import io.memjcache.internal.transport.FakeMemcached.Frame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The transport against a misbehaving server: garbage, stalls, cut frames, stray opaques, oversized
 * headers, disconnects and back-pressure. Timeouts are short (200 ms) so every case is fast.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class FakeServerTransportTest {
  private static final Duration TIMEOUT = Duration.ofMillis(200);
  /** Scheduling slack on top of a timeout: the sweep runs every 10 ms, CI machines are slow. */
  private static final long SLACK_MILLIS = 150;
  /**
   * The handshake runs with the connection's operation timeout, and a cold JVM on a busy machine can
   * take longer than 200 ms for it: connections get a generous default, and the commands under test
   * carry their own short timeout (see {@link #get(String, Duration)}).
   */
  private static final ConnectionSettings SETTINGS = ConnectionSettings.DEFAULTS
      .withOperationTimeout(Duration.ofSeconds(5)).withConnectTimeout(Duration.ofSeconds(5));

  private EventLoops loops;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeEach
  void acquireLoops() {
    loops = EventLoops.acquire();
  }

  @AfterEach
  void closeEverything() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    loops.release();
  }

  private FakeMemcached fake(FakeMemcached.Script script) throws Exception {
    FakeMemcached fake = FakeMemcached.start(script);
    toClose.add(fake);
    return fake;
  }

  private Connection open(FakeMemcached fake, ConnectionSettings settings) throws Exception {
    Connection connection = Connection.open(loops, fake.address(), settings, null, List.of()).get(5, TimeUnit.SECONDS);
    toClose.add(connection);
    awaitIdle(connection);
    return connection;
  }

  /** The handshake's commands are counted down just after their futures complete. */
  private static void awaitIdle(Connection connection) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (connection.commandsInFlight() != 0 && System.nanoTime() - deadline < 0) {
      Thread.sleep(1);
    }
    assertEquals(0, connection.commandsInFlight(), "handshake commands still counted");
  }

  static ConnectionSettings withBodyLimit(ConnectionSettings s, int limit) {
    return new ConnectionSettings(s.connectTimeout(), s.operationTimeout(), s.maxInFlight(), limit);
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** GET returning the value as text, null on a miss. */
  static SingleCommand<String> get(String key) {
    return new SingleCommand<>(Request.keyOnly(Opcode.GET, bytes(key)), (r, n) -> {
      if (r.status() == Status.KEY_NOT_FOUND) {
        return null;
      }
      Responses.requireOk(r, n);
      return r.valueAsString();
    });
  }

  /** GET with its own timeout, overriding the connection's. */
  static SingleCommand<String> get(String key, Duration timeout) {
    SingleCommand<String> command = get(key);
    command.timeoutNanos = timeout.toNanos();
    return command;
  }

  /** The exception a future failed with, waiting at most {@code millis}. */
  static Throwable failure(CompletableFuture<?> future, long millis) throws InterruptedException {
    try {
      Object value = future.get(millis, TimeUnit.MILLISECONDS);
      throw new AssertionError("expected a failure but got " + value);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (TimeoutException e) {
      throw new AssertionError("no outcome within " + millis + " ms");
    }
  }

  static void waitUntil(String what, long millis, java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        fail("timed out after " + millis + " ms waiting for " + what);
      }
      Thread.sleep(2);
    }
  }

  // ------------------------------------------------------------------ garbage and stray answers

  @Test
  void send_serverAnswersGarbage_failsRequestWithProtocolErrorAndClosesConnection() throws Exception {
    FakeMemcached fake = fake((request, peer) -> peer.write(bytes("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")));
    Connection connection = open(fake, SETTINGS);

    Throwable error = failure(connection.send(get("k")), 2000);

    assertInstanceOf(ConnectionException.class, error);
    assertTrue(error.getMessage().contains("bad response magic 0x48"), error.getMessage());
    assertTrue(error.getMessage().contains(fake.node()), error.getMessage());
    assertInstanceOf(ProtocolException.class, error.getCause());
    connection.closeFuture().get(2, TimeUnit.SECONDS);
    assertFalse(connection.isOpen());
    assertTrue(fake.peer(0).awaitEnd(2000), "the client must close the connection");
    assertTrue(fake.peer(0).closedByClient());

    Throwable after = failure(connection.send(get("k2")), 500);
    assertInstanceOf(ConnectionException.class, after, "a closed connection fails new requests at once");
  }

  @Test
  void send_answerWithUnknownOpaque_failsRequestAndNeverDeliversStrayValue() throws Exception {
    FakeMemcached fake = fake((request, peer) -> peer.write(FakeMemcached.response(request.opcode(), 0,
        request.opaque() + 1000, 1L, new byte[4], null, bytes("stray"))));
    Connection connection = open(fake, SETTINGS);

    Throwable error = failure(connection.send(get("k")), 2000);

    assertInstanceOf(ConnectionException.class, error);
    assertTrue(error.getMessage().contains("matches no pending request"), error.getMessage());
    assertInstanceOf(ProtocolException.class, error.getCause());
    assertTrue(fake.peer(0).awaitEnd(2000), "the connection must be closed");
  }

  @Test
  void send_answerCarryingEarlierRequestsOpaque_isNeverDeliveredToLaterRequest() throws Exception {
    AtomicReference<Frame> first = new AtomicReference<>();
    FakeMemcached fake = fake((request, peer) -> {
      if (first.compareAndSet(null, request)) {
        peer.replyHit(request, 0, "value-of-first");
      } else {
        // a duplicate of the first answer instead of the second one's own
        peer.replyHit(first.get(), 0, "value-of-first");
      }
    });
    Connection connection = open(fake, SETTINGS);
    assertEquals("value-of-first", connection.send(get("first")).get(2, TimeUnit.SECONDS));

    Throwable error = failure(connection.send(get("second")), 2000);

    assertInstanceOf(ConnectionException.class, error);
    assertTrue(error.getMessage().contains("matches no pending request"), error.getMessage());
  }

  @Test
  void send_answersOutOfOrder_failsBothRequestsPromptly() throws Exception {
    // Responses on one connection come in request order; an answer to the second request while the
    // first (non-quiet) one is unanswered means the server skipped it: both must fail, neither hang.
    AtomicReference<Frame> first = new AtomicReference<>();
    FakeMemcached fake = fake((request, peer) -> {
      if (first.compareAndSet(null, request)) {
        return; // hold the first
      }
      peer.replyHit(request, 0, "second");
    });
    ConnectionSettings settings = SETTINGS.withOperationTimeout(Duration.ofSeconds(10));
    Connection connection = open(fake, settings);
    CompletableFuture<String> a = connection.send(get("a"));
    CompletableFuture<String> b = connection.send(get("b"));

    Throwable errorB = failure(b, 2000);
    Throwable errorA = failure(a, 2000);

    assertInstanceOf(ConnectionException.class, errorB);
    assertInstanceOf(ConnectionException.class, errorA);
    assertTrue(errorA.getMessage().contains("skipped"), errorA.getMessage());
  }

  // ------------------------------------------------------------------ stalls and timeouts

  @Test
  void send_serverStalls_failsWithTimeoutWithinTimeoutPlusSlack() throws Exception {
    FakeMemcached fake = fake((request, peer) -> { /* never answers */ });
    Connection connection = open(fake, SETTINGS);

    long start = System.nanoTime();
    Throwable error = failure(connection.send(get("k", TIMEOUT)), 2000);
    long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertInstanceOf(MemcachedTimeoutException.class, error);
    assertTrue(elapsed >= TIMEOUT.toMillis() - 5, "failed too early: " + elapsed + " ms");
    assertTrue(elapsed <= TIMEOUT.toMillis() + SLACK_MILLIS, "failed too late: " + elapsed + " ms");
    assertTrue(error.getMessage().contains("GET") && error.getMessage().contains(fake.node())
        && error.getMessage().contains("200 ms"), error.getMessage());
  }

  @Test
  void send_lateAnswerToTimedOutRequest_isDiscardedAndNextRequestGetsItsOwnAnswer() throws Exception {
    AtomicReference<Frame> slow = new AtomicReference<>();
    FakeMemcached fake = fake((request, peer) -> {
      if (request.keyString().equals("slow")) {
        slow.set(request); // stall
      } else {
        peer.replyHit(slow.get(), 0, "value-of-slow"); // too late
        peer.replyHit(request, 0, "value-of-" + request.keyString());
      }
    });
    Connection connection = open(fake, SETTINGS);

    Throwable timeout = failure(connection.send(get("slow", TIMEOUT)), 2000);
    assertInstanceOf(MemcachedTimeoutException.class, timeout);

    assertEquals("value-of-fast", connection.send(get("fast")).get(2, TimeUnit.SECONDS));
    assertTrue(connection.isOpen(), "a late answer is not an error");
    waitUntil("both commands to be counted out", 1000, () -> connection.commandsInFlight() == 0);
  }

  @Test
  void send_lateAnswerArrivingAlone_isDiscardedAndConnectionStaysUsable() throws Exception {
    Duration timeout = Duration.ofMillis(300);
    FakeMemcached fake = fake((request, peer) -> {
      if (request.keyString().equals("slow")) {
        Thread.sleep(timeout.toMillis() + 60); // answers after the timeout, before 2x timeout
        peer.replyHit(request, 0, "value-of-slow");
      } else {
        peer.replyHit(request, 0, "value-of-" + request.keyString());
      }
    });
    Connection connection = open(fake, SETTINGS);

    assertInstanceOf(MemcachedTimeoutException.class, failure(connection.send(get("slow", timeout)), 2000));
    waitUntil("the late answer to be consumed", 1000, () -> connection.commandsInFlight() == 0);

    for (int i = 0; i < 5; i++) {
      assertEquals("value-of-k" + i, connection.send(get("k" + i)).get(2, TimeUnit.SECONDS));
    }
    assertTrue(connection.isOpen());
  }

  @Test
  void send_frameCutMidwayThenStall_timesOutThenClosesConnection() throws Exception {
    FakeMemcached fake = fake((request, peer) -> {
      byte[] whole = FakeMemcached.response(request.opcode(), 0, request.opaque(), 1L, new byte[4], null,
          bytes("a value that never fully arrives"));
      peer.write(Arrays.copyOf(whole, 30)); // header plus 6 body bytes, then silence
    });
    Connection connection = open(fake, SETTINGS);

    long start = System.nanoTime();
    Throwable error = failure(connection.send(get("k", TIMEOUT)), 2000);
    long timedOutAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertInstanceOf(MemcachedTimeoutException.class, error);
    assertTrue(timedOutAfter <= TIMEOUT.toMillis() + SLACK_MILLIS, "timed out after " + timedOutAfter + " ms");

    connection.closeFuture().get(2, TimeUnit.SECONDS);
    long closedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(closedAfter >= 2 * TIMEOUT.toMillis() - 5, "closed too early: " + closedAfter + " ms");
    assertTrue(closedAfter <= 2 * TIMEOUT.toMillis() + SLACK_MILLIS, "closed too late: " + closedAfter + " ms");
    assertTrue(fake.peer(0).awaitEnd(1000));
    assertTrue(fake.peer(0).closedByClient());

    Throwable after = failure(connection.send(get("k2")), 500);
    assertInstanceOf(MemcachedException.class, after);
    assertTrue(after.getMessage().contains("connection closed"), after.getMessage());
  }

  @Test
  void open_serverNeverAnswersHandshake_failsWithTimeoutAndCloses() throws Exception {
    FakeMemcached fake = FakeMemcached.startRaw((request, peer) -> { /* silent */ });
    toClose.add(fake);

    ConnectionSettings settings = ConnectionSettings.DEFAULTS.withOperationTimeout(TIMEOUT)
        .withConnectTimeout(Duration.ofSeconds(2));
    CompletableFuture<Connection> opening = Connection.open(loops, fake.address(), settings, null, List.of());
    Throwable error = failure(opening, 3000);

    assertInstanceOf(MemcachedTimeoutException.class, error);
    assertTrue(fake.peer(0).awaitEnd(2000), "the half-open connection must be closed");
  }

  // ------------------------------------------------------------------ disconnects

  @Test
  void send_serverDisconnectsWithManyInFlight_allFailPromptlyNamingNode() throws Exception {
    int count = 100;
    AtomicInteger seen = new AtomicInteger();
    FakeMemcached fake = fake((request, peer) -> {
      if (seen.incrementAndGet() == count) {
        peer.close();
      }
    });
    Connection connection = open(fake, SETTINGS.withOperationTimeout(Duration.ofSeconds(10)));

    long start = System.nanoTime();
    List<CompletableFuture<String>> futures = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      futures.add(connection.send(get("k" + i)));
    }
    for (CompletableFuture<String> future : futures) {
      Throwable error = failure(future, 2000);
      assertInstanceOf(ConnectionException.class, error);
      assertTrue(error.getMessage().contains(fake.node()), error.getMessage());
    }
    long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(elapsed < 2000, "failing took " + elapsed + " ms, the timeout is 10 s");
    assertEquals(0, connection.commandsInFlight());
  }

  @Test
  void send_afterServerDisconnect_failsImmediately() throws Exception {
    FakeMemcached fake = fake((request, peer) -> peer.close());
    Connection connection = open(fake, SETTINGS.withOperationTimeout(Duration.ofSeconds(10)));
    assertInstanceOf(ConnectionException.class, failure(connection.send(get("k")), 2000));
    connection.closeFuture().get(2, TimeUnit.SECONDS);

    CompletableFuture<String> next = connection.send(get("k2"));
    assertTrue(next.isDone(), "a request on a dead connection must fail without waiting");
    assertInstanceOf(ConnectionException.class, failure(next, 10));
  }

  @Test
  void nodeSend_afterGarbageClosedConnection_reconnectsAndSucceeds() throws Exception {
    FakeMemcached fake = fake((request, peer) -> {
      if (peer.index() == 0) {
        peer.write(bytes("garbage garbage garbage garbage"));
      } else {
        peer.replyHit(request, 0, "value-on-connection-" + peer.index());
      }
    });
    Node node = new Node(fake.address(), a -> Connection.open(loops, a, SETTINGS, null, List.of()));
    toClose.add(node);

    Throwable error = failure(node.send(get("k")), 2000);
    assertInstanceOf(ConnectionException.class, error);
    assertTrue(error.getMessage().contains("bad response magic"), error.getMessage());

    assertEquals("value-on-connection-1", node.send(get("k")).get(3, TimeUnit.SECONDS));
    assertEquals(2, fake.connections());
  }

  @Test
  void nodeConnection_completesAfterTheNodePublishedTheConnection() throws Exception {
    FakeMemcached fake = fake((request, peer) -> peer.replyHit(request, 0, "v"));
    Connection opened = open(fake, SETTINGS);
    CompletableFuture<Connection> pending = new CompletableFuture<>();
    Node node = new Node(fake.address(), a -> pending);
    toClose.add(node);
    AtomicBoolean published = new AtomicBoolean();
    // registered after the node's own handler: a dependent of the attempt itself would run first
    node.connection().thenAccept(c -> published.set(node.openConnection().isPresent()));
    pending.complete(opened);
    assertTrue(published.get(), "whoever the connection future wakes finds the connection published");
  }

  // ------------------------------------------------------------------ back-pressure and limits

  @Test
  void send_maxInFlightReachedOnStalledServer_nextRequestFailsImmediatelyWithBackpressure() throws Exception {
    int max = 4;
    FakeMemcached fake = fake((request, peer) -> { /* stalled */ });
    Connection connection = open(fake, SETTINGS.withOperationTimeout(Duration.ofSeconds(10)).withMaxInFlight(max));

    List<CompletableFuture<String>> inFlight = new ArrayList<>();
    for (int i = 0; i < max; i++) {
      inFlight.add(connection.send(get("k" + i)));
    }
    CompletableFuture<String> rejected = connection.send(get("one-too-many"));

    assertTrue(rejected.isDone(), "the request over the bound must fail at once");
    Throwable error = failure(rejected, 10);
    assertInstanceOf(BackpressureException.class, error);
    assertTrue(error.getMessage().contains(max + " requests already in flight") && error.getMessage().contains(fake.node()),
        error.getMessage());
    for (CompletableFuture<String> f : inFlight) {
      assertFalse(f.isDone(), "requests within the bound keep waiting");
    }
    waitUntil("the fake to receive the admitted requests", 2000, () -> fake.received().size() == max);
    Thread.sleep(50);
    assertEquals(max, fake.received().size(), "the rejected request must not be sent");
  }

  @Test
  void send_responseBodyOverLimit_isRefusedFromHeaderAndConnectionClosed() throws Exception {
    int hugeBody = 64 * 1024 * 1024;
    FakeMemcached fake = fake((request, peer) -> {
      byte[] header = FakeMemcached.response(request.opcode(), 0, request.opaque(), 1L, null, null, null);
      java.nio.ByteBuffer.wrap(header).putInt(8, hugeBody);
      peer.write(header); // the body never comes: only the header can be judged
    });
    Connection connection = open(fake, withBodyLimit(SETTINGS.withOperationTimeout(Duration.ofSeconds(10)), 1024));

    long start = System.nanoTime();
    Throwable error = failure(connection.send(get("k")), 2000);
    long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertInstanceOf(ConnectionException.class, error);
    assertTrue(error.getMessage().contains(Integer.toString(hugeBody)) && error.getMessage().contains("1024"),
        error.getMessage());
    assertTrue(elapsed < 1000, "refused after " + elapsed + " ms: must not wait for the body or the timeout");
    assertTrue(fake.peer(0).awaitEnd(2000), "the connection must be closed");
  }

  @Test
  void send_responseBodyExactlyAtLimit_isAccepted() throws Exception {
    String value = "v".repeat(1024 - 4); // 4 bytes of flags + value = 1024
    FakeMemcached fake = fake((request, peer) -> peer.replyHit(request, 0, value));
    Connection connection = open(fake, withBodyLimit(SETTINGS, 1024));

    assertEquals(value, connection.send(get("k")).get(2, TimeUnit.SECONDS));
  }

  // ------------------------------------------------------------------ pipelining and quiet frames

  @Test
  void send_manyConcurrentRequests_eachGetsItsOwnAnswer() throws Exception {
    FakeMemcached fake = fake((request, peer) -> peer.replyHit(request, 0, "value-of-" + request.keyString()));
    Connection connection = open(fake, SETTINGS.withOperationTimeout(Duration.ofSeconds(5)));

    Map<String, CompletableFuture<String>> futures = new ConcurrentHashMap<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int id = t;
      Thread thread = new Thread(() -> {
        for (int i = 0; i < 200; i++) {
          String key = "t" + id + "-" + i;
          futures.put(key, connection.send(get(key)));
        }
      });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    for (Map.Entry<String, CompletableFuture<String>> e : futures.entrySet()) {
      assertEquals("value-of-" + e.getKey(), e.getValue().get(5, TimeUnit.SECONDS));
    }
    assertEquals(1600, futures.size());
  }

  /** Records how each frame of a quiet batch ended. */
  static final class RecordingCommand extends Command<List<String>> {
    private final Request[] frames;
    private final List<String> events = new CopyOnWriteArrayList<>();

    RecordingCommand(Request... frames) {
      this.frames = frames;
    }

    @Override
    public Request[] frames() {
      return frames;
    }

    @Override
    protected void onResponse(int index, Response response, String node) {
      events.add(index + ":" + (response.value().length == 0 ? "answered" : response.valueAsString()));
      if (index == frames.length - 1) {
        complete(events);
      }
    }

    @Override
    protected void onSilent(int index) {
      events.add(index + ":silent");
    }
  }

  @Test
  void send_quietFramesClosedByNoop_unansweredOnesReportedSilentInOrder() throws Exception {
    FakeMemcached fake = fake((request, peer) -> {
      if (request.opcode() == Opcode.NOOP || request.keyString().equals("hit")) {
        peer.reply(request, 0, 0L, request.opcode() == Opcode.NOOP ? null : new byte[4], request.key(),
            request.opcode() == Opcode.NOOP ? null : bytes("HIT"));
      }
    });
    Connection connection = open(fake, SETTINGS);

    RecordingCommand command = new RecordingCommand(
        Request.keyOnly(Opcode.GETKQ, bytes("miss1")),
        Request.keyOnly(Opcode.GETKQ, bytes("hit")),
        Request.keyOnly(Opcode.GETKQ, bytes("miss2")),
        Request.bare(Opcode.NOOP));
    List<String> events = connection.send(command).get(2, TimeUnit.SECONDS);

    assertEquals(List.of("0:silent", "1:HIT", "2:silent", "3:answered"), events);
    waitUntil("the command to be counted out", 1000, () -> connection.commandsInFlight() == 0);
  }

  @Test
  void send_statsCommand_collectsEveryStatUntilTerminator() throws Exception {
    FakeMemcached fake = fake((request, peer) -> {
      peer.reply(request, 0, 0L, null, bytes("pid"), bytes("3078"));
      peer.reply(request, 0, 0L, null, bytes("uptime"), bytes("42"));
      peer.replyOk(request);
    });
    Connection connection = open(fake, SETTINGS);

    Map<String, String> stats = connection.send(Connection.statsCommand(null)).get(2, TimeUnit.SECONDS);
    assertEquals(Map.of("pid", "3078", "uptime", "42"), stats);
    assertEquals("1.6.18-fake", connection.serverVersion());
    assertEquals(FakeMemcached.ITEM_SIZE_MAX, connection.itemSizeLimit());
    assertNotNull(fake.received().get(0));
  }

  @Test
  void send_lateStatsAnswerToTimedOutStatsCommand_isDiscardedAndNextRequestGetsItsOwnAnswer() throws Exception {
    AtomicReference<Frame> stalled = new AtomicReference<>();
    FakeMemcached fake = fake((request, peer) -> {
      if (request.opcode() == Opcode.STAT) {
        stalled.set(request);
        return;
      }
      Frame stat = stalled.getAndSet(null);
      if (stat != null) {
        peer.reply(stat, 0, 0L, null, bytes("pid"), bytes("3078")); // too late, and in several frames
        peer.reply(stat, 0, 0L, null, bytes("uptime"), bytes("42"));
        peer.replyOk(stat);
      }
      peer.replyHit(request, 0, "value-of-" + request.keyString());
    });
    Connection connection = open(fake, SETTINGS);

    Command<Map<String, String>> stats = Connection.statsCommand(null);
    stats.timeoutNanos = TIMEOUT.toNanos();
    assertInstanceOf(MemcachedTimeoutException.class, failure(connection.send(stats), 2000));

    assertEquals("value-of-fast", connection.send(get("fast")).get(2, TimeUnit.SECONDS));
    assertEquals("value-of-next", connection.send(get("next")).get(2, TimeUnit.SECONDS));
    assertTrue(connection.isOpen(), "a late STAT answer is not an error");
    waitUntil("every command to be counted out", 1000, () -> connection.commandsInFlight() == 0);
  }

  @Test
  void send_statsCommandCancelledMidAnswer_restOfItsAnswerIsDiscarded() throws Exception {
    CountDownLatch firstStatSent = new CountDownLatch(1);
    CountDownLatch cancelled = new CountDownLatch(1);
    FakeMemcached fake = fake((request, peer) -> {
      if (request.opcode() == Opcode.STAT) {
        peer.reply(request, 0, 0L, null, bytes("pid"), bytes("3078"));
        firstStatSent.countDown();
        cancelled.await(2, TimeUnit.SECONDS);
        peer.reply(request, 0, 0L, null, bytes("uptime"), bytes("42"));
        peer.replyOk(request);
      } else {
        peer.replyHit(request, 0, "value-of-" + request.keyString());
      }
    });
    Connection connection = open(fake, SETTINGS);

    CompletableFuture<Map<String, String>> stats = connection.send(Connection.statsCommand(null));
    assertTrue(firstStatSent.await(2, TimeUnit.SECONDS));
    Thread.sleep(50); // let the first STAT frame reach the client
    stats.cancel(false);
    cancelled.countDown();

    assertEquals("value-of-after", connection.send(get("after")).get(2, TimeUnit.SECONDS));
    assertTrue(connection.isOpen(), "the rest of a cancelled STAT answer is not an error");
    waitUntil("every command to be counted out", 1000, () -> connection.commandsInFlight() == 0);
  }

  /** A GETQ frame for {@code key}, then a GET whose encoding throws: a bug or an exhausted buffer pool. */
  static class FailsOnSecondFrame extends Command<String> {
    private final Request[] frames;

    FailsOnSecondFrame(String key) {
      frames = new Request[] {Request.keyOnly(Opcode.GETQ, bytes(key)), Request.keyOnly(Opcode.GET, bytes(key))};
    }

    @Override
    public Request[] frames() {
      return frames;
    }

    @Override
    public void encode(int index, int opaque, io.netty.buffer.ByteBuf out) {
      if (index == 1) {
        throw new IllegalStateException("cannot encode frame 1");
      }
      super.encode(index, opaque, out);
    }

    @Override
    protected void onResponse(int index, Response response, String node) {
      complete("answered");
    }
  }

  @Test
  void send_commandFailingToEncode_failsAloneAndNoneOfItsFramesReachTheServer() throws Exception {
    FakeMemcached fake = fake((request, peer) -> peer.replyHit(request, 0, "value-of-" + request.keyString()));
    Connection connection = open(fake, SETTINGS);

    CompletableFuture<String> broken = connection.send(new FailsOnSecondFrame("half-sent"));
    CompletableFuture<String> next = connection.send(get("next"));

    Throwable error = failure(broken, 2000);
    assertInstanceOf(MemcachedException.class, error);
    assertInstanceOf(IllegalStateException.class, error.getCause());
    assertEquals("value-of-next", next.get(2, TimeUnit.SECONDS));
    assertEquals("value-of-after", connection.send(get("after")).get(2, TimeUnit.SECONDS));
    assertTrue(connection.isOpen());
    assertTrue(fake.received().stream().noneMatch(f -> f.keyString().equals("half-sent")), fake.received().toString());
    waitUntil("every command to be counted out", 1000, () -> connection.commandsInFlight() == 0);
  }

  @Test
  void send_commandFailingToEncodeAfterPartOfItWasFlushed_closesTheConnection() throws Exception {
    FakeMemcached fake = fake((request, peer) -> {
      if (request.opcode() == Opcode.GET) {
        peer.replyHit(request, 0, "value-of-" + request.keyString());
      }
    });
    Connection connection = open(fake, SETTINGS);
    connection.channel().pipeline().get(CommandHandler.class).recordLimit(64); // as on TLS to memcached < 1.6.39

    Throwable error = failure(connection.send(new FailsOnSecondFrame("k".repeat(100))), 2000);
    assertInstanceOf(MemcachedException.class, error);
    assertInstanceOf(IllegalStateException.class, error.getCause());
    waitUntil("the connection to close", 2000, () -> !connection.isOpen());
    assertInstanceOf(ConnectionException.class, failure(connection.send(get("after")), 2000));
    waitUntil("every command to be counted out", 1000, () -> connection.commandsInFlight() == 0);
  }

  @Test
  void send_commandFailingToEncodeAfterOnlyEarlierCommandsWereFlushed_keepsTheConnection() throws Exception {
    FakeMemcached fake = fake((request, peer) -> peer.replyHit(request, 0, "value-of-" + request.keyString()));
    Connection connection = open(fake, SETTINGS);
    connection.channel().pipeline().get(CommandHandler.class).recordLimit(64); // as on TLS to memcached < 1.6.39
    CountDownLatch hold = new CountDownLatch(1);
    connection.channel().eventLoop().execute(() -> {
      try {
        hold.await(2, TimeUnit.SECONDS); // both commands below go out in one flush
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    CompletableFuture<String> before = connection.send(get("first"));
    Command<String> broken = new FailsOnSecondFrame("k".repeat(100)) {
      @Override
      public void encode(int index, int opaque, io.netty.buffer.ByteBuf out) {
        throw new IllegalStateException("cannot encode frame " + index);
      }
    };
    CompletableFuture<String> failed = connection.send(broken);
    hold.countDown();

    assertInstanceOf(MemcachedException.class, failure(failed, 2000));
    assertEquals("value-of-first", before.get(2, TimeUnit.SECONDS));
    assertEquals("value-of-after", connection.send(get("after")).get(2, TimeUnit.SECONDS));
    assertTrue(connection.isOpen(), "only the earlier command's bytes had left: nothing of the failed one");
  }
}
