package io.memjcache.internal.tls;

import static io.memjcache.internal.client.MemcachedClient.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.config.TlsSettings;
import io.memjcache.internal.client.BatchResult;
import io.memjcache.internal.client.Item;
import io.memjcache.internal.client.MemcachedClient;
import io.memjcache.internal.client.StoreMode;
import io.memjcache.internal.client.StoreResult;
import io.memjcache.internal.cluster.Node;
import io.memjcache.internal.transport.Connection;
import io.memjcache.testing.MemcachedServer;
import io.memjcache.testing.MemcachedTest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * Every client operation over TLS against the memcached here (1.6.18 on Debian 12), and the
 * workloads that stall memcached before 1.6.39 when storage commands are pipelined over TLS:
 * thousands of quiet sets in one batch, large values, and many threads writing at once. Each
 * subclass runs it with one TLS engine; operation timeouts are 5 s, so a stall fails the test.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@MemcachedTest(options = TlsTesting.TlsServer.class)
abstract class TlsClientContract {
  MemcachedServer server;
  MemcachedClient client;
  String prefix;

  abstract TlsSettings.Engine engine();

  @BeforeEach
  void openClient(MemcachedServer server, TestInfo test) {
    this.server = server;
    client = TlsTesting.client(server.host(), server.port(), TlsTesting.trusting(engine()).build());
    prefix = test.getTestMethod().orElseThrow().getName() + "-" + Long.toHexString(System.nanoTime()) + ":";
  }

  @AfterEach
  void closeClient() {
    client.close();
  }

  byte[] key(String name) {
    return (prefix + name).getBytes(StandardCharsets.UTF_8);
  }

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String s(Item item) {
    return item == null ? null : new String(item.value(), StandardCharsets.UTF_8);
  }

  Node node() {
    return client.cluster().nodes().get(0);
  }

  // ------------------------------------------------------------------ operations

  @Test
  void everyOperation_overTls_works() {
    StoreResult stored = await(client.set(key("a"), b("alpha"), 7, 0));
    assertTrue(stored.stored());
    Item item = await(client.get(key("a")));
    assertEquals("alpha", s(item));
    assertEquals(7, item.flags());
    assertEquals("alpha", s(await(client.getk(key("a")))));
    assertNull(await(client.get(key("absent"))));

    assertEquals(StoreResult.Status.EXISTS, await(client.add(key("a"), b("x"), 0, 0)).status());
    assertTrue(await(client.replace(key("a"), b("beta"), 0, 0)).stored());
    assertEquals(StoreResult.Status.EXISTS,
        await(client.store(StoreMode.SET, key("a"), b("gamma"), 0, 0, stored.cas())).status());
    long cas = await(client.get(key("a"))).cas();
    assertTrue(await(client.store(StoreMode.SET, key("a"), b("gamma"), 0, 0, cas)).stored());

    assertTrue(await(client.concat(true, key("a"), b("-end"))));
    assertTrue(await(client.concat(false, key("a"), b("start-"))));
    assertEquals("start-gamma-end", s(await(client.get(key("a")))));
    assertFalse(await(client.concat(true, key("absent"), b("x"))));

    assertEquals(10L, await(client.incr(key("n"), 5, 10, 0)));
    assertEquals(15L, await(client.incr(key("n"), 5, 0, 0)));
    assertEquals(12L, await(client.incr(key("n"), -3, 0, 0)));
    assertNull(await(client.incr(key("absent-counter"), 1, 0, MemcachedClient.NO_AUTO_CREATE)));

    assertTrue(await(client.touch(key("a"), 3600)));
    assertFalse(await(client.touch(key("absent"), 3600)));
    assertEquals("start-gamma-end", s(await(client.getAndTouch(key("a"), 3600))));

    byte[][] keys = {key("m1"), key("m2"), key("m3")};
    byte[][] values = {b("one"), b("two"), b("three")};
    BatchResult batch = await(client.storeAll(StoreMode.SET, keys, values, new int[3], new int[3]));
    assertNull(batch.firstError());
    Item[] items = await(client.getAll(new byte[][] {keys[0], key("absent"), keys[2]}));
    assertEquals("one", s(items[0]));
    assertNull(items[1]);
    assertEquals("three", s(items[2]));
    BatchResult deleted = await(client.deleteAll(new byte[][] {keys[0], key("absent")}));
    assertEquals(StoreResult.Status.STORED, deleted.statuses()[0]);
    assertEquals(StoreResult.Status.NOT_FOUND, deleted.statuses()[1]);

    assertEquals(io.memjcache.internal.client.DeleteResult.DELETED, await(client.delete(keys[1], 0L)));
    assertEquals(io.memjcache.internal.client.DeleteResult.NOT_FOUND, await(client.delete(keys[1], 0L)));

    await(client.noop(node()));
    Map<String, String> stats = await(client.stats(node(), null));
    assertNotNull(stats.get("pid"));
    assertEquals(stats.get("version"), await(client.version(node())));
    assertEquals("yes", await(client.stats(node(), "settings")).get("ssl_enabled"));
  }

