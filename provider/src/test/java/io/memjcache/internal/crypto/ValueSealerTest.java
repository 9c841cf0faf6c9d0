package io.memjcache.internal.crypto;

import static io.memjcache.internal.crypto.CryptoFixtures.active;
import static io.memjcache.internal.crypto.CryptoFixtures.contains;
import static io.memjcache.internal.crypto.CryptoFixtures.copyWith;
import static io.memjcache.internal.crypto.CryptoFixtures.fixed;
import static io.memjcache.internal.crypto.CryptoFixtures.primary;
import static io.memjcache.internal.crypto.CryptoFixtures.sealer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.config.EncryptionKey;
import io.memjcache.config.KeyRing;
import io.memjcache.config.KeyRingSource;
import io.memjcache.internal.crypto.RejectedValueException.Reason;
import io.memjcache.internal.jcache.store.Envelope;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ValueSealerTest {
  private static final byte[] KEY = "customer:4711".getBytes(StandardCharsets.UTF_8);
  private static final byte[] VALUE = "{\"name\":\"Ada Lovelace\",\"plan\":\"gold\"}".getBytes(StandardCharsets.UTF_8);
  private static final long EXPIRES = 1_767_225_600_000L;
  private static final KeyRing RING = KeyRing.of(primary(1));

  private final RefreshingKeyRing ring = fixed(RING);

  private static byte[] seal(ValueSealer sealer, byte[] key, byte[] value, long expiresAt) {
    return sealer.seal(sealer.lookupKey(key), key, 3, expiresAt, value);
  }

  private static Reason rejection(ValueSealer sealer, byte[] stored, byte[] lookupKey) {
    RejectedValueException e = assertThrows(RejectedValueException.class, () -> sealer.open(stored, lookupKey));
    assertEquals(0, e.getStackTrace().length, "no stack trace");
    return e.reason();
  }

  @ParameterizedTest
  @EnumSource(AeadAlgorithm.class)
  void seal_thenOpen_returnsKeyValueFormatAndExpiry(AeadAlgorithm algorithm) throws Exception {
    ValueSealer sealer = sealer("orders", algorithm, ring);
    byte[] lookupKey = sealer.lookupKey(KEY);
    byte[] stored = sealer.seal(lookupKey, KEY, 3, EXPIRES, VALUE);

    ValueSealer.Opened opened = sealer.open(stored, lookupKey);
    assertArrayEquals(KEY, opened.serializedKey());
    assertArrayEquals(VALUE, opened.serializedValue());
    assertTrue(opened.keyEquals(KEY));
    assertEquals(3, opened.formatId());
    assertEquals(EXPIRES, opened.expiresAt());
    assertEquals(1, opened.keyId());
    assertEquals(ValueSealer.OVERHEAD + 2 + KEY.length + VALUE.length, stored.length);
    assertEquals(0, sealer.rejectedCount());
  }

  @ParameterizedTest
  @EnumSource(AeadAlgorithm.class)
  void seal_storedBytes_showNeitherKeyNorValue(AeadAlgorithm algorithm) {
    ValueSealer sealer = sealer("orders", algorithm, ring);
    byte[] stored = seal(sealer, KEY, VALUE, EXPIRES);
    assertFalse(contains(stored, KEY));
    assertFalse(contains(stored, Arrays.copyOf(VALUE, 8)));
    assertFalse(contains(sealer.lookupKey(KEY), KEY));
  }

  @ParameterizedTest
  @EnumSource(AeadAlgorithm.class)
  void seal_header_isClearAndMarkedEncrypted(AeadAlgorithm algorithm) throws Exception {
    ValueSealer sealer = sealer("orders", algorithm, ring);
    byte[] stored = seal(sealer, KEY, VALUE, EXPIRES);
    Envelope.Header header = Envelope.decodeHeader(stored);
    assertTrue(header.encrypted());
    assertEquals(3, header.formatId());
    assertEquals(EXPIRES, header.expiresAt());
    assertEquals(algorithm.id(), stored[10]);
    assertEquals(0, stored[11]);
    assertEquals(1, stored[12]);
  }

  @ParameterizedTest
  @EnumSource(AeadAlgorithm.class)
  void seal_emptyKeyAndValue_roundTrips(AeadAlgorithm algorithm) throws Exception {
    ValueSealer sealer = sealer("orders", algorithm, ring);
    byte[] empty = new byte[0];
    byte[] stored = sealer.seal(sealer.lookupKey(empty), empty, 0, Envelope.ETERNAL, empty);
    ValueSealer.Opened opened = sealer.open(stored, sealer.lookupKey(empty));
    assertEquals(0, opened.serializedKey().length);
    assertEquals(0, opened.serializedValue().length);
    assertEquals(Envelope.ETERNAL, opened.expiresAt());
  }

  @ParameterizedTest
  @EnumSource(AeadAlgorithm.class)
  void seal_largeValue_roundTrips(AeadAlgorithm algorithm) throws Exception {
    ValueSealer sealer = sealer("orders", algorithm, ring);
    byte[] big = new byte[1 << 20];
    new SplittableRandom(7).nextBytes(big);
    byte[] stored = seal(sealer, KEY, big, EXPIRES);
    assertArrayEquals(big, sealer.open(stored, sealer.lookupKey(KEY)).serializedValue());
  }

  @Test
  void lookupKey_remembered_sameAsAFreshSealerComputes_andTheCallersArrayMayChangeAfterwards() {
    ValueSealer sealer = sealer("orders", AeadAlgorithm.AES_256_GCM, ring);
    ValueSealer fresh = sealer("orders", AeadAlgorithm.AES_256_GCM, ring);
    byte[] key = KEY.clone();
    byte[] first = sealer.lookupKey(key);
    assertSame(first, sealer.lookupKey(KEY.clone()), "remembered");
    key[0] ^= 1; // the caller reuses its array: the remembered entry must not change with it
    assertArrayEquals(fresh.lookupKey(KEY), sealer.lookupKey(KEY));
    assertArrayEquals(fresh.lookupKey(key), sealer.lookupKey(key));
    assertFalse(Arrays.equals(sealer.lookupKey(KEY), sealer.lookupKey(key)));
    assertFalse(Arrays.equals(sealer("other-cache", AeadAlgorithm.AES_256_GCM, ring).lookupKey(KEY), first),
        "each cache has its own lookup key");
  }

  @Test
  void lookupKey_moreKeysThanRemembered_stillRight() {
    ValueSealer sealer = sealer("orders", AeadAlgorithm.AES_256_GCM, ring);
    ValueSealer fresh = sealer("orders", AeadAlgorithm.AES_256_GCM, ring);
    for (int i = 0; i < ValueSealer.LOOKUP_CACHE_SIZE * 2 + 10; i++) {
      byte[] key = ("k" + i).getBytes(StandardCharsets.UTF_8);
      assertArrayEquals(fresh.lookupKey(key), sealer.lookupKey(key), "key " + i);
    }
    assertArrayEquals(fresh.lookupKey("k3".getBytes(StandardCharsets.UTF_8)),
        sealer.lookupKey("k3".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void seal_twice_givesDifferentBytes() {
    ValueSealer sealer = sealer("orders", AeadAlgorithm.AES_256_GCM, ring);
    assertFalse(Arrays.equals(seal(sealer, KEY, VALUE, EXPIRES), seal(sealer, KEY, VALUE, EXPIRES)));
  }

  @Test
  void seal_formatIdOutOfRange_isRefused() {
    ValueSealer sealer = sealer("orders", AeadAlgorithm.AES_256_GCM, ring);
    byte[] lookupKey = sealer.lookupKey(KEY);
    assertThrows(IllegalArgumentException.class, () -> sealer.seal(lookupKey, KEY, 16, EXPIRES, VALUE));
    assertThrows(IllegalArgumentException.class, () -> sealer.seal(lookupKey, KEY, 0x80, EXPIRES, VALUE));
    assertThrows(IllegalArgumentException.class, () -> sealer.seal(lookupKey, KEY, -1, EXPIRES, VALUE));
    assertThrows(IllegalArgumentException.class, () -> sealer.seal(lookupKey, KEY, 1, -5, VALUE));
  }

  @ParameterizedTest
  @EnumSource(AeadAlgorithm.class)
  void open_anyFlippedBit_isRejected(AeadAlgorithm algorithm) {
    ValueSealer sealer = sealer("orders", algorithm, ring);
    byte[] lookupKey = sealer.lookupKey(KEY);
    byte[] stored = sealer.seal(lookupKey, KEY, 3, EXPIRES, VALUE);
    int rejections = 0;
    for (int i = 0; i < stored.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        rejection(sealer, copyWith(stored, i, 1 << bit), lookupKey);
        rejections++;
      }
    }
    assertEquals(rejections, sealer.rejectedCount());
  }

  @ParameterizedTest
  @EnumSource(AeadAlgorithm.class)
  void open_truncatedOrExtended_isRejected(AeadAlgorithm algorithm) {
    ValueSealer sealer = sealer("orders", algorithm, ring);
    byte[] lookupKey = sealer.lookupKey(KEY);
    byte[] stored = sealer.seal(lookupKey, KEY, 3, EXPIRES, VALUE);
    for (int length = 0; length < stored.length; length++) {
      rejection(sealer, Arrays.copyOf(stored, length), lookupKey);
    }
    assertEquals(Reason.AUTHENTICATION_FAILED, rejection(sealer, Arrays.copyOf(stored, stored.length + 1), lookupKey));
  }

  @Test
  void open_garbage_isRejectedAsMalformed() {
    ValueSealer sealer = sealer("orders", AeadAlgorithm.AES_256_GCM, ring);
    byte[] lookupKey = sealer.lookupKey(KEY);
    assertEquals(Reason.MALFORMED, rejection(sealer, new byte[0], lookupKey));
    assertEquals(Reason.MALFORMED, rejection(sealer, "VALUE 1 2 3 garbage".getBytes(StandardCharsets.US_ASCII), lookupKey));
    byte[] unknownAlgorithm = seal(sealer, KEY, VALUE, EXPIRES);
    unknownAlgorithm[10] = 9;
    assertEquals(Reason.MALFORMED, rejection(sealer, unknownAlgorithm, lookupKey));
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < 200; i++) {
      byte[] noise = new byte[random.nextInt(200)];
      random.nextBytes(noise);
      rejection(sealer, noise, lookupKey);
    }
  }

  @ParameterizedTest
  @EnumSource(AeadAlgorithm.class)
  void open_valueMovedToAnotherKey_isRejected(AeadAlgorithm algorithm) {
    ValueSealer sealer = sealer("orders", algorithm, ring);
    byte[] stored = seal(sealer, KEY, VALUE, EXPIRES);
    byte[] otherLookupKey = sealer.lookupKey("customer:4712".getBytes(StandardCharsets.UTF_8));
    assertEquals(Reason.AUTHENTICATION_FAILED, rejection(sealer, stored, otherLookupKey));
    assertEquals(1, sealer.rejectedCount(Reason.AUTHENTICATION_FAILED));
  }

  @ParameterizedTest
  @EnumSource(AeadAlgorithm.class)
  void open_valueMovedToAnotherCache_isRejected(AeadAlgorithm algorithm) {
    ValueSealer orders = sealer("orders", algorithm, ring);
    ValueSealer invoices = sealer("invoices", algorithm, ring);
    byte[] stored = seal(orders, KEY, VALUE, EXPIRES);
    // the attacker places it where the other cache looks for the same application key
    assertEquals(Reason.AUTHENTICATION_FAILED, rejection(invoices, stored, invoices.lookupKey(KEY)));
    // and even under the lookup key it had (the caches' keys differ)
    assertEquals(Reason.AUTHENTICATION_FAILED, rejection(invoices, stored, orders.lookupKey(KEY)));
  }

  @Test
  void open_valueMovedToAnotherCache_withClearKeys_isRejected() {
    ValueSealer orders = sealer("orders", AeadAlgorithm.AES_256_GCM, false, ring, Entropy.secure(), WriterKey.DEFAULT_LIMIT);
    ValueSealer invoices = sealer("invoices", AeadAlgorithm.AES_256_GCM, false, ring, Entropy.secure(), WriterKey.DEFAULT_LIMIT);
    byte[] stored = seal(orders, KEY, VALUE, EXPIRES);
    assertEquals(Reason.AUTHENTICATION_FAILED, rejection(invoices, stored, KEY));
  }

  @ParameterizedTest
  @EnumSource(AeadAlgorithm.class)
  void open_expiryChangedInTheHeader_isRejected(AeadAlgorithm algorithm) {
    ValueSealer sealer = sealer("orders", algorithm, ring);
    byte[] lookupKey = sealer.lookupKey(KEY);
    byte[] stored = sealer.seal(lookupKey, KEY, 3, EXPIRES, VALUE);
    byte[] extended = stored.clone();
    System.arraycopy(Envelope.encodeHeader(Envelope.FLAG_ENCRYPTED | 3, Envelope.ETERNAL), 0, extended, 0, 10);
    assertEquals(Reason.AUTHENTICATION_FAILED, rejection(sealer, extended, lookupKey));
    byte[] formatChanged = stored.clone();
    formatChanged[1] = (byte) (Envelope.FLAG_ENCRYPTED | 4);
    assertEquals(Reason.AUTHENTICATION_FAILED, rejection(sealer, formatChanged, lookupKey));
  }

  @Test
  void reseal_newExpiry_opensWithIt() throws Exception {
    ValueSealer sealer = sealer("orders", AeadAlgorithm.AES_256_GCM_SIV, ring);
    byte[] lookupKey = sealer.lookupKey(KEY);
    ValueSealer.Opened opened = sealer.open(sealer.seal(lookupKey, KEY, 3, EXPIRES, VALUE), lookupKey);
    byte[] resealed = sealer.reseal(opened, lookupKey, EXPIRES + 60_000);
    ValueSealer.Opened again = sealer.open(resealed, lookupKey);
    assertEquals(EXPIRES + 60_000, again.expiresAt());
    assertEquals(3, again.formatId());
    assertArrayEquals(KEY, again.serializedKey());
    assertArrayEquals(VALUE, again.serializedValue());
  }

  @Test
  void open_plaintextEnvelope_isRejected() {
    ValueSealer sealer = sealer("orders", AeadAlgorithm.AES_256_GCM, ring);
    byte[] clear = Envelope.encode(3, EXPIRES, KEY, VALUE);
    assertEquals(Reason.PLAINTEXT, rejection(sealer, clear, sealer.lookupKey(KEY)));
    assertEquals(Reason.PLAINTEXT, rejection(sealer, clear, KEY));
    assertEquals(2, sealer.rejectedCount(Reason.PLAINTEXT));
  }

  @Test
  void open_unknownKeyId_isRejected() {
    ValueSealer sealer = sealer("orders", AeadAlgorithm.AES_256_GCM, ring);
    byte[] lookupKey = sealer.lookupKey(KEY);
    byte[] stored = sealer.seal(lookupKey, KEY, 3, EXPIRES, VALUE);
    stored[12] = 9;
    RejectedValueException e = assertThrows(RejectedValueException.class, () -> sealer.open(stored, lookupKey));
    assertEquals(Reason.UNKNOWN_KEY, e.reason());
    assertEquals(9, e.keyId());
    assertEquals(1, sealer.rejectedCount(Reason.UNKNOWN_KEY));
  }

  @Test
  void openWithoutBlocking_sealedValue_opensAsOpenDoes() throws Exception {
    ValueSealer sealer = sealer("orders", AeadAlgorithm.AES_256_GCM, ring);
    byte[] lookupKey = sealer.lookupKey(KEY);
    byte[] stored = sealer.seal(lookupKey, KEY, 3, EXPIRES, VALUE);

    ValueSealer.Opened opened = sealer.openWithoutBlocking(ByteBuffer.wrap(stored), lookupKey);

    assertArrayEquals(VALUE, opened.serializedValue());
    assertArrayEquals(KEY, opened.serializedKey());
    assertEquals(EXPIRES, opened.expiresAt());
  }

  @Test
  void openWithoutBlocking_tamperedOrUnknownKey_rejectedAndCounted() {
    ValueSealer sealer = sealer("orders", AeadAlgorithm.AES_256_GCM, ring);
    byte[] lookupKey = sealer.lookupKey(KEY);
    byte[] stored = sealer.seal(lookupKey, KEY, 3, EXPIRES, VALUE);
    byte[] flipped = stored.clone();
    flipped[flipped.length - 20] ^= 1;
    byte[] unknown = stored.clone();
    unknown[12] = 9;

    assertEquals(Reason.AUTHENTICATION_FAILED,
        assertThrows(RejectedValueException.class, () -> sealer.openWithoutBlocking(ByteBuffer.wrap(flipped), lookupKey)).reason());
    assertEquals(Reason.UNKNOWN_KEY,
        assertThrows(RejectedValueException.class, () -> sealer.openWithoutBlocking(ByteBuffer.wrap(unknown), lookupKey)).reason());
    assertEquals(2, sealer.rejectedCount());
  }

  @Test
  void open_sealedByAnotherRingsKey_isRejected() {
    ValueSealer ours = sealer("orders", AeadAlgorithm.AES_256_GCM, ring);
    // same id, other material: a foreign deployment, or a forger who knows the format
    KeyRing foreign = KeyRing.of(EncryptionKey.of(1, EncryptionKey.State.PRIMARY, CryptoFixtures.material(99)));
    ValueSealer theirs = sealer("orders", AeadAlgorithm.AES_256_GCM, false, fixed(foreign), Entropy.secure(),
        WriterKey.DEFAULT_LIMIT);
    byte[] lookupKey = ours.lookupKey(KEY);
    byte[] stored = theirs.seal(lookupKey, KEY, 3, EXPIRES, VALUE);
    assertEquals(Reason.AUTHENTICATION_FAILED, rejection(ours, stored, lookupKey));
  }

  @Test
  void open_otherAlgorithmOfTheSameRing_isAccepted() throws Exception {
    ValueSealer gcm = sealer("orders", AeadAlgorithm.AES_256_GCM, ring);
    ValueSealer siv = sealer("orders", AeadAlgorithm.AES_256_GCM_SIV, ring);
    byte[] lookupKey = gcm.lookupKey(KEY);
    assertArrayEquals(VALUE, gcm.open(siv.seal(lookupKey, KEY, 3, EXPIRES, VALUE), lookupKey).serializedValue());
    assertArrayEquals(VALUE, siv.open(gcm.seal(lookupKey, KEY, 3, EXPIRES, VALUE), lookupKey).serializedValue());
  }

  @Test
  void open_algorithmByteSwapped_isRejected() {
    ValueSealer sealer = sealer("orders", AeadAlgorithm.AES_256_GCM, ring);
    byte[] lookupKey = sealer.lookupKey(KEY);
    byte[] stored = sealer.seal(lookupKey, KEY, 3, EXPIRES, VALUE);
    stored[10] = (byte) AeadAlgorithm.AES_256_GCM_SIV.id();
    assertEquals(Reason.AUTHENTICATION_FAILED, rejection(sealer, stored, lookupKey));
  }

  @Test
  void open_retiredKey_isRejected() {
    ValueSealer sealer = sealer("orders", AeadAlgorithm.AES_256_GCM, ring);
    byte[] lookupKey = sealer.lookupKey(KEY);
    byte[] stored = sealer.seal(lookupKey, KEY, 3, EXPIRES, VALUE);
    KeyRing retired = KeyRing.builder().add(primary(2)).add(EncryptionKey.retired(1)).build();
    ValueSealer later = sealer("orders", AeadAlgorithm.AES_256_GCM, false, fixed(retired), Entropy.secure(),
        WriterKey.DEFAULT_LIMIT);
    RejectedValueException e = assertThrows(RejectedValueException.class, () -> later.open(stored, lookupKey));
    assertEquals(Reason.RETIRED_KEY, e.reason());
    assertEquals(1, e.keyId());
  }

  @Test
  void rejection_message_namesCacheAndReasonButNoContent() {
    ValueSealer sealer = sealer("orders", AeadAlgorithm.AES_256_GCM, ring);
    byte[] lookupKey = sealer.lookupKey(KEY);
    byte[] stored = copyWith(sealer.seal(lookupKey, KEY, 3, EXPIRES, VALUE), 50, 1);
    RejectedValueException e = assertThrows(RejectedValueException.class, () -> sealer.open(stored, lookupKey));
    assertTrue(e.getMessage().contains("orders"), e.getMessage());
    assertTrue(e.getMessage().contains("authentication"), e.getMessage());
    assertFalse(e.getMessage().contains("customer"), e.getMessage());
  }

  @Test
  void rejections_areLoggedAtMostOncePerInterval() {
    List<String> lines = new ArrayList<>();
    CryptoFixtures.ManualClock clock = new CryptoFixtures.ManualClock();
    ValueSealer sealer = new ValueSealer("orders", AeadAlgorithm.AES_256_GCM, true, ring, Entropy.secure(),
        WriterKey.DEFAULT_LIMIT, new RateLimitedLog(lines::add, 60_000_000_000L, clock::nanoTime));
    byte[] lookupKey = sealer.lookupKey(KEY);
    byte[] stored = copyWith(sealer.seal(lookupKey, KEY, 3, EXPIRES, VALUE), 50, 1);
    for (int i = 0; i < 100; i++) {
      rejection(sealer, stored, lookupKey);
    }
    assertEquals(1, lines.size());
    clock.advance(java.time.Duration.ofSeconds(61));
    rejection(sealer, stored, lookupKey);
    assertEquals(2, lines.size());
    assertTrue(lines.get(1).contains("101 rejected"), lines.get(1));
    assertTrue(lines.get(1).contains("'orders'"), lines.get(1));
    assertFalse(lines.get(1).contains("customer"), lines.get(1));
    assertEquals(101, sealer.rejectedCount());
  }

  @Test
  void lookupKey_isDeterministicPerCacheAndHidesTheKey() {
    ValueSealer orders = sealer("orders", AeadAlgorithm.AES_256_GCM, ring);
    ValueSealer orders2 = sealer("orders", AeadAlgorithm.AES_256_GCM_SIV, ring);
    ValueSealer invoices = sealer("invoices", AeadAlgorithm.AES_256_GCM, ring);
    byte[] lookupKey = orders.lookupKey(KEY);
    assertEquals(ValueSealer.LOOKUP_KEY_LENGTH, lookupKey.length);
    assertArrayEquals(lookupKey, orders.lookupKey(KEY.clone()));
    assertArrayEquals(lookupKey, orders2.lookupKey(KEY), "does not depend on the algorithm");
    assertFalse(Arrays.equals(lookupKey, invoices.lookupKey(KEY)));
    assertFalse(Arrays.equals(lookupKey, orders.lookupKey("customer:4712".getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void lookupKey_withoutKeyHashing_isTheSerializedKey() {
    ValueSealer sealer = sealer("orders", AeadAlgorithm.AES_256_GCM, false, ring, Entropy.secure(), WriterKey.DEFAULT_LIMIT);
    assertFalse(sealer.hashesKeys());
    assertSame(KEY, sealer.lookupKey(KEY));
  }

  @Test
  void lookupKey_dependsOnlyOnTheKeyHashingKey() {
    ValueSealer one = sealer("orders", AeadAlgorithm.AES_256_GCM, fixed(KeyRing.of(primary(1))));
    ValueSealer promoted = sealer("orders", AeadAlgorithm.AES_256_GCM, fixed(KeyRing.of(active(1), primary(2))));
    ValueSealer retired = sealer("orders", AeadAlgorithm.AES_256_GCM,
        fixed(KeyRing.of(CryptoFixtures.retiredWithMaterial(1), primary(2))));
    ValueSealer otherHashing = sealer("orders", AeadAlgorithm.AES_256_GCM,
        fixed(KeyRing.builder().add(primary(1)).add(active(2)).hashingKey(2).build()));
    assertArrayEquals(one.lookupKey(KEY), promoted.lookupKey(KEY));
    assertArrayEquals(one.lookupKey(KEY), retired.lookupKey(KEY));
    assertFalse(Arrays.equals(one.lookupKey(KEY), otherHashing.lookupKey(KEY)));
  }

  @Test
  void opened_keepsCopies_andShowsNoContent() throws Exception {
    ValueSealer sealer = sealer("orders", AeadAlgorithm.AES_256_GCM, ring);
    byte[] lookupKey = sealer.lookupKey(KEY);
    byte[] stored = sealer.seal(lookupKey, KEY, 3, EXPIRES, VALUE);
    ValueSealer.Opened opened = sealer.open(stored, lookupKey);
    ValueSealer.Opened again = sealer.open(stored, lookupKey); // the same thread's buffer, reused
    assertArrayEquals(KEY, opened.serializedKey());
    assertArrayEquals(VALUE, opened.serializedValue());
    assertNotSame(opened.serializedValue(), again.serializedValue());
    assertTrue(opened.toString().contains("keyId=1"));
    assertFalse(opened.toString().contains("customer"));
  }

  @ParameterizedTest
  @EnumSource(AeadAlgorithm.class)
  void openWithoutBlocking_readsTheBufferRegion_andLeavesItAsItWas(AeadAlgorithm algorithm) throws Exception {
    ValueSealer sealer = sealer("orders", algorithm, ring);
    byte[] lookupKey = sealer.lookupKey(KEY);
    byte[] stored = sealer.seal(lookupKey, KEY, 3, EXPIRES, VALUE);
    ByteBuffer received = ByteBuffer.allocateDirect(stored.length + 20);
    received.position(7).put(stored).position(7).limit(7 + stored.length);

    ValueSealer.Opened opened = sealer.openWithoutBlocking(received, lookupKey);
    assertArrayEquals(VALUE, opened.serializedValue());
    assertEquals(EXPIRES, opened.expiresAt());
    assertEquals(7, received.position());
    assertEquals(7 + stored.length, received.limit());
    byte[] after = new byte[stored.length];
    received.get(7, after);
    assertArrayEquals(stored, after, "the receive buffer still holds the sealed entry");
  }

  @ParameterizedTest
  @EnumSource(AeadAlgorithm.class)
  void sealAndOpen_clearThePlaintextFromTheThreadsBuffer_alsoWhenRejected(AeadAlgorithm algorithm) throws Exception {
    ValueSealer sealer = sealer("orders", algorithm, ring);
    byte[] lookupKey = sealer.lookupKey(KEY);
    byte[] stored = sealer.seal(lookupKey, KEY, 3, EXPIRES, VALUE);
    assertTrue(allZero(ValueSealer.plaintextBuffer(stored.length)), "no plaintext left after a seal");
    sealer.open(stored, lookupKey);
    assertTrue(allZero(ValueSealer.plaintextBuffer(stored.length)), "no plaintext left after an open");

    byte[] tampered = stored.clone();
    tampered[tampered.length - 1] ^= 1;
    assertEquals(Reason.AUTHENTICATION_FAILED, rejection(sealer, tampered, lookupKey));
    assertTrue(allZero(ValueSealer.plaintextBuffer(stored.length)), "nothing left after a rejection");
  }

  @ParameterizedTest
  @EnumSource(AeadAlgorithm.class)
  void sealAndOpen_entryLargerThanTheThreadsBuffer(AeadAlgorithm algorithm) throws Exception {
    ValueSealer sealer = sealer("orders", algorithm, ring);
    byte[] lookupKey = sealer.lookupKey(KEY);
    byte[] big = new byte[ValueSealer.PLAINTEXT_BUFFER_LIMIT + 1000];
    new java.util.SplittableRandom(5).nextBytes(big);
    ValueSealer.Opened opened = sealer.open(sealer.seal(lookupKey, KEY, 3, EXPIRES, big), lookupKey);
    assertArrayEquals(big, opened.serializedValue());
    byte[] small = sealer.open(sealer.seal(lookupKey, KEY, 3, EXPIRES, VALUE), lookupKey).serializedValue();
    assertArrayEquals(VALUE, small, "a growing and a fresh buffer leave later opens right");
  }

  @Test
  void seal_whileTheKeyRingSourceSealsOnTheSameThread_eachEntryKeepsItsOwnValue() throws Exception {
    ValueSealer other = sealer("other", AeadAlgorithm.AES_256_GCM, ring);
    byte[] otherKey = other.lookupKey(KEY);
    byte[] otherValue = "a value sealed inside the key ring callback".getBytes(StandardCharsets.UTF_8);
    byte[][] sealedInside = new byte[1][];
    int[] loads = new int[1];
    CryptoFixtures.ManualClock clock = new CryptoFixtures.ManualClock();
    KeyRingSource source = KeyRingSource.from("re-entrant ring", () -> {
      if (loads[0]++ > 0) {
        sealedInside[0] = other.seal(otherKey, KEY, 3, EXPIRES, otherValue);
      }
      return RING;
    });
    ValueSealer sealer = sealer("orders", AeadAlgorithm.AES_256_GCM,
        new RefreshingKeyRing(source, CryptoFixtures.INTERVAL, clock::nanoTime, Runnable::run));
    byte[] lookupKey = sealer.lookupKey(KEY);
    clock.advance(CryptoFixtures.INTERVAL); // the next seal reads the ring, on this thread

    byte[] stored = sealer.seal(lookupKey, KEY, 3, EXPIRES, VALUE);

    assertTrue(sealedInside[0] != null, "the callback sealed while the outer seal was under way");
    assertArrayEquals(VALUE, sealer.open(stored, lookupKey).serializedValue());
    assertArrayEquals(otherValue, other.open(sealedInside[0], otherKey).serializedValue());
  }

  @Test
  void open_whileTheKeyRingSourceSealsOnTheSameThread_opensItsOwnEntry() throws Exception {
    ValueSealer other = sealer("other", AeadAlgorithm.AES_256_GCM, ring);
    byte[] otherKey = other.lookupKey(KEY);
    byte[] otherValue = "a value sealed inside the key ring callback".getBytes(StandardCharsets.UTF_8);
    int[] loads = new int[1];
    boolean[] reentered = new boolean[1];
    CryptoFixtures.ManualClock clock = new CryptoFixtures.ManualClock();
    KeyRingSource source = KeyRingSource.from("re-entrant ring", () -> {
      if (loads[0]++ > 0) {
        other.seal(otherKey, KEY, 3, EXPIRES, otherValue);
        reentered[0] = true;
      }
      return RING;
    });
    ValueSealer sealer = sealer("orders", AeadAlgorithm.AES_256_GCM,
        new RefreshingKeyRing(source, CryptoFixtures.INTERVAL, clock::nanoTime, Runnable::run));
    byte[] lookupKey = sealer.lookupKey(KEY);
    byte[] stored = sealer.seal(lookupKey, KEY, 3, EXPIRES, VALUE);
    clock.advance(CryptoFixtures.INTERVAL); // the next open reads the ring, on this thread

    assertArrayEquals(VALUE, sealer.open(stored, lookupKey).serializedValue());
    assertTrue(reentered[0], "the callback sealed while the open was under way");
  }

  private static boolean allZero(byte[] bytes) {
    for (byte b : bytes) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }
}
