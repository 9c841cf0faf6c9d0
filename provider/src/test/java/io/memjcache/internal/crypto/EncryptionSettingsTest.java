package io.memjcache.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.config.EncryptionSettings;
import io.memjcache.config.KeyRing;
import io.memjcache.config.KeyRingSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class EncryptionSettingsTest {
  @Test
  void withoutKeyRing_encryptionCannotStart() {
    EncryptionSettings settings = EncryptionSettings.builder().build();
    assertTrue(settings.keyRing().isEmpty());
    assertEquals("EncryptionSettings{keyRing=none, algorithm=AES_256_GCM, hashKeys=true, refreshInterval=PT30S}",
        settings.toString());
    assertEquals(settings, EncryptionSettings.builder().build());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> ValueEncryption.start(settings));
    assertTrue(e.getMessage().contains("keyRing(KeyRingSource)"), e.getMessage());
  }

  @Test
  void defaults() {
    EncryptionSettings s = EncryptionSettings.builder().keyRing(KeyRingSource.fromEnvironment("MEMJCACHE_KEYS")).build();
    assertEquals(EncryptionSettings.Algorithm.AES_256_GCM, s.algorithm());
    assertTrue(s.hashKeys());
    assertEquals(Duration.ofSeconds(30), s.refreshInterval());
    assertEquals("EncryptionSettings{keyRing=env:MEMJCACHE_KEYS, algorithm=AES_256_GCM, hashKeys=true,"
        + " refreshInterval=PT30S}", s.toString());
  }

  @Test
  void equality_followsTheSource() {
    EncryptionSettings a = EncryptionSettings.builder().keyRing(KeyRingSource.fromFile(Path.of("/etc/ring"))).build();
    EncryptionSettings b = EncryptionSettings.builder().keyRing(KeyRingSource.fromFile(Path.of("/etc/ring"))).build();
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(a, a.toBuilder().hashKeys(false).build());
    assertNotEquals(a, a.toBuilder().refreshInterval(Duration.ofMinutes(5)).build());
    assertNotEquals(a, a.toBuilder().algorithm(EncryptionSettings.Algorithm.AES_256_GCM_SIV).build());
    assertEquals(a, a.toBuilder().build());
  }

  @Test
  void refreshInterval_belowOneSecond_isRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> EncryptionSettings.builder().refreshInterval(Duration.ofMillis(999)));
  }

  @Test
  void toString_ofAFixedRing_showsNoMaterial() {
    byte[] material = CryptoFixtures.material(1);
    KeyRing ring = KeyRing.of(CryptoFixtures.primary(1));
    EncryptionSettings s = EncryptionSettings.builder().keyRing(KeyRingSource.of(ring)).build();
    String text = s + " " + s.keyRing() + " " + ring + " " + ring.keys();
    assertFalse(text.contains(Base64.getEncoder().encodeToString(material).substring(0, 8)), text);
    assertFalse(text.contains(String.format("%02x%02x%02x", material[0], material[1], material[2])), text);
  }
}
