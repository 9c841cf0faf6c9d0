package io.memjcache.internal.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.internal.protocol.Opcode;
import io.memjcache.internal.protocol.ProtocolException;
import io.memjcache.internal.protocol.Status;
import io.memjcache.internal.transport.ConnectionException;
import io.memjcache.internal.transport.ConnectionSettings;
import io.memjcache.internal.transport.FakeMemcached;
import io.memjcache.internal.transport.FakeMemcached.Frame;
import io.memjcache.internal.transport.InvalidKeyException;
import io.memjcache.internal.transport.MemcachedException;
import io.memjcache.internal.transport.MemcachedServerException;
import io.memjcache.internal.transport.MemcachedTimeoutException;
import io.memjcache.internal.transport.ValueTooLargeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client's quiet-batch accounting and recovery, against a scripted fake server. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class FakeServerClientTest {
  /** Generous: the handshake runs with the operation timeout, and a busy machine can be slow. */
  private static final ConnectionSettings SETTINGS = ConnectionSettings.DEFAULTS
      .withOperationTimeout(Duration.ofSeconds(3)).withConnectTimeout(Duration.ofSeconds(3));
  /** For the cases that wait for a timeout; used after a warm-up so the handshake is quick. */
  private static final ConnectionSettings SHORT = SETTINGS.withOperationTimeout(Duration.ofMillis(300));

  private final List<AutoCloseable> toClose = new ArrayList<>();

  /** Loads classes and the native transport once, so no test's handshake pays for a cold JVM. */
  @BeforeAll
  static void warmUp() throws Exception {
    try (FakeMemcached fake = FakeMemcached.start((request, peer) -> peer.replyOk(request));
        MemcachedClient client = new MemcachedClient(
            ClientSettings.of(ClientSettings.parseServers(fake.node())).withConnection(SETTINGS))) {
      MemcachedClient.await(client.noop(client.cluster().nodes().get(0)), 5000);
    }
  }

  @AfterEach
  void closeEverything() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private FakeMemcached fake(FakeMemcached.Script script) throws Exception {
    FakeMemcached fake = FakeMemcached.start(script);
    toClose.add(fake);
    return fake;
  }

  private MemcachedClient client(FakeMemcached fake, ConnectionSettings settings) {
    MemcachedClient client = new MemcachedClient(
        ClientSettings.of(ClientSettings.parseServers(fake.node())).withConnection(settings));
    toClose.add(client);
    return client;
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[][] keys(String... keys) {
    return Arrays.stream(keys).map(FakeServerClientTest::b).toArray(byte[][]::new);
  }

  private static Throwable failure(CompletableFuture<?> future, long millis) throws InterruptedException {
    try {
      Object value = future.get(millis, TimeUnit.MILLISECONDS);
      throw new AssertionError("expected a failure but got " + value);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (TimeoutException e) {
      throw new AssertionError("no outcome within " + millis + " ms");
    }
  }

  private static List<Byte> opcodes(List<Frame> frames) {
    return frames.stream().map(Frame::opcode).toList();
  }

  // ------------------------------------------------------------------ multi-get

  @Test
  void getAll_serverAnswersOnlyNoop_everyKeyIsAMiss() throws Exception {
    FakeMemcached fake = fake((request, peer) -> {
      if (request.opcode() == Opcode.NOOP) {
        peer.replyOk(request);
      }
    });
    MemcachedClient client = client(fake, SETTINGS);

    Item[] items = MemcachedClient.await(client.getAll(keys("a", "b", "c", "d", "e")));

    assertEquals(5, items.length);
    for (Item item : items) {
      assertNull(item);
    }
    assertEquals(List.of(Opcode.GETQ, Opcode.GETQ, Opcode.GETQ, Opcode.GETQ, Opcode.GETQ, Opcode.NOOP),
        opcodes(fake.received()));
  }

  @Test
  void getAll_someKeysHit_hitsAlignedWithRequestedKeysAndRestMiss() throws Exception {
    FakeMemcached fake = fake((request, peer) -> {
      if (request.opcode() == Opcode.NOOP) {
        peer.replyOk(request);
      } else if (request.keyString().startsWith("hit")) {
        peer.replyHit(request, 0x0102, "value-of-" + request.keyString());
      }
    });
    MemcachedClient client = client(fake, SETTINGS);

    Item[] items = MemcachedClient.await(client.getAll(keys("miss0", "hit1", "miss2", "hit3")));

    assertNull(items[0]);
    assertEquals("value-of-hit1", new String(items[1].value(), StandardCharsets.ISO_8859_1));
    assertEquals(0x0102, items[1].flags());
    assertNull(items[2]);
    assertEquals("value-of-hit3", new String(items[3].value(), StandardCharsets.ISO_8859_1));
  }

  @Test
  void getAll_hitWithAnOpaqueNeverSent_failsRatherThanReturnAValue() throws Exception {
    // GETQ answers carry no key: a hit is placed by its opaque, so one that matches no request must fail.
    FakeMemcached fake = fake((request, peer) -> {
      if (request.opcode() == Opcode.NOOP) {
        peer.replyOk(request);
      } else if (request.keyString().equals("asked")) {
        peer.write(FakeMemcached.response(request.opcode(), 0, request.opaque() + 1000, 1L, new byte[4], new byte[0],
            b("value-of-other")));
      }
    });
    MemcachedClient client = client(fake, SETTINGS);

    Throwable error = failure(client.getAll(keys("asked", "b")), 2000);
    // the connection closes on the stray answer; the NOOP read after it completes nothing
    assertInstanceOf(ConnectionException.class, error);
    assertTrue(error.getMessage().contains("matches no pending request"), error.getMessage());
  }

  @Test
  void getAll_noopNeverAnswered_timesOut() throws Exception {
    FakeMemcached fake = fake((request, peer) -> { /* silent */ });
    MemcachedClient client = client(fake, SHORT);

    assertInstanceOf(MemcachedTimeoutException.class, failure(client.getAll(keys("a", "b")), 2000));
    assertEquals(List.of(Opcode.GETQ, Opcode.GETQ, Opcode.NOOP), opcodes(fake.received()),
        "the handshake must have passed: the batch itself timed out");
  }

  @Test
  void getk_answerCarriesAnotherKey_failsWithProtocolError() throws Exception {
    FakeMemcached fake = fake((request, peer) -> peer.reply(request, 0, 1L, new byte[4], b("other"), b("v")));
    MemcachedClient client = client(fake, SETTINGS);

    assertInstanceOf(ProtocolException.class, failure(client.getk(b("asked")), 2000));
  }

  // ------------------------------------------------------------------ quiet mutations

  @Test
  void storeAll_serverAnswersOnlyNoop_everyKeyStored() throws Exception {
    FakeMemcached fake = fake((request, peer) -> {
      if (request.opcode() == Opcode.NOOP) {
        peer.replyOk(request);
      }
    });
    MemcachedClient client = client(fake, SETTINGS);

    BatchResult result = MemcachedClient.await(client.storeAll(StoreMode.SET, keys("a", "b", "c"),
        keys("1", "2", "3"), new int[3], new int[3]));

    assertArrayEquals(new StoreResult.Status[] {StoreResult.Status.STORED, StoreResult.Status.STORED,
        StoreResult.Status.STORED}, result.statuses());
    assertNull(result.firstError());
    assertEquals(List.of(Opcode.SETQ, Opcode.SETQ, Opcode.SETQ, Opcode.NOOP), opcodes(fake.received()));
  }

  @Test
  void storeAll_serverAnswersOneSetqWithError_errorForThatKeyOnly() throws Exception {
    FakeMemcached fake = fake((request, peer) -> {
      if (request.opcode() == Opcode.NOOP) {
        peer.replyOk(request);
      } else if (request.keyString().equals("b")) {
        peer.replyStatus(request, Status.OUT_OF_MEMORY.code(), "Out of memory");
      }
    });
    MemcachedClient client = client(fake, SETTINGS);

    BatchResult result = MemcachedClient.await(client.storeAll(StoreMode.SET, keys("a", "b", "c"),
        keys("1", "2", "3"), new int[3], new int[3]));

    assertEquals(StoreResult.Status.STORED, result.statuses()[0]);
    assertNull(result.errors()[0]);
    assertNull(result.statuses()[1]);
    MemcachedServerException error = assertInstanceOf(MemcachedServerException.class, result.errors()[1]);
    assertEquals(Status.OUT_OF_MEMORY, error.status());
    assertTrue(error.getMessage().contains("Out of memory") && error.getMessage().contains(fake.node()),
        error.getMessage());
    assertEquals(StoreResult.Status.STORED, result.statuses()[2]);
    assertNull(result.errors()[2]);
  }

  @Test
  void storeAll_addqAnsweredWithExists_statusExistsNotError() throws Exception {
    FakeMemcached fake = fake((request, peer) -> {
      if (request.opcode() == Opcode.NOOP) {
        peer.replyOk(request);
      } else if (request.keyString().equals("present")) {
        peer.replyStatus(request, Status.KEY_EXISTS.code(), "Data exists for key.");
      }
    });
    MemcachedClient client = client(fake, SETTINGS);

    BatchResult result = MemcachedClient.await(client.storeAll(StoreMode.ADD, keys("new", "present"),
        keys("1", "2"), new int[2], new int[2]));

    assertEquals(StoreResult.Status.STORED, result.statuses()[0]);
    assertEquals(StoreResult.Status.EXISTS, result.statuses()[1]);
    assertNull(result.firstError());
    assertEquals(List.of(Opcode.ADDQ, Opcode.ADDQ, Opcode.NOOP), opcodes(fake.received()));
  }

  @Test
  void storeAll_valueTooLargeAfterConnectionOpened_errorNamesSizeAndLimit() throws Exception {
    FakeMemcached fake = fake(FakeServerClientTest::tooLargeForKeyBig);
    MemcachedClient client = client(fake, SETTINGS);
    MemcachedClient.await(client.noop(client.cluster().nodes().get(0))); // connection open, limit known

    BatchResult result = MemcachedClient.await(client.storeAll(StoreMode.SET, keys("small", "big"),
        new byte[][] {b("1"), new byte[2_000_000]}, new int[2], new int[2]));

    assertNull(result.errors()[0]);
    ValueTooLargeException error = assertInstanceOf(ValueTooLargeException.class, result.errors()[1]);
    assertEquals(2_000_000, error.size());
    assertEquals(FakeMemcached.ITEM_SIZE_MAX, error.limit());
    assertTrue(error.getMessage().contains("2000000") && error.getMessage().contains(Long.toString(FakeMemcached.ITEM_SIZE_MAX)),
        error.getMessage());
  }

  @Test
  void storeAll_valueTooLargeAsFirstOperation_errorNamesSizeAndLimit() throws Exception {
    // The item size limit is learnt when the connection opens; a batch sent as the client's very
    // first operation must still report it.
    FakeMemcached fake = fake(FakeServerClientTest::tooLargeForKeyBig);
    MemcachedClient client = client(fake, SETTINGS);

    BatchResult result = MemcachedClient.await(client.storeAll(StoreMode.SET, keys("big"),
        new byte[][] {new byte[2_000_000]}, new int[1], new int[1]));

    ValueTooLargeException error = assertInstanceOf(ValueTooLargeException.class, result.errors()[0]);
    assertEquals(2_000_000, error.size());
    assertEquals(FakeMemcached.ITEM_SIZE_MAX, error.limit(), error.getMessage());
  }

  @Test
  void set_valueTooLargeAsFirstOperation_errorNamesSizeAndLimit() throws Exception {
    FakeMemcached fake = fake(FakeServerClientTest::tooLargeForKeyBig);
    MemcachedClient client = client(fake, SETTINGS);

    ValueTooLargeException error = assertThrows(ValueTooLargeException.class,
        () -> MemcachedClient.await(client.set(b("big"), new byte[2_000_000], 0, 0)));
    assertEquals(2_000_000, error.size());
    assertEquals(FakeMemcached.ITEM_SIZE_MAX, error.limit());
  }

  private static void tooLargeForKeyBig(Frame request, FakeMemcached.Peer peer) throws Exception {
    if (request.opcode() == Opcode.NOOP) {
      peer.replyOk(request);
    } else if (request.keyString().equals("big")) {
      peer.replyStatus(request, Status.VALUE_TOO_LARGE.code(), "Too large.");
    } else if (!Opcode.isQuiet(request.opcode())) {
      peer.replyOk(request);
    }
  }

  @Test
  void deleteAll_oneKeyMissing_notFoundForItAndDeletedForOthers() throws Exception {
    FakeMemcached fake = fake((request, peer) -> {
      if (request.opcode() == Opcode.NOOP) {
        peer.replyOk(request);
      } else if (request.keyString().equals("absent")) {
        peer.replyStatus(request, Status.KEY_NOT_FOUND.code(), "Not found");
      }
    });
    MemcachedClient client = client(fake, SETTINGS);

    BatchResult result = MemcachedClient.await(client.deleteAll(keys("x", "absent", "y")));

    assertArrayEquals(new StoreResult.Status[] {StoreResult.Status.STORED, StoreResult.Status.NOT_FOUND,
        StoreResult.Status.STORED}, result.statuses());
    assertNull(result.firstError());
    assertEquals(List.of(Opcode.DELETEQ, Opcode.DELETEQ, Opcode.DELETEQ, Opcode.NOOP), opcodes(fake.received()));
  }

  @Test
  void storeAll_connectionDropsMidBatch_everyKeyOfThatNodeGetsTheConnectionError() throws Exception {
    FakeMemcached fake = fake((request, peer) -> {
      if (request.keyString().equals("b")) {
        peer.close();
      }
    });
    MemcachedClient client = client(fake, SETTINGS.withOperationTimeout(Duration.ofSeconds(10)));

    BatchResult result = MemcachedClient.await(client.storeAll(StoreMode.SET, keys("a", "b", "c"),
        keys("1", "2", "3"), new int[3], new int[3]), 3000);

    for (int i = 0; i < 3; i++) {
      assertNull(result.statuses()[i], "no status may be claimed for key " + i);
      assertInstanceOf(ConnectionException.class, result.errors()[i]);
    }
  }

  // ------------------------------------------------------------------ counters and keys

  @Test
  void incr_noAutoCreateOnMissingKey_sendsAllOnesExpirationAndReturnsNull() throws Exception {
    FakeMemcached fake = fake((request, peer) -> peer.replyStatus(request, Status.KEY_NOT_FOUND.code(), "Not found"));
    MemcachedClient client = client(fake, SETTINGS);

    assertNull(MemcachedClient.await(client.incr(b("counter"), -3, 10, MemcachedClient.NO_AUTO_CREATE)));

    Frame sent = fake.received().get(0);
    assertEquals(Opcode.DECREMENT, sent.opcode(), "a negative delta is a DECREMENT");
    ByteBuffer extras = ByteBuffer.wrap(sent.extras());
    assertEquals(3L, extras.getLong(0));
    assertEquals(10L, extras.getLong(8));
    assertEquals(0xffffffff, extras.getInt(16));
  }

  @Test
  void get_keyOf251Bytes_failsWithoutConnecting() throws Exception {
    FakeMemcached fake = fake((request, peer) -> peer.replyOk(request));
    MemcachedClient client = client(fake, SETTINGS);

    byte[] key = new byte[251];
    Arrays.fill(key, (byte) 'k');
    assertInstanceOf(InvalidKeyException.class, failure(client.get(key), 100));
    assertInstanceOf(InvalidKeyException.class, failure(client.set(key, b("v"), 0, 0), 100));
    assertInstanceOf(InvalidKeyException.class, failure(client.getAll(new byte[][] {b("ok"), key}), 100));
    assertInstanceOf(InvalidKeyException.class, failure(client.get(new byte[0]), 100));
    Thread.sleep(50);
    assertEquals(0, fake.connections(), "nothing may be sent for an invalid key");
  }

  @Test
  void keyOperations_nullKey_failedFutureWithInvalidKeyLikeStore() throws Exception {
    // checkKey() reports a null key as "key is null"; store() and concat() return that as a failed
    // future, and every key operation should do the same rather than throw from building the request.
    FakeMemcached fake = fake((request, peer) -> peer.replyOk(request));
    MemcachedClient client = client(fake, SETTINGS);

    List<java.util.function.Supplier<CompletableFuture<?>>> operations = List.of(
        () -> client.set(null, b("v"), 0, 0),
        () -> client.concat(true, null, b("v")),
        () -> client.get(null),
        () -> client.getk(null),
        () -> client.getAndTouch(null, 0),
        () -> client.delete(null, 0L),
        () -> client.incr(null, 1, 0, 0),
        () -> client.touch(null, 0));
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < operations.size(); i++) {
      try {
        Throwable error = failure(operations.get(i).get(), 100);
        if (!(error instanceof InvalidKeyException)) {
          wrong.add("#" + i + " failed with " + error);
        }
      } catch (RuntimeException e) {
        wrong.add("#" + i + " threw " + e);
      }
    }
    assertEquals(List.of(), wrong);
  }

  // ------------------------------------------------------------------ recovery

  @Test
  void get_afterGarbageClosedConnection_nextRequestReconnects() throws Exception {
    FakeMemcached fake = fake((request, peer) -> {
      if (peer.index() == 0) {
        peer.write(b("\u0000\u0001garbage that is no memcached frame at all"));
      } else {
        peer.replyHit(request, 7, "value-from-connection-" + peer.index());
      }
    });
    MemcachedClient client = client(fake, SETTINGS);

    Throwable error = failure(client.get(b("k")), 2000);
    assertInstanceOf(ConnectionException.class, error);
    assertTrue(error.getMessage().contains("bad response magic 0x00") && error.getMessage().contains(fake.node()),
        error.getMessage());

    Item item = MemcachedClient.await(client.get(b("k")));
    assertEquals("value-from-connection-1", new String(item.value(), StandardCharsets.ISO_8859_1));
    assertEquals(2, fake.connections());
  }

  @Test
  void get_afterCutFrameAndStall_timesOutThenReconnects() throws Exception {
    FakeMemcached fake = fake((request, peer) -> {
      if (request.opcode() == Opcode.NOOP) {
        peer.replyOk(request);
      } else if (peer.index() == 0) {
        byte[] whole = FakeMemcached.response(request.opcode(), 0, request.opaque(), 1L, new byte[4], null, b("cut"));
        peer.write(Arrays.copyOf(whole, 13)); // mid-header
      } else {
        peer.replyHit(request, 0, "whole");
      }
    });
    MemcachedClient client = client(fake, SHORT);
    MemcachedClient.await(client.noop(client.cluster().nodes().get(0))); // connected

    assertInstanceOf(MemcachedTimeoutException.class, failure(client.get(b("k")), 2000));
    assertTrue(fake.peer(0).awaitEnd(2000), "the stalled connection must be closed");

    Item item = MemcachedClient.await(client.get(b("k")), 3000);
    assertEquals("whole", new String(item.value(), StandardCharsets.ISO_8859_1));
  }

  @Test
  void get_serverDisconnectsWithManyInFlight_allFailPromptlyNamingNode() throws Exception {
    AtomicInteger seen = new AtomicInteger();
    FakeMemcached fake = fake((request, peer) -> {
      if (request.opcode() == Opcode.NOOP) {
        peer.replyOk(request);
      } else if (seen.incrementAndGet() == 200) {
        peer.close();
      }
    });
    MemcachedClient client = client(fake, SETTINGS.withOperationTimeout(Duration.ofSeconds(10)));
    MemcachedClient.await(client.noop(client.cluster().nodes().get(0)), 3000); // connected before the burst

    long start = System.nanoTime();
    List<CompletableFuture<Item>> futures = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      futures.add(client.get(b("k" + i)));
    }
    for (CompletableFuture<Item> future : futures) {
      Throwable error = failure(future, 3000);
      assertInstanceOf(MemcachedException.class, error);
      assertInstanceOf(ConnectionException.class, error, error.toString());
      assertTrue(error.getMessage().contains(fake.node()), error.getMessage());
    }
    long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(elapsed < 3000, "took " + elapsed + " ms; the operation timeout is 10 s");
  }
}
