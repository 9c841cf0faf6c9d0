package io.memjcache.internal.client;

import static io.memjcache.internal.client.MemcachedClient.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.internal.cluster.Node;
import io.memjcache.internal.protocol.Status;
import io.memjcache.internal.transport.Connection;
import io.memjcache.internal.transport.ConnectionSettings;
import io.memjcache.internal.transport.InvalidKeyException;
import io.memjcache.internal.transport.MemcachedServerException;
import io.memjcache.internal.transport.ValueTooLargeException;
import io.memjcache.testing.MemcachedCluster;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * Every {@link MemcachedClient} operation against real memcached servers. Subclasses choose the
 * number of nodes with {@code @MemcachedTest}; the servers are shared by the tests of a class, so
 * every test uses keys under its own unique prefix.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class MemcachedClientContract {
  static final ConnectionSettings SETTINGS = ConnectionSettings.DEFAULTS
      .withOperationTimeout(Duration.ofSeconds(5)).withConnectTimeout(Duration.ofSeconds(5));

  MemcachedCluster servers;
  MemcachedClient client;
  private String prefix;

  @BeforeEach
  void openClient(MemcachedCluster cluster, TestInfo test) {
    servers = cluster;
    client = new MemcachedClient(ClientSettings.of(ClientSettings.parseServers(cluster.serverList()))
        .withConnection(SETTINGS).withConnectionsPerNode(connectionsPerNode()));
    prefix = test.getTestMethod().orElseThrow().getName() + "-" + Long.toHexString(System.nanoTime()) + ":";
  }

  @AfterEach
  void closeClient() {
    if (client != null) {
      client.close();
    }
  }

  /** How many connections the client opens to each server. */
  int connectionsPerNode() {
    return 1;
  }

  /** A key unique to this test run. */
  byte[] key(String name) {
    return (prefix + name).getBytes(StandardCharsets.UTF_8);
  }

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String s(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  static String s(Item item) {
    return item == null ? null : s(item.value());
  }

  byte[][] keys(int count) {
    byte[][] keys = new byte[count][];
    for (int i = 0; i < count; i++) {
      keys[i] = key("k" + i);
    }
    return keys;
  }

  static byte[][] valuesFor(byte[][] keys) {
    return Arrays.stream(keys).map(k -> b("value-of-" + s(k))).toArray(byte[][]::new);
  }

  private void setAll(byte[][] keys, byte[][] values) {
    BatchResult result = await(client.storeAll(StoreMode.SET, keys, values, new int[keys.length], new int[keys.length]));
    assertNull(result.firstError());
  }

  // ------------------------------------------------------------------ get, getk, getAll

  @Test
  void writeThenRead_sameKeyPipelined_neverOvertakes() {
    // Unawaited writes, then a read, all made while the connections open (a fresh client each
    // time, 20 times: the race is between a finishing connect and the next command): they leave in
    // the order they were made, and a key always travels on one connection.
    byte[][] keys = keys(200);
    for (int attempt = 0; attempt < 20; attempt++) {
      try (MemcachedClient fresh = new MemcachedClient(ClientSettings.of(ClientSettings.parseServers(servers.serverList()))
          .withConnection(SETTINGS).withConnectionsPerNode(connectionsPerNode()))) {
        List<CompletableFuture<StoreResult>> writes = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
          for (byte[] key : keys) {
            writes.add(fresh.set(key, b(attempt + "-round-" + round), 0, 0));
          }
        }
        Item[] items = await(fresh.getAll(keys));
        for (int i = 0; i < keys.length; i++) {
          assertEquals(attempt + "-round-4", s(items[i]), "attempt " + attempt + ", key " + i);
        }
        writes.forEach(MemcachedClient::await);
      }
    }
  }

  @Test
  void get_missingKey_returnsNull() {
    assertNull(await(client.get(key("absent"))));
  }

  @Test
  void set_thenGet_returnsValueFlagsAndCasOfTheWrite() {
    StoreResult stored = await(client.set(key("k"), b("hello"), 0xcafe, 0));
    assertTrue(stored.stored());
    assertNotEquals(0L, stored.cas());

    Item item = await(client.get(key("k")));
    assertEquals("hello", s(item));
    assertEquals(0xcafe, item.flags());
    assertEquals(stored.cas(), item.cas());
  }

  @Test
  void set_emptyValueAndHighBitFlags_roundTrip() {
    assertTrue(await(client.set(key("k"), new byte[0], 0x80000001, 0)).stored());
    Item item = await(client.get(key("k")));
    assertEquals(0, item.value().length);
    assertEquals(0x80000001, item.flags());
  }

  @Test
  void set_allByteValues_roundTripExactly() {
    byte[] value = new byte[256 * 4];
    for (int i = 0; i < value.length; i++) {
      value[i] = (byte) i;
    }
    await(client.set(key("k"), value, 0, 0));
    assertArrayEquals(value, await(client.get(key("k"))).value());
  }

  @Test
  void getk_hitAndMiss_returnValueOrNull() {
    await(client.set(key("k"), b("v"), 3, 0));
    Item item = await(client.getk(key("k")));
    assertEquals("v", s(item));
    assertEquals(3, item.flags());
    assertNull(await(client.getk(key("absent"))));
  }

  @Test
  void getAll_hitsAndMisses_alignedWithKeys() {
    await(client.set(key("a"), b("A"), 1, 0));
    await(client.set(key("c"), b("C"), 3, 0));

    Item[] items = await(client.getAll(new byte[][] {key("a"), key("b"), key("c"), key("d")}));

    assertEquals(4, items.length);
    assertEquals("A", s(items[0]));
    assertEquals(1, items[0].flags());
    assertNull(items[1]);
    assertEquals("C", s(items[2]));
    assertEquals(3, items[2].flags());
    assertNull(items[3]);
  }

  @Test
  void getAll_1500Keys_everyValueBackInItsPlace() {
    byte[][] keys = keys(1500);
    byte[][] values = valuesFor(keys);
    setAll(keys, values);

    Item[] items = await(client.getAll(keys));

    for (int i = 0; i < keys.length; i++) {
      assertNotNull(items[i], "missing " + s(keys[i]));
      assertArrayEquals(values[i], items[i].value(), s(keys[i]));
    }
  }

  @Test
  void getAll_allMisses_allNull() {
    Item[] items = await(client.getAll(keys(300)));
    assertEquals(300, items.length);
    assertTrue(Arrays.stream(items).allMatch(i -> i == null));
  }

  @Test
  void getAll_noKeys_returnsEmptyArray() {
    assertEquals(0, await(client.getAll(new byte[0][])).length);
  }

  @Test
  void getAll_sameKeyTwice_fillsBothPlaces() {
    await(client.set(key("k"), b("v"), 0, 0));
    Item[] items = await(client.getAll(new byte[][] {key("k"), key("other"), key("k")}));
    assertEquals("v", s(items[0]));
    assertNull(items[1]);
    assertEquals("v", s(items[2]));
  }

  // ------------------------------------------------------------------ set, add, replace, CAS

  @Test
  void add_missingKey_storesIt() {
    assertEquals(StoreResult.Status.STORED, await(client.add(key("k"), b("first"), 0, 0)).status());
    assertEquals("first", s(await(client.get(key("k")))));
  }

  @Test
  void add_existingKey_existsAndKeepsOldValue() {
    await(client.set(key("k"), b("old"), 0, 0));
    StoreResult result = await(client.add(key("k"), b("new"), 0, 0));
    assertEquals(StoreResult.Status.EXISTS, result.status());
    assertEquals(0L, result.cas());
    assertEquals("old", s(await(client.get(key("k")))));
  }

  @Test
  void replace_missingKey_notFoundAndNothingStored() {
    assertEquals(StoreResult.Status.NOT_FOUND, await(client.replace(key("k"), b("v"), 0, 0)).status());
    assertNull(await(client.get(key("k"))));
  }

  @Test
  void replace_existingKey_storesNewValue() {
    await(client.set(key("k"), b("old"), 0, 0));
    assertTrue(await(client.replace(key("k"), b("new"), 0, 0)).stored());
    assertEquals("new", s(await(client.get(key("k")))));
  }

  @Test
  void setWithCas_matchingCas_storesAndChangesCas() {
    long cas = await(client.set(key("k"), b("v1"), 0, 0)).cas();
    StoreResult result = await(client.store(StoreMode.SET, key("k"), b("v2"), 0, 0, cas));
    assertTrue(result.stored());
    assertNotEquals(cas, result.cas());
    assertEquals("v2", s(await(client.get(key("k")))));
  }

  @Test
  void setWithCas_staleCas_existsAndKeepsValue() {
    long stale = await(client.set(key("k"), b("v1"), 0, 0)).cas();
    await(client.set(key("k"), b("v2"), 0, 0));
    assertEquals(StoreResult.Status.EXISTS, await(client.store(StoreMode.SET, key("k"), b("v3"), 0, 0, stale)).status());
    assertEquals("v2", s(await(client.get(key("k")))));
  }

  @Test
  void setWithCas_missingKey_notFound() {
    assertEquals(StoreResult.Status.NOT_FOUND,
        await(client.store(StoreMode.SET, key("k"), b("v"), 0, 0, 12345L)).status());
    assertNull(await(client.get(key("k"))));
  }

  @Test
  void replaceWithCas_matchingThenStale_storedThenExists() {
    long cas = await(client.set(key("k"), b("v1"), 0, 0)).cas();
    assertTrue(await(client.store(StoreMode.REPLACE, key("k"), b("v2"), 0, 0, cas)).stored());
    assertEquals(StoreResult.Status.EXISTS, await(client.store(StoreMode.REPLACE, key("k"), b("v3"), 0, 0, cas)).status());
    assertEquals("v2", s(await(client.get(key("k")))));
  }

  @Test
  void replaceWithCas_missingKey_notFound() {
    assertEquals(StoreResult.Status.NOT_FOUND,
        await(client.store(StoreMode.REPLACE, key("k"), b("v"), 0, 0, 99L)).status());
  }

  /** memcached turns any binary store carrying a CAS into a compare-and-swap, ADD included. */
  @Test
  void addWithCas_staleCasOrMissingKey_existsOrNotFound() {
    assertEquals(StoreResult.Status.NOT_FOUND, await(client.store(StoreMode.ADD, key("k"), b("v"), 0, 0, 99L)).status());
    long cas = await(client.set(key("k"), b("v1"), 0, 0)).cas();
    assertEquals(StoreResult.Status.EXISTS, await(client.store(StoreMode.ADD, key("k"), b("v2"), 0, 0, cas + 1000)).status());
    assertEquals("v1", s(await(client.get(key("k")))));
  }

  // ------------------------------------------------------------------ storeAll, deleteAll

  @Test
  void storeAllSet_manyKeys_allStoredAndReadable() {
    byte[][] keys = keys(500);
    byte[][] values = valuesFor(keys);
    int[] flags = new int[keys.length];
    for (int i = 0; i < flags.length; i++) {
      flags[i] = i;
    }
    BatchResult result = await(client.storeAll(StoreMode.SET, keys, values, flags, new int[keys.length]));

    assertNull(result.firstError());
    assertTrue(Arrays.stream(result.statuses()).allMatch(st -> st == StoreResult.Status.STORED));
    Item[] items = await(client.getAll(keys));
    for (int i = 0; i < keys.length; i++) {
      assertArrayEquals(values[i], items[i].value());
      assertEquals(i, items[i].flags());
    }
  }

  @Test
  void storeAllAdd_someKeysPresent_existsForThoseStoredForOthers() {
    byte[][] keys = keys(40);
    for (int i = 0; i < keys.length; i += 2) {
      await(client.set(keys[i], b("old"), 0, 0));
    }
    BatchResult result = await(client.storeAll(StoreMode.ADD, keys, valuesFor(keys), new int[40], new int[40]));

    assertNull(result.firstError());
    for (int i = 0; i < keys.length; i++) {
      assertEquals(i % 2 == 0 ? StoreResult.Status.EXISTS : StoreResult.Status.STORED, result.statuses()[i], "key " + i);
      assertEquals(i % 2 == 0 ? "old" : "value-of-" + s(keys[i]), s(await(client.get(keys[i]))));
    }
  }

  @Test
  void storeAllReplace_someKeysMissing_notFoundForThose() {
    byte[][] keys = keys(20);
    for (int i = 0; i < 10; i++) {
      await(client.set(keys[i], b("old"), 0, 0));
    }
    BatchResult result = await(client.storeAll(StoreMode.REPLACE, keys, valuesFor(keys), new int[20], new int[20]));

    for (int i = 0; i < keys.length; i++) {
      assertEquals(i < 10 ? StoreResult.Status.STORED : StoreResult.Status.NOT_FOUND, result.statuses()[i], "key " + i);
    }
    assertNull(await(client.get(keys[15])));
  }

  @Test
  void storeAll_oneValueTooLarge_errorForThatKeyOthersStored() {
    byte[][] keys = keys(3);
    byte[][] values = {b("small"), new byte[2 * 1024 * 1024], b("small too")};
    for (Node node : client.cluster().nodes()) {
      await(client.noop(node)); // connections open: FakeServerClientTest covers a batch sent cold
    }
    BatchResult result = await(client.storeAll(StoreMode.SET, keys, values, new int[3], new int[3]));

    assertEquals(StoreResult.Status.STORED, result.statuses()[0]);
    assertEquals(StoreResult.Status.STORED, result.statuses()[2]);
    ValueTooLargeException error = assertInstanceOf(ValueTooLargeException.class, result.errors()[1]);
    assertEquals(2 * 1024 * 1024, error.size());
    assertTrue(error.limit() > 0, error.getMessage());
    assertEquals("small too", s(await(client.get(keys[2]))));
  }

  @Test
  void deleteAll_someKeysPresent_deletedOrNotFoundAndAllGone() {
    byte[][] keys = keys(30);
    for (int i = 0; i < keys.length; i += 3) {
      await(client.set(keys[i], b("v"), 0, 0));
    }
    BatchResult result = await(client.deleteAll(keys));

    assertNull(result.firstError());
    for (int i = 0; i < keys.length; i++) {
      assertEquals(i % 3 == 0 ? StoreResult.Status.STORED : StoreResult.Status.NOT_FOUND, result.statuses()[i],
          "key " + i + " (STORED stands for deleted)");
    }
    assertTrue(Arrays.stream(await(client.getAll(keys))).allMatch(i -> i == null));
  }

  @Test
  void storeAllAndDeleteAll_noKeys_emptyResults() {
    assertEquals(0, await(client.storeAll(StoreMode.SET, new byte[0][], new byte[0][], new int[0], new int[0])).statuses().length);
    assertEquals(0, await(client.deleteAll(new byte[0][])).statuses().length);
  }

  // ------------------------------------------------------------------ delete

  @Test
  void delete_existingKey_deletedAndGone() {
    await(client.set(key("k"), b("v"), 0, 0));
    assertEquals(DeleteResult.DELETED, await(client.delete(key("k"), 0L)));
    assertNull(await(client.get(key("k"))));
  }

  @Test
  void delete_missingKey_notFound() {
    assertEquals(DeleteResult.NOT_FOUND, await(client.delete(key("k"), 0L)));
  }

  @Test
  void deleteWithCas_staleCas_existsAndItemKept() {
    long stale = await(client.set(key("k"), b("v1"), 0, 0)).cas();
    await(client.set(key("k"), b("v2"), 0, 0));
    assertEquals(DeleteResult.EXISTS, await(client.delete(key("k"), stale)));
    assertEquals("v2", s(await(client.get(key("k")))));
  }

  @Test
  void deleteWithCas_matchingCas_deleted() {
    long cas = await(client.set(key("k"), b("v"), 0, 0)).cas();
    assertEquals(DeleteResult.DELETED, await(client.delete(key("k"), cas)));
    assertNull(await(client.get(key("k"))));
  }

  @Test
  void deleteWithCas_missingKey_notFound() {
    assertEquals(DeleteResult.NOT_FOUND, await(client.delete(key("k"), 42L)));
  }

  // ------------------------------------------------------------------ counters

  @Test
  void incr_missingKeyWithAutoCreate_returnsInitialAndStoresItAsDigits() {
    assertEquals(10L, await(client.incr(key("c"), 5, 10, 0)));
    assertEquals("10", s(await(client.get(key("c")))));
    assertEquals(15L, await(client.incr(key("c"), 5, 10, 0)));
  }

  @Test
  void incr_missingKeyWithNoAutoCreate_returnsNullAndCreatesNothing() {
    assertNull(await(client.incr(key("c"), 1, 0, MemcachedClient.NO_AUTO_CREATE)));
    assertNull(await(client.incr(key("c"), -1, 0, MemcachedClient.NO_AUTO_CREATE)));
    assertNull(await(client.get(key("c"))));
  }

  @Test
  void incr_existingDecimalValue_addsDelta() {
    await(client.set(key("c"), b("41"), 0, 0));
    assertEquals(42L, await(client.incr(key("c"), 1, 0, MemcachedClient.NO_AUTO_CREATE)));
  }

  @Test
  void decr_negativeDelta_subtractsAndStopsAtZero() {
    await(client.set(key("c"), b("10"), 0, 0));
    assertEquals(7L, await(client.incr(key("c"), -3, 0, 0)));
    assertEquals(0L, await(client.incr(key("c"), -100, 0, 0)), "decrement never goes below zero");
  }

  @Test
  void incr_nonNumericValue_throwsServerExceptionWithStatus() {
    await(client.set(key("c"), b("not a number"), 0, 0));
    MemcachedServerException e = assertThrows(MemcachedServerException.class, () -> await(client.incr(key("c"), 1, 0, 0)));
    assertEquals(Status.NON_NUMERIC_VALUE, e.status());
    assertTrue(e.getMessage().contains("INCREMENT"), e.getMessage());
    assertEquals("not a number", s(await(client.get(key("c")))));
  }

  // ------------------------------------------------------------------ append, prepend

  @Test
  void append_existingKey_extendsValueAndKeepsFlags() {
    await(client.set(key("k"), b("mid"), 7, 0));
    assertTrue(await(client.concat(true, key("k"), b("-end"))));
    assertTrue(await(client.concat(false, key("k"), b("start-"))));
    Item item = await(client.get(key("k")));
    assertEquals("start-mid-end", s(item));
    assertEquals(7, item.flags());
  }

  @Test
  void appendAndPrepend_missingKey_falseAndNothingCreated() {
    assertFalse(await(client.concat(true, key("k"), b("x"))));
    assertFalse(await(client.concat(false, key("k"), b("x"))));
    assertNull(await(client.get(key("k"))));
  }

  @Test
  void append_beyondItemLimit_throwsValueTooLarge() {
    long limit = itemSizeLimit(client.cluster().nodeFor(key("k")));
    await(client.set(key("k"), new byte[(int) (limit / 2)], 0, 0));
    ValueTooLargeException e = assertThrows(ValueTooLargeException.class,
        () -> await(client.concat(true, key("k"), new byte[(int) limit])));
    assertEquals((int) limit, e.size());
  }

  // ------------------------------------------------------------------ touch, getAndTouch

  @Test
  void touch_existingAndMissingKey_trueAndFalse() {
    await(client.set(key("k"), b("v"), 0, 0));
    assertTrue(await(client.touch(key("k"), 3600)));
    assertEquals("v", s(await(client.get(key("k")))));
    assertFalse(await(client.touch(key("absent"), 3600)));
  }

  /**
   * An expiration over 30 days is an absolute Unix time; one in the past expires the item at once.
   * (The binary protocol reads the field unsigned, so -1 would mean the year 2106, not "now".)
   */
  static int anHourAgo() {
    return (int) (System.currentTimeMillis() / 1000 - 3600);
  }

  @Test
  void touch_expirationInThePast_expiresItemAtOnce() {
    await(client.set(key("k"), b("v"), 0, 0));
    assertTrue(await(client.touch(key("k"), anHourAgo())));
    assertNull(await(client.get(key("k"))));
  }

  @Test
  void getAndTouch_existingKey_returnsItemAndSetsExpiration() {
    long cas = await(client.set(key("k"), b("v"), 9, 0)).cas();
    Item item = await(client.getAndTouch(key("k"), anHourAgo()));
    assertEquals("v", s(item));
    assertEquals(9, item.flags());
    assertEquals(cas, item.cas());
    assertNull(await(client.get(key("k"))), "the new (past) expiration applies");
  }

  @Test
  void getAndTouch_missingKey_returnsNull() {
    assertNull(await(client.getAndTouch(key("absent"), 3600)));
  }

  // ------------------------------------------------------------------ per node

  @Test
  void noopAndVersion_everyNode_answer() {
    for (Node node : client.cluster().nodes()) {
      await(client.noop(node));
      String version = await(client.version(node));
      assertTrue(version.matches("\\d+\\.\\d+\\.\\d+.*"), version);
    }
  }

  @Test
  void stats_general_everyNodeReportsItsItemsAndVersion() {
    for (Node node : client.cluster().nodes()) {
      Map<String, String> stats = await(client.stats(node, null));
      assertTrue(stats.containsKey("pid"), stats.keySet().toString());
      assertTrue(stats.containsKey("curr_items"), stats.keySet().toString());
      assertEquals(await(client.version(node)), stats.get("version"));
    }
  }

  @Test
  void stats_settings_reportItemSizeMax() {
    for (Node node : client.cluster().nodes()) {
      Map<String, String> settings = await(client.stats(node, "settings"));
      assertTrue(Long.parseLong(settings.get("item_size_max")) >= 1024 * 1024, settings.toString());
      assertEquals(settings.get("item_size_max"), Long.toString(node.itemSizeLimit()),
          "the node learnt the limit when its connection opened");
    }
  }

  long itemSizeLimit(Node node) {
    return Long.parseLong(await(client.stats(node, "settings")).get("item_size_max"));
  }

  // ------------------------------------------------------------------ keys

  @Test
  void keys_everyByteValueIncludingNulSpaceAndNewline_areBinarySafe() {
    List<byte[]> keys = new ArrayList<>();
    byte[] base = key("");
    for (int i = 0; i < 256; i++) {
      byte[] k = Arrays.copyOf(base, base.length + 1);
      k[base.length] = (byte) i;
      keys.add(k);
    }
    keys.add(concat(base, b(" with spaces ")));
    keys.add(concat(base, b("line\nbreak\r\n")));
    keys.add(concat(base, new byte[] {0, 0, 0}));
    byte[] all = new byte[250];
    for (int i = 0; i < all.length; i++) {
      all[i] = (byte) (i + 3);
    }
    keys.add(all);

    for (int i = 0; i < keys.size(); i++) {
      assertTrue(await(client.set(keys.get(i), b("value-" + i), 0, 0)).stored(), "key " + i);
    }
    for (int i = 0; i < keys.size(); i++) {
      assertEquals("value-" + i, s(await(client.get(keys.get(i)))), "key " + i);
      assertEquals("value-" + i, s(await(client.getk(keys.get(i)))), "key " + i);
    }
    Item[] items = await(client.getAll(keys.toArray(new byte[0][])));
    for (int i = 0; i < keys.size(); i++) {
      assertEquals("value-" + i, s(items[i]), "key " + i + " in getAll");
    }
    await(client.deleteAll(keys.toArray(new byte[0][])));
  }

  @Test
  void key_of250Bytes_works() {
    byte[] k = Arrays.copyOf(key(""), 250);
    Arrays.fill(k, key("").length, 250, (byte) 'x');
    assertTrue(await(client.set(k, b("v"), 0, 0)).stored());
    assertEquals("v", s(await(client.get(k))));
    assertEquals(DeleteResult.DELETED, await(client.delete(k, 0L)));
  }

  @Test
  void key_of251Bytes_invalidWithoutSendingAndConnectionStillFine() {
    byte[] ok = key("ok");
    Node node = client.cluster().nodeFor(ok);
    await(client.set(ok, b("v"), 0, 0));
    Connection before = await(node.connection());

    byte[] tooLong = new byte[251];
    Arrays.fill(tooLong, (byte) 'k');
    for (CompletableFuture<?> op : List.of(client.get(tooLong), client.getk(tooLong), client.set(tooLong, b("v"), 0, 0),
        client.delete(tooLong, 0L), client.incr(tooLong, 1, 0, 0), client.concat(true, tooLong, b("v")),
        client.touch(tooLong, 0), client.getAndTouch(tooLong, 0), client.getAll(new byte[][] {ok, tooLong}),
        client.deleteAll(new byte[][] {tooLong}),
        client.storeAll(StoreMode.SET, new byte[][] {tooLong}, new byte[][] {b("v")}, new int[1], new int[1]))) {
      InvalidKeyException e = assertThrows(InvalidKeyException.class, () -> await(op));
      assertTrue(e.getMessage().contains("251") && e.getMessage().contains("250"), e.getMessage());
    }

    assertEquals("v", s(await(client.get(ok))));
    assertSame(before, await(node.connection()), "the connection must not have been replaced");
    assertTrue(before.isOpen());
  }

  @Test
  void key_empty_invalid() {
    InvalidKeyException empty = assertThrows(InvalidKeyException.class, () -> await(client.get(new byte[0])));
    assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
    assertThrows(InvalidKeyException.class, () -> await(client.set(new byte[0], b("v"), 0, 0)));
    assertThrows(InvalidKeyException.class, () -> await(client.getAll(new byte[][] {key("ok"), new byte[0]})));
  }

  // ------------------------------------------------------------------ values over the limit

  @Test
  void set_valueOverItemLimit_valueTooLargeWithSizeAndLimitThenConnectionHealthy() {
    byte[] k = key("big");
    Node node = client.cluster().nodeFor(k);
    long limit = itemSizeLimit(node);
    Connection before = await(node.connection());
    int size = (int) limit + 1;

    ValueTooLargeException e = assertThrows(ValueTooLargeException.class, () -> await(client.set(k, new byte[size], 0, 0)));

    assertEquals(size, e.size());
    assertEquals(limit, e.limit());
    assertTrue(e.getMessage().contains(Integer.toString(size)) && e.getMessage().contains(Long.toString(limit)),
        e.getMessage());
    assertEquals(Status.VALUE_TOO_LARGE, e.status());
    await(client.set(k, b("small"), 0, 0));
    assertEquals("small", s(await(client.get(k))));
    assertSame(before, await(node.connection()), "memcached keeps the connection after 'Too large.'");
  }

  /** MEMCACHED.md: with -I 1m the largest value for a 3-byte key is 1,048,514 bytes. */
  @Test
  void set_valueAtDefaultLimitForThreeByteKey_storedAndOneMoreByteTooLarge() {
    byte[] k = b(Long.toString(ThreadLocalRandom.current().nextLong(100, 1000)));
    Node node = client.cluster().nodeFor(k);
    org.junit.jupiter.api.Assumptions.assumeTrue(itemSizeLimit(node) == 1024 * 1024, "server not on -I 1m");
    byte[] value = new byte[1_048_514];
    value[value.length - 1] = 42;

    assertTrue(await(client.set(k, value, 0, 0)).stored());
    assertArrayEquals(value, await(client.get(k)).value());
    assertThrows(ValueTooLargeException.class, () -> await(client.set(k, new byte[1_048_515], 0, 0)));
    await(client.delete(k, 0L));
  }

  // ------------------------------------------------------------------ concurrency

  @Test
  void concurrentClients_8ThreadsManyOps_neverSeeAnotherValue() throws Exception {
    int threads = 8;
    int ops = 400;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        results.add(pool.submit(() -> {
          int checked = 0;
          byte[][] recent = new byte[10][];
          String[] recentValues = new String[10];
          for (int i = 0; i < ops; i++) {
            byte[] k = key("t" + id + "-" + (i % 50));
            String value = "t" + id + "-i" + i + "-" + ThreadLocalRandom.current().nextLong();
            assertTrue(await(client.set(k, b(value), id, 0)).stored());
            Item item = await(client.get(k));
            assertEquals(value, s(item), "thread " + id + " op " + i);
            assertEquals(id, item.flags());
            recent[i % 10] = k;
            recentValues[i % 10] = value;
            checked++;
            if (i % 10 == 9) {
              Item[] items = await(client.getAll(recent));
              for (int j = 0; j < 10; j++) {
                // a key may have been rewritten later in the window: only its latest value counts
                String expected = latest(recent, recentValues, j);
                assertEquals(expected, s(items[j]), "thread " + id + " getAll at op " + i);
              }
            }
          }
          return checked;
        }));
      }
      int total = 0;
      for (Future<Integer> f : results) {
        total += f.get(50, TimeUnit.SECONDS);
      }
      assertEquals(threads * ops, total);
    } finally {
      pool.shutdownNow();
    }
  }

  private static String latest(byte[][] keys, String[] values, int index) {
    String value = values[index];
    // the ring buffer is filled in order 0..9, so a later slot with the same key is newer
    for (int j = index + 1; j < keys.length; j++) {
      if (Arrays.equals(keys[j], keys[index])) {
        value = values[j];
      }
    }
    return value;
  }

  @Test
  void pipelined_thousandsOfAsyncSetsThenGets_eachCompletesWithItsOwnValue() {
    int count = 3000;
    List<CompletableFuture<StoreResult>> sets = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      sets.add(client.set(key("p" + i), b("pv" + i), i, 0));
    }
    sets.forEach(f -> assertTrue(await(f).stored()));
    List<CompletableFuture<Item>> gets = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      gets.add(client.get(key("p" + i)));
    }
    for (int i = 0; i < count; i++) {
      Item item = await(gets.get(i));
      assertEquals("pv" + i, s(item));
      assertEquals(i, item.flags());
    }
  }

  static byte[] concat(byte[] a, byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(a);
    out.writeBytes(b);
    return out.toByteArray();
  }
}
