package io.memjcache.internal.security;

import static io.memjcache.internal.security.SecurityFixtures.contains;
import static io.memjcache.internal.security.SecurityFixtures.encrypted;
import static io.memjcache.internal.security.SecurityFixtures.material;
import static io.memjcache.internal.security.SecurityFixtures.rejected;
import static io.memjcache.internal.security.SecurityFixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.config.EncryptionKey;
import io.memjcache.config.EncryptionKey.State;
import io.memjcache.config.EncryptionSettings;
import io.memjcache.config.KeyRing;
import io.memjcache.config.KeyRingSource;
import io.memjcache.config.MemcachedConfiguration;
import io.memjcache.internal.client.Item;
import io.memjcache.internal.security.SecurityFixtures.Raw;
import io.memjcache.testing.MemcachedServer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.cache.Cache;
import javax.cache.CacheManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * Value encryption end to end, through the JCache API against a real memcached, with a raw client
 * standing for the memcached operator or anyone who reaches the server: it sees neither values nor
 * application keys, and whatever it changes, moves or plants is a miss that the cache counts.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EncryptionIT {
  /** Offsets in an encrypted entry, docs/ENVELOPE.md section 4. */
  private static final int EXPIRY = 2;
  private static final int KEY_ID = 11;
  private static final int CIPHERTEXT = 41;

  private static MemcachedServer server;
  private final List<CacheManager> managers = new ArrayList<>();
  private Raw raw;
  private String name;

  @BeforeAll
  static void startServer() {
    server = MemcachedServer.start();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void open(TestInfo test) {
    raw = new Raw(server.address());
    name = SecurityFixtures.uniqueName(test.getTestMethod().orElseThrow().getName());
  }

  @AfterEach
  void closeAll() {
    managers.forEach(SecurityFixtures::close);
    raw.close();
  }

  private CacheManager manager(String tag) {
    CacheManager manager = SecurityFixtures.open(server.hostAndPort(), tag);
    managers.add(manager);
    return manager;
  }

  private static KeyRingSource singleKeyRing() {
    return KeyRingSource.of(KeyRing.of(EncryptionKey.of(1, State.PRIMARY, material())));
  }

  /**
   * get is null, the cache counted exactly one more rejection, and so did its manager's
   * {@code RejectedValues} over JMX.
   */
  private static void assertRejected(Cache<String, String> cache, String key, String what) {
    long before = rejected(cache);
    long beforeJmx = jmxRejected(cache);
    assertNull(cache.get(key), what + ": read as a miss");
    assertEquals(before + 1, rejected(cache), what + ": counted as a rejected value");
    assertEquals(beforeJmx + 1, jmxRejected(cache), what + ": counted in the manager's RejectedValues (JMX)");
  }

  private static long jmxRejected(Cache<?, ?> cache) {
    OptionalLong value = SecurityFixtures.jmxRejected(cache.getCacheManager());
    assertTrue(value.isPresent(), "the manager bean io.memjcache:type=CacheManager,uri=" + cache.getCacheManager().getURI()
        + " is registered");
    return value.getAsLong();
  }

  // ------------------------------------------------------------------ confidentiality

  @Test
  void memcachedHoldsNeitherValuesNorApplicationKeys() {
    Cache<String, String> cache = manager("conf").createCache(name, encrypted(singleKeyRing()));
    Map<String, String> entries = new LinkedHashMap<>();
    for (int i = 0; i < 20; i++) {
      entries.put("customer-ssn-" + i + "-078051120", "card=4111111111111111;holder=Jane Roe #" + i);
    }
    entries.put("long-key-" + "k".repeat(600), "long value " + "v".repeat(5_000));
    cache.putAll(entries);
    for (Map.Entry<String, String> e : entries.entrySet()) {
      assertEquals(e.getValue(), cache.get(e.getKey()), "readable through the cache");
    }

    List<byte[]> ids = raw.ids(name);
    assertEquals(entries.size(), ids.size(), "the index lists every entry");
    for (byte[] id : ids) {
      assertEquals(32, id.length, "with hashKeys the index holds 32-byte HMAC lookup keys");
    }
    List<byte[]> memcachedKeys = new ArrayList<>(raw.allKeysOf(name));
    // Every item the server holds (lru_crawler metadump), not only what the index names.
    Optional<List<byte[]>> everything = raw.metadump();
    assertTrue(everything.isPresent(), "memcached lists its items with lru_crawler metadump");
    assertTrue(everything.get().size() >= entries.size() + 2, "metadump lists the cache's items: " + everything.get().size());
    memcachedKeys.addAll(everything.get());
    int itemsRead = 0;
    for (byte[] key : memcachedKeys) {
      Item item = raw.get(key);
      for (Map.Entry<String, String> e : entries.entrySet()) {
        byte[] appKey = utf8(e.getKey());
        byte[] value = utf8(e.getValue());
        assertFalse(contains(key, appKey), "an application key appears in a memcached key");
        if (item != null) {
          assertFalse(contains(item.value(), value), "a value appears in clear in memcached");
          assertFalse(contains(item.value(), appKey), "an application key appears in clear in memcached");
          // nor any recognizable part of them
          assertFalse(contains(item.value(), utf8("4111111111111111")), "a card number appears in clear");
          assertFalse(contains(item.value(), utf8("078051120")), "part of a key appears in clear");
        }
      }
      if (item != null) {
        itemsRead++;
      }
    }
    for (byte[] entryKey : raw.entryKeys(name)) {
      Item item = raw.get(entryKey);
      assertNotNull(item, "every indexed entry is in memcached");
      assertEquals((byte) 0x80, (byte) (item.value()[1] & 0x80), "flags say encrypted");
      assertEquals(1, keyId(item.value()), "sealed with key 1");
    }
    assertTrue(itemsRead >= entries.size() + 1, "read the entries, the generation and the index: " + itemsRead);
    assertEquals(entries, SecurityFixtures.contentsOf(cache), "iteration recovers the keys from the ciphertext");
  }

  // ------------------------------------------------------------------ integrity

  @Test
  void flippedByteAnywhereInTheItem_isMissAndCounted() {
    CacheManager manager = manager("flip");
    Cache<String, String> cache = manager.createCache(name, encrypted(singleKeyRing()));
    cache.put("k", "the value");
    byte[] entryKey = raw.onlyEntryKey(name);
    byte[] original = raw.get(entryKey).value();
    int[] positions = {0, 1, EXPIRY + 7, 10, KEY_ID + 1, 13, 28, 29, 40, CIPHERTEXT, CIPHERTEXT + 3,
        original.length - 17, original.length - 1};
    for (int position : positions) {
      byte[] tampered = original.clone();
      tampered[position] ^= 0x01;
      raw.set(entryKey, tampered);
      assertRejected(cache, "k", "byte " + position + " flipped");
      assertFalse(cache.containsKey("k"), "byte " + position + " flipped: containsKey");
    }
    raw.set(entryKey, original);
    assertEquals("the value", cache.get("k"), "the untouched item reads again");

    // each tampered item was read twice (get, containsKey)
    assertEquals(2L * positions.length, rejected(cache));
    assertEquals(2L * positions.length, jmxRejected(cache), "RejectedValues over JMX counts them all");
  }

  /** getAll opens its hits on the I/O thread as they arrive: the same checks, for each key. */
  @Test
  void getAll_manyKeysOneTamperedOneMoved_theRestReadAndBothRejected() {
    Cache<String, String> cache = manager("getall").createCache(name, encrypted(singleKeyRing()));
    cache.put("victim", "victim's value");
    byte[] victimItem = raw.onlyEntryKey(name);
    cache.put("donor", "donor's value");
    byte[] donorItem = raw.entryKeys(name).stream().filter(k -> !Arrays.equals(k, victimItem)).findFirst().orElseThrow();
    Map<String, String> expected = new java.util.HashMap<>();
    for (int i = 0; i < 300; i++) {
      expected.put("key-" + i, "value-" + i);
    }
    cache.putAll(expected);
    expected.put("donor", "donor's value");
    byte[] tampered = raw.get(victimItem).value().clone();
    tampered[tampered.length - 1] ^= 0x01;
    raw.set(victimItem, tampered);
    List<byte[]> before = raw.entryKeys(name);
    cache.put("receiver", "receiver's value");
    byte[] receiverItem = raw.entryKeys(name).stream()
        .filter(k -> before.stream().noneMatch(b -> Arrays.equals(b, k))).findFirst().orElseThrow();
    raw.set(receiverItem, raw.get(donorItem).value());

    java.util.Set<String> keys = new java.util.HashSet<>(expected.keySet());
    keys.add("victim");
    keys.add("receiver");
    long rejectedBefore = rejected(cache);
    assertEquals(expected, cache.getAll(keys), "every untouched entry, and neither the tampered nor the moved one");
    assertEquals(rejectedBefore + 2, rejected(cache), "both rejected, each once");
  }

  @Test
  void valueCopiedToAnotherKeysItem_isMiss() {
    Cache<String, String> cache = manager("move").createCache(name, encrypted(singleKeyRing()));
    cache.put("alice", "alice's balance: 100");
    byte[] aliceKey = raw.onlyEntryKey(name);
    cache.put("bob", "bob's balance: 5");
    List<byte[]> both = raw.entryKeys(name);
    byte[] bobKey = both.stream().filter(k -> !Arrays.equals(k, aliceKey)).findFirst().orElseThrow();

    raw.set(bobKey, raw.get(aliceKey).value());
    assertRejected(cache, "bob", "alice's sealed value under bob's item");
    assertEquals("alice's balance: 100", cache.get("alice"));
    assertEquals(Map.of("alice", "alice's balance: 100"), SecurityFixtures.contentsOf(cache),
        "iteration skips the moved value too");
  }

  @Test
  void valueCopiedToAnotherCachesItemOfTheSameKey_isMiss() {
    CacheManager manager = manager("cross");
    KeyRingSource ring = singleKeyRing();
    String other = name + "-other";
    Cache<String, String> first = manager.createCache(name, encrypted(ring));
    Cache<String, String> second = manager.createCache(other, encrypted(ring));
    first.put("k", "first cache's value");
    second.put("k", "second cache's value");

    raw.set(raw.onlyEntryKey(other), raw.get(raw.onlyEntryKey(name)).value());
    assertRejected(second, "k", "the first cache's item copied to the second's");
    assertEquals("first cache's value", first.get("k"));
  }

  @Test
  void expiryInTheClearHeaderChanged_isMiss() {
    Cache<String, String> cache = manager("expiry").createCache(name, encrypted(singleKeyRing())
        .setExpiryPolicyFactory(javax.cache.expiry.CreatedExpiryPolicy.factoryOf(javax.cache.expiry.Duration.ONE_MINUTE)));
    cache.put("k", "expires in a minute");
    byte[] entryKey = raw.onlyEntryKey(name);
    byte[] original = raw.get(entryKey).value();
    long expiry = ByteBuffer.wrap(original, EXPIRY, 8).getLong();
    assertTrue(expiry > System.currentTimeMillis() && expiry < System.currentTimeMillis() + 120_000,
        "the header holds the expiry in epoch milliseconds: " + expiry);

    for (long forged : new long[] {Long.MAX_VALUE, expiry + 86_400_000L, expiry + 1}) {
      byte[] tampered = original.clone();
      ByteBuffer.wrap(tampered).putLong(EXPIRY, forged);
      raw.set(entryKey, tampered);
      assertRejected(cache, "k", "expiry changed to " + forged);
    }
    raw.set(entryKey, original);
    assertEquals("expires in a minute", cache.get("k"));
  }

  @Test
  void unknownKeyId_isMissAndCounted() {
    byte[] one = material();
    byte[] two = material();
    // Both rings hash keys with key 1, so both look at the same memcached items.
    KeyRing writerRing = KeyRing.of(EncryptionKey.of(1, State.ACTIVE, one), EncryptionKey.of(2, State.PRIMARY, two));
    KeyRing readerRing = KeyRing.of(EncryptionKey.of(1, State.PRIMARY, one));
    Cache<String, String> writer = manager("writer").createCache(name, encrypted(KeyRingSource.of(writerRing)));
    Cache<String, String> reader = manager("reader").createCache(name, encrypted(KeyRingSource.of(readerRing)));

    writer.put("k", "sealed with key 2");
    assertEquals(2, keyId(raw.get(raw.onlyEntryKey(name)).value()));
    assertEquals("sealed with key 2", writer.get("k"));
    assertRejected(reader, "k", "key id 2 unknown to the reader's ring");

    reader.put("k2", "sealed with key 1");
    assertEquals("sealed with key 1", writer.get("k2"), "the writer still opens key 1 (active)");
  }

  @Test
  void rotation_addPromoteRetire_withACallbackSource() throws InterruptedException {
    EncryptionKey one = EncryptionKey.of(1, State.PRIMARY, material());
    EncryptionKey two = EncryptionKey.of(2, State.ACTIVE, material());
    AtomicReference<KeyRing> ring = new AtomicReference<>(KeyRing.of(one));
    AtomicInteger reads = new AtomicInteger();
    KeyRingSource source = KeyRingSource.from("rotation test", () -> {
      reads.incrementAndGet();
      return ring.get();
    });
    Duration refresh = Duration.ofSeconds(1);
    MemcachedConfiguration<String, String> configuration = SecurityFixtures.strings()
        .setEncryption(EncryptionSettings.builder().keyRing(source).refreshInterval(refresh).build());
    Cache<String, String> cache = manager("rotation").createCache(name, configuration);

    cache.put("a", "sealed by key 1");
    byte[] aKey = raw.onlyEntryKey(name);
    assertEquals(1, keyId(raw.get(aKey).value()));

    // add key 2 and promote it at once (key 1 stays active)
    ring.set(KeyRing.of(one.withState(State.ACTIVE), two.withState(State.PRIMARY)));
    int readsBefore = reads.get();
    idlePastTwoRefreshes(refresh);
    cache.put("b", "sealed by key 2");
    assertTrue(reads.get() > readsBefore, "sealing read the ring again");
    byte[] bKey = raw.entryKeys(name).stream().filter(k -> !Arrays.equals(k, aKey)).findFirst().orElseThrow();
    byte[] b = raw.get(bKey).value();
    assertEquals(2, keyId(b), "the new primary seals b: bytes 11..12 = " + (b[11] & 0xff) + "," + (b[12] & 0xff));
    assertEquals(1, keyId(raw.get(aKey).value()), "a is untouched");
    assertEquals("sealed by key 1", cache.get("a"), "an active key still opens");
    assertEquals("sealed by key 2", cache.get("b"));

    // retire key 1 (keeping its material: it is the key-hashing key)
    ring.set(KeyRing.of(one.withState(State.RETIRED), two.withState(State.PRIMARY)));
    readsBefore = reads.get();
    idlePastTwoRefreshes(refresh);
    assertRejected(cache, "a", "sealed by a retired key");
    assertTrue(reads.get() > readsBefore, "opening read the ring again");
    assertEquals("sealed by key 2", cache.get("b"), "entries of the primary key survive the rotation");
    assertEquals(Map.of("b", "sealed by key 2"), SecurityFixtures.contentsOf(cache));

    // rewriting a under the new primary makes it readable again
    cache.put("a", "resealed");
    assertEquals(2, keyId(raw.get(aKey).value()), "the same memcached key: lookup keys survive rotation");
    assertEquals("resealed", cache.get("a"));
  }

  /**
   * Leaves the ring unused for more than two refresh intervals: the next use that needs a key
   * (sealing, or opening an entry) reads the ring again before it answers.
   */
  private static void idlePastTwoRefreshes(Duration refresh) throws InterruptedException {
    Thread.sleep(refresh.toMillis() * 2 + 300);
  }

  // ------------------------------------------------------------------ plaintext and encrypted caches of one name

  @Test
  void plaintextAndEncryptedCachesOfTheSameName_refuseEachOthersEntries() {
    // Without key hashing both caches look at the same memcached items.
    KeyRingSource ring = singleKeyRing();
    MemcachedConfiguration<String, String> sealed = SecurityFixtures.strings()
        .setEncryption(EncryptionSettings.builder().keyRing(ring).hashKeys(false).build());
    Cache<String, String> encryptedCache = manager("sealed").createCache(name, sealed);
    Cache<String, String> plainCache = manager("plain").createCache(name, SecurityFixtures.strings());

    encryptedCache.put("e", "encrypted value");
    assertEquals("encrypted value", encryptedCache.get("e"));
    assertRejected(plainCache, "e", "an encrypted entry read by a plaintext cache");

    plainCache.put("p", "plaintext value");
    assertEquals("plaintext value", plainCache.get("p"));
    assertRejected(encryptedCache, "p", "a plaintext entry read by an encrypted cache");
    assertEquals(Map.of("e", "encrypted value"), SecurityFixtures.contentsOf(encryptedCache));
  }

  @Test
  void plaintextEnvelopePlantedUnderAHashedKey_isMiss() {
    Cache<String, String> encryptedCache = manager("sealed").createCache(name, encrypted(singleKeyRing()));
    Cache<String, String> plainCache = manager("plain").createCache(name, SecurityFixtures.strings());
    encryptedCache.put("k", "encrypted value");
    plainCache.put("k", "plaintext value");
    byte[] plainItem = raw.keys(name).entryKey(utf8("k"));
    List<byte[]> indexed = raw.entryKeys(name);
    assertEquals(2, indexed.size(), "one entry of each cache");
    byte[] hashedItem = indexed.stream().filter(key -> !Arrays.equals(key, plainItem)).findFirst().orElseThrow();
    assertEquals(plainItem.length + 31, hashedItem.length, "a 32-byte lookup key instead of the 1-byte key");
    assertEquals("plaintext value", plainCache.get("k"), "the caches use different items");

    raw.set(hashedItem, raw.get(plainItem).value());
    assertRejected(encryptedCache, "k", "a plaintext entry planted under the HMAC key");
  }

  private static int keyId(byte[] entry) {
    return ((entry[KEY_ID] & 0xff) << 8) | (entry[KEY_ID + 1] & 0xff);
  }
}