  @Test
  void session_reportsEngineProtocolCipherAndServerCertificate() throws Exception {
    await(client.noop(node()));
    Connection connection = node().connection().get(5, TimeUnit.SECONDS);
    TlsSessionInfo session = connection.tlsSession().orElseThrow();
    assertEquals(engine().name(), session.engine());
    assertEquals("TLSv1.3", session.protocol());
    assertTrue(session.cipherSuite().startsWith("TLS_"), session.cipherSuite());
    X509Certificate leaf = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(TlsTesting.certs().server().certificate())));
    assertEquals(leaf.getNotAfter().toInstant(), session.peerCertificateExpiry());
    assertEquals("CN=localhost", session.peerSubject());
    assertNull(session.localSubject());
  }

  @Test
  void dnsName_isVerifiedAgainstTheCertificate_andWorks() {
    try (MemcachedClient byName = TlsTesting.client("localhost", server.port(), TlsTesting.trusting(engine()).build())) {
      assertTrue(await(byName.set(key("dns"), b("v"), 0, 0)).stored());
      assertEquals("v", s(await(byName.get(key("dns")))));
    }
  }

  @Test
  void minimumTls13_negotiatesTls13() throws Exception {
    TlsSettings tls = TlsTesting.trusting(engine()).minimumProtocol(TlsSettings.Protocol.TLS_1_3).build();
    try (MemcachedClient strict = TlsTesting.client(server.host(), server.port(), tls)) {
      await(strict.noop(strict.cluster().nodes().get(0)));
      Connection c = strict.cluster().nodes().get(0).connection().get(5, TimeUnit.SECONDS);
      assertEquals("TLSv1.3", c.tlsSession().orElseThrow().protocol());
    }
  }

  @Test
  void configuredCipherSuite_isUsed() throws Exception {
    TlsSettings tls = TlsTesting.trusting(engine()).minimumProtocol(TlsSettings.Protocol.TLS_1_2)
        .cipherSuites(List.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")).build();
    try (MemcachedClient tls12 = TlsTesting.client(server.host(), server.port(), tls)) {
      await(tls12.noop(tls12.cluster().nodes().get(0)));
      TlsSessionInfo session = tls12.cluster().nodes().get(0).connection().get(5, TimeUnit.SECONDS)
          .tlsSession().orElseThrow();
      // TLS 1.3 suites are fixed by BoringSSL and chosen by the JDK; the TLS 1.2 list is honoured when 1.2 is used.
      assertTrue(session.protocol().equals("TLSv1.3")
          || session.cipherSuite().equals("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"), session.toString());
    }
  }

  // ------------------------------------------------------------------ the 1.6.18 stall

  @Test
  void storeAll_5000EntriesOf100Bytes_completes() {
    storeAllAndReadBack(5000, 100);
  }

  @Test
  void storeAll_200EntriesOf4KB_completes() {
    storeAllAndReadBack(200, 4096);
  }

  @Test
  void storeAll_fourValuesOf1MB_complete() {
    storeAllAndReadBack(4, 1_000_000);
  }

  @Test
  void set_largestValueTheServerTakes_completes() {
    byte[] value = filled(1_000_000, 3);
    assertTrue(await(client.set(key("big"), value, 0, 0)).stored());
    assertArrayEquals(value, await(client.get(key("big"))).value());
    // Pipelined: several 1 MB sets in flight at once, each followed by a get.
    List<CompletableFuture<StoreResult>> sets = new ArrayList<>();
    List<CompletableFuture<Item>> gets = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      sets.add(client.set(key("big" + i), filled(1_000_000, i), 0, 0));
      gets.add(client.get(key("big" + i)));
    }
    for (int i = 0; i < 4; i++) {
      assertTrue(await(sets.get(i)).stored());
      assertArrayEquals(filled(1_000_000, i), await(gets.get(i)).value());
    }
  }

  /** What a bulk load does: 1,000 single SETs of 4 KB in flight at once, then every value read back. */
  @Test
  void pipelinedSets_1000Of4KB_complete() {
    List<CompletableFuture<StoreResult>> sets = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      sets.add(client.set(key("p" + i), filled(4096, i), 0, 0));
    }
    for (CompletableFuture<StoreResult> set : sets) {
      assertTrue(await(set).stored());
    }
    for (int i = 0; i < 1000; i += 111) {
      assertArrayEquals(filled(4096, i), await(client.get(key("p" + i))).value());
    }
  }

  /** A SET and a GET written in one burst, for values below, around and far above a TLS record. */
  @Test
  void setThenGetInOneBurst_ofEverySize_completes() {
    for (int size : new int[] {1, 100, 8_000, 15_000, 16_384, 20_000, 100_000, 1_000_000}) {
      byte[] value = filled(size, size);
      assertArrayEquals(value, await(client.send(node(), new SetThenGetCommand(key("burst" + size), value))));
    }
  }

  @Test
  void concurrentPuts_16ThreadsOf500_complete() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          for (int i = 0; i < 500; i++) {
            byte[] value = filled(50 + (i * 37 + thread) % 2000, i);
            assertTrue(await(client.set(key(thread + "/" + i), value, 0, 0)).stored());
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertArrayEquals(filled(50 + (499 * 37 + 15) % 2000, 499), await(client.get(key("15/499"))).value());
  }

  /** Writes and reads interleaved without waiting: sets of every size followed by gets in the same burst. */
  @Test
  void pipelinedSetsAndGets_ofMixedSizes_complete() {
    int[] sizes = {10, 100, 1000, 4000, 9000, 17_000, 40_000};
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      byte[] value = filled(sizes[i % sizes.length], i);
      all.add(client.set(key("mix" + i), value, 0, 0));
      all.add(client.get(key("mix" + (i / 2))));
      if (i % 50 == 49) {
        all.add(client.storeAll(StoreMode.SET, new byte[][] {key("q" + i), key("r" + i)},
            new byte[][] {filled(3000, i), filled(20_000, i)}, new int[2], new int[2]));
      }
    }
    for (CompletableFuture<?> f : all) {
      await(f);
    }
    assertArrayEquals(filled(sizes[599 % sizes.length], 599), await(client.get(key("mix599"))).value());
  }

  void storeAllAndReadBack(int count, int size) {
    byte[][] keys = new byte[count][];
    byte[][] values = new byte[count][];
    for (int i = 0; i < count; i++) {
      keys[i] = key("k" + i);
      values[i] = filled(size, i);
    }
    long start = System.nanoTime();
    BatchResult result = await(client.storeAll(StoreMode.SET, keys, values, new int[count], new int[count]), 30_000);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertNull(result.firstError());
    assertTrue(Arrays.stream(result.statuses()).allMatch(st -> st == StoreResult.Status.STORED));
    Item[] read = await(client.getAll(keys), 30_000);
    for (int i = 0; i < count; i++) {
      assertArrayEquals(values[i], read[i].value(), "entry " + i);
    }
    System.out.printf("%s engine: storeAll of %d x %d B over TLS took %d ms%n", engine(), count, size, millis);
  }

  static byte[] filled(int size, int seed) {
    byte[] value = new byte[size];
    for (int i = 0; i < size; i++) {
      value[i] = (byte) (seed * 31 + i);
    }
    return value;
  }
}
