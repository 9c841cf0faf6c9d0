package io.memjcache.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.config.EncryptionKey.State;
import io.memjcache.config.EncryptionSettings;
import io.memjcache.config.KeyRing;
import io.memjcache.config.KeyRingSource;
import io.memjcache.config.Secret;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys from a PKCS#12 key store written at test time with the KeyStore API. */
class Pkcs12KeyRingSourceTest {
  private static final char[] PASSWORD = "store-pass".toCharArray();

  @TempDir
  Path dir;

  private Path store(Map<String, byte[]> entries) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    for (Map.Entry<String, byte[]> e : entries.entrySet()) {
      ks.setEntry(e.getKey(), new KeyStore.SecretKeyEntry(new SecretKeySpec(e.getValue(), "AES")),
          new KeyStore.PasswordProtection(PASSWORD));
    }
    Path file = dir.resolve("keys-" + System.nanoTime() + ".p12");
    try (OutputStream out = Files.newOutputStream(file)) {
      ks.store(out, PASSWORD);
    }
    return file;
  }

  @Test
  void aliases_giveIdsAndStates() throws Exception {
    Path file = store(Map.of(
        "memjcache-1", CryptoFixtures.material(1),
        "memjcache-2-primary", CryptoFixtures.material(2),
        "memjcache-0-retired", CryptoFixtures.material(0),
        "unrelated", new byte[16]));
    KeyRing ring = KeyRingSource.fromPkcs12(file, Secret.of(PASSWORD)).load();
    assertEquals(2, ring.primary().id());
    assertArrayEquals(CryptoFixtures.material(2), ring.primary().material());
    assertEquals(State.ACTIVE, ring.key(1).orElseThrow().state());
    assertEquals(State.RETIRED, ring.key(0).orElseThrow().state());
    assertEquals(0, ring.hashingKey().id());
    assertEquals(3, ring.keys().size());
  }

  @Test
  void rotation_throughTheKeyStore_reachesTheSealer() throws Exception {
    Path file = dir.resolve("ring.p12");
    Files.copy(store(Map.of("memjcache-1-primary", CryptoFixtures.material(1))), file);
    KeyRingSource source = KeyRingSource.fromPkcs12(file, Secret.of(PASSWORD));
    CryptoFixtures.ManualClock clock = new CryptoFixtures.ManualClock();
    RefreshingKeyRing ring = new RefreshingKeyRing(source, Duration.ofSeconds(30), clock::nanoTime, Runnable::run);
    ValueSealer sealer = CryptoFixtures.sealer("orders", AeadAlgorithm.AES_256_GCM, ring);
    byte[] key = {1};
    byte[] lookupKey = sealer.lookupKey(key);
    byte[] old = sealer.seal(lookupKey, key, 0, 5L, new byte[] {9});

    Files.copy(store(Map.of("memjcache-1", CryptoFixtures.material(1), "memjcache-2-primary",
        CryptoFixtures.material(2))), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    clock.advance(Duration.ofSeconds(30));
    assertEquals(2, sealer.open(sealer.seal(lookupKey, key, 0, 5L, new byte[] {9}), lookupKey).keyId());
    assertEquals(1, sealer.open(old, lookupKey).keyId());
  }

  @Test
  void wrongPassword_isAClearError() throws Exception {
    Path file = store(Map.of("memjcache-1-primary", CryptoFixtures.material(1)));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> KeyRingSource.fromPkcs12(file, Secret.of("Tr0ub4dor&3")).load());
    assertTrue(e.getMessage().startsWith("key ring from pkcs12:" + file + ": cannot read the key store"), e.getMessage());
    assertTrue(e.getMessage().contains("wrong password?"), e.getMessage());
    assertFalse(e.getMessage().contains("Tr0ub4dor"), e.getMessage());
  }

  @Test
  void badEntries_areClearErrors() throws Exception {
    IllegalArgumentException noPrimary = assertThrows(IllegalArgumentException.class,
        () -> KeyRingSource.fromPkcs12(store(Map.of("memjcache-1", CryptoFixtures.material(1))), Secret.of(PASSWORD)).load());
    assertTrue(noPrimary.getMessage().contains("no key is primary"), noPrimary.getMessage());

    IllegalArgumentException shortKey = assertThrows(IllegalArgumentException.class,
        () -> KeyRingSource.fromPkcs12(store(Map.of("memjcache-1-primary", new byte[16])), Secret.of(PASSWORD)).load());
    assertTrue(shortKey.getMessage().contains("16 bytes"), shortKey.getMessage());

    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> KeyRingSource.fromPkcs12(store(Map.of("other", CryptoFixtures.material(1))), Secret.of(PASSWORD)).load());
    assertTrue(none.getMessage().contains("memjcache-<id>"), none.getMessage());

    IllegalArgumentException bigId = assertThrows(IllegalArgumentException.class,
        () -> KeyRingSource.fromPkcs12(store(Map.of("memjcache-70000-primary", CryptoFixtures.material(1))),
            Secret.of(PASSWORD)).load());
    assertTrue(bigId.getMessage().contains("65535"), bigId.getMessage());

    IllegalStateException missing = assertThrows(IllegalStateException.class,
        () -> KeyRingSource.fromPkcs12(dir.resolve("absent.p12"), Secret.of(PASSWORD)).load());
    assertTrue(missing.getMessage().contains("NoSuchFileException"), missing.getMessage());
  }

  @Test
  void settings_withKeyStore_startEncryption() throws Exception {
    Path file = store(Map.of("memjcache-4-primary", CryptoFixtures.material(4)));
    EncryptionSettings settings = EncryptionSettings.builder()
        .keyRing(KeyRingSource.fromPkcs12(file, Secret.of(PASSWORD)))
        .algorithm(EncryptionSettings.Algorithm.AES_256_GCM_SIV)
        .build();
    ValueEncryption encryption = ValueEncryption.start(settings);
    ValueSealer sealer = encryption.sealer("orders");
    byte[] key = {1, 2};
    byte[] lookupKey = sealer.lookupKey(key);
    byte[] stored = sealer.seal(lookupKey, key, 1, 77L, new byte[] {3});
    assertEquals(AeadAlgorithm.AES_256_GCM_SIV.id(), stored[10]);
    assertEquals(4, sealer.open(stored, lookupKey).keyId());
    assertEquals("KeyRing{primary=4, active=[], retired=[], hashing=4}", encryption.keyRing().toString());
  }
}
