package io.memjcache.internal.crypto;

import static io.memjcache.internal.crypto.CryptoFixtures.active;
import static io.memjcache.internal.crypto.CryptoFixtures.primary;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.memjcache.config.EncryptionKey;
import io.memjcache.config.KeyRing;
import io.memjcache.internal.crypto.RejectedValueException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Rotation as an operator does it: add, wait, promote, wait, retire; the ring re-read by callback. */
class KeyRotationTest {
  private static final byte[] KEY = "k".getBytes(StandardCharsets.UTF_8);
  private static final byte[] V1 = "sealed under key 1".getBytes(StandardCharsets.UTF_8);
  private static final byte[] V2 = "sealed under key 2".getBytes(StandardCharsets.UTF_8);

  @ParameterizedTest
  @EnumSource(AeadAlgorithm.class)
  void rotation_addPromoteRetire(AeadAlgorithm algorithm) throws Exception {
    CryptoFixtures.MutableRing ring = new CryptoFixtures.MutableRing(KeyRing.of(primary(1)));
    ValueSealer sealer = CryptoFixtures.sealer("orders", algorithm, ring.refreshing);
    byte[] lookupKey = sealer.lookupKey(KEY);
    byte[] old = sealer.seal(lookupKey, KEY, 0, 1000L, V1);
    assertEquals(1, sealer.open(old, lookupKey).keyId());

    // add key 2 as active: still sealing with 1
    ring.rotate(KeyRing.of(primary(1), active(2)));
    assertEquals(1, sealer.open(sealer.seal(lookupKey, KEY, 0, 1000L, V1), lookupKey).keyId());

    // promote 2: new seals use 2, values of key 1 still open
    ring.rotate(KeyRing.of(active(1), primary(2)));
    byte[] fresh = sealer.seal(lookupKey, KEY, 0, 1000L, V2);
    assertEquals(2, sealer.primaryKeyId());
    ValueSealer.Opened openedFresh = sealer.open(fresh, lookupKey);
    assertEquals(2, openedFresh.keyId());
    assertArrayEquals(V2, openedFresh.serializedValue());
    ValueSealer.Opened openedOld = sealer.open(old, lookupKey);
    assertEquals(1, openedOld.keyId());
    assertArrayEquals(V1, openedOld.serializedValue());
    assertArrayEquals(lookupKey, sealer.lookupKey(KEY), "lookup keys do not move with rotation");

    // a re-seal (e.g. an access-expiry update) moves an old value to the new key
    assertEquals(2, sealer.open(sealer.reseal(openedOld, lookupKey, 2000L), lookupKey).keyId());

    // retire 1: its values are refused, key 2's still open
    ring.rotate(KeyRing.builder().add(EncryptionKey.retired(1)).add(primary(2)).build());
    RejectedValueException e = assertThrows(RejectedValueException.class, () -> sealer.open(old, lookupKey));
    assertEquals(Reason.RETIRED_KEY, e.reason());
    assertArrayEquals(V2, sealer.open(fresh, lookupKey).serializedValue());
    assertArrayEquals(lookupKey, sealer.lookupKey(KEY), "the key-hashing key stays the one this JVM started with");

    // drop 1 altogether: now unknown
    ring.rotate(KeyRing.of(primary(2)));
    assertEquals(Reason.UNKNOWN_KEY, assertThrows(RejectedValueException.class, () -> sealer.open(old, lookupKey)).reason());
  }

  @Test
  void rotation_readersOnAStaleRing_rejectNewKeyUntilTheyRefresh() throws Exception {
    // JVM A promotes key 2 before JVM B has read it: B misses A's values until its next reading
    CryptoFixtures.MutableRing ringA = new CryptoFixtures.MutableRing(KeyRing.of(primary(1)));
    CryptoFixtures.MutableRing ringB = new CryptoFixtures.MutableRing(KeyRing.of(primary(1)));
    ValueSealer a = CryptoFixtures.sealer("orders", AeadAlgorithm.AES_256_GCM, ringA.refreshing);
    ValueSealer b = CryptoFixtures.sealer("orders", AeadAlgorithm.AES_256_GCM, ringB.refreshing);
    byte[] lookupKey = a.lookupKey(KEY);
    assertArrayEquals(lookupKey, b.lookupKey(KEY));
    ringA.rotate(KeyRing.of(active(1), primary(2)));
    byte[] stored = a.seal(lookupKey, KEY, 0, 1000L, V2);

    ringB.ring.set(KeyRing.of(active(1), primary(2))); // B's source has it, B has not read it yet
    ringB.clock.advance(Duration.ofSeconds(2));
    int loadsBefore = ringB.loads;
    RejectedValueException e = assertThrows(RejectedValueException.class, () -> b.open(stored, lookupKey));
    assertEquals(Reason.UNKNOWN_KEY, e.reason());
    assertEquals(loadsBefore + 1, ringB.loads, "an unknown key id asks for an early reading");
    assertArrayEquals(V2, b.open(stored, lookupKey).serializedValue());
  }

  @Test
  void unknownKeyIds_askForAtMostOneEarlyReadingPerSecond() {
    CryptoFixtures.MutableRing ring = new CryptoFixtures.MutableRing(KeyRing.of(primary(1)));
    ValueSealer sealer = CryptoFixtures.sealer("orders", AeadAlgorithm.AES_256_GCM, ring.refreshing);
    byte[] lookupKey = sealer.lookupKey(KEY);
    byte[] stored = sealer.seal(lookupKey, KEY, 0, 1000L, V1);
    stored[12] = 42;
    int before = ring.loads;
    ring.clock.advance(Duration.ofSeconds(2));
    for (int i = 0; i < 50; i++) {
      assertThrows(RejectedValueException.class, () -> sealer.open(stored, lookupKey));
    }
    assertEquals(before + 1, ring.loads);
    ring.clock.advance(Duration.ofMillis(1001));
    assertThrows(RejectedValueException.class, () -> sealer.open(stored, lookupKey));
    assertEquals(before + 2, ring.loads);
  }
}
