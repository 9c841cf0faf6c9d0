package io.memjcache.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.config.EncryptionKey;
import io.memjcache.config.EncryptionKey.State;
import io.memjcache.config.KeyRing;
import io.memjcache.config.KeyRingSource;
import io.memjcache.config.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ring's text form (environment variable, file, any secret) and the ring's own rules. */
class KeyRingTextTest {
  private static final byte[] K0 = CryptoFixtures.material(0);
  private static final byte[] K1 = CryptoFixtures.material(1);
  private static final byte[] K2 = CryptoFixtures.material(2);
  private static final String B0 = Base64.getEncoder().encodeToString(K0);
  private static final String B1 = Base64.getEncoder().encodeToString(K1);
  private static final String B2 = Base64.getEncoder().encodeToString(K2);

  @TempDir
  Path dir;

  @Test
  void parse_keysAndSettings() {
    KeyRing ring = KeyRing.parse("1:" + B1 + ",2:" + B2 + ";primary=2;retired=0");
    assertEquals(2, ring.primary().id());
    assertArrayEquals(K2, ring.primary().material());
    assertEquals(State.ACTIVE, ring.key(1).orElseThrow().state());
    assertArrayEquals(K1, ring.key(1).orElseThrow().material());
    EncryptionKey retired = ring.key(0).orElseThrow();
    assertEquals(State.RETIRED, retired.state());
    assertFalse(retired.hasMaterial());
    assertEquals(1, ring.hashingKey().id(), "the lowest id with material");
    assertEquals(3, ring.keys().size());
  }

  @Test
  void parse_whitespaceLineBreaksUrlSafeAndUnpaddedBase64() {
    String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(K1);
    KeyRing ring = KeyRing.parse("\n  1 : " + urlSafe + " ,\n 2:" + B2 + " ;\n primary = 2 ;\n hashing=2;\n");
    assertArrayEquals(K1, ring.key(1).orElseThrow().material());
    assertEquals(2, ring.hashingKey().id());
  }

  @Test
  void parse_separateKeyParts_andRetiredKeyWithMaterial() {
    KeyRing ring = KeyRing.parse("0:" + B0 + ";1:" + B1 + ";primary=1;retired=0");
    EncryptionKey zero = ring.key(0).orElseThrow();
    assertEquals(State.RETIRED, zero.state());
    assertTrue(zero.hasMaterial());
    assertEquals(0, ring.hashingKey().id(), "a retired key may still be the key-hashing key");
  }

  @Test
  void parse_equalsBuiltRing() {
    KeyRing parsed = KeyRing.parse("1:" + B1 + ",2:" + B2 + ";primary=2");
    KeyRing built = KeyRing.of(EncryptionKey.of(1, State.ACTIVE, K1), EncryptionKey.of(2, State.PRIMARY, K2));
    assertEquals(built, parsed);
    assertEquals(built.hashCode(), parsed.hashCode());
    assertNotEquals(built, KeyRing.parse("1:" + B1 + ",2:" + B1 + ";primary=2"), "material counts");
  }

  @Test
  void parse_badInput_saysWhatIsWrongWithoutKeyMaterial() {
    String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
    String[][] cases = {
        {"", "no keys"},
        {"1:" + B1, "no primary"},
        {"1:" + B1 + ";primary=2", "primary key 2 is not listed"},
        {"1:" + B1 + ",1:" + B2 + ";primary=1", "listed twice"},
        {"1:" + B1 + ";primary=1;primary=1", "primary= is given twice"},
        {"1:" + shortKey + ";primary=1", "16 bytes"},
        {"1:" + B1.substring(0, 20) + "*" + B1.substring(21) + ";primary=1", "not valid base64"},
        {"1" + B1 + ";primary=1", "no ':'"},
        {"70000:" + B1 + ";primary=70000", "0 to 65535"},
        {"x1:" + B1 + ";primary=1", "neither a key list"},
        {"1:" + B1 + ";primary=one", "primary= has no id"},
        {"1:" + B1 + ";primary=1;retired=1", "both primary and retired"},
        {"1:" + B1 + ";primary=1;hashing=3", "key-hashing key 3"},
        {"1:" + B1 + ";primary=1;retired=2;hashing=2", "key-hashing key 2"},
        {"1:" + B1 + ";primary=1;retired=", "retired= has no id"},
    };
    for (String[] c : cases) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyRing.parse(c[0]), c[1]);
      assertTrue(e.getMessage().contains(c[1]), "expected '" + c[1] + "' in: " + e.getMessage());
      assertNoMaterial(e.getMessage());
    }
  }

  private static void assertNoMaterial(String message) {
    for (String b : new String[] {B0, B1, B2}) {
      assertFalse(message.contains(b.substring(0, 8)), "key material in: " + message);
    }
  }

  @Test
  void ring_toString_showsIdsAndStatesOnly() {
    KeyRing ring = KeyRing.parse("1:" + B1 + ",2:" + B2 + ";primary=2;retired=0");
    assertEquals("KeyRing{primary=2, active=[1], retired=[0], hashing=1}", ring.toString());
    assertEquals("EncryptionKey{id=2, PRIMARY}", ring.primary().toString());
  }

  @Test
  void builder_rules() {
    assertThrows(IllegalArgumentException.class, () -> KeyRing.builder().build());
    assertThrows(IllegalArgumentException.class,
        () -> KeyRing.of(EncryptionKey.of(1, State.ACTIVE, K1)), "no primary");
    assertThrows(IllegalArgumentException.class,
        () -> KeyRing.of(EncryptionKey.of(1, State.PRIMARY, K1), EncryptionKey.of(2, State.PRIMARY, K2)));
    assertThrows(IllegalArgumentException.class, () -> EncryptionKey.of(1, State.PRIMARY, new byte[31]));
    assertThrows(IllegalArgumentException.class, () -> EncryptionKey.of(-1, State.PRIMARY, K1));
    assertThrows(IllegalArgumentException.class, () -> EncryptionKey.retired(65536));
    assertThrows(IllegalStateException.class, () -> EncryptionKey.retired(3).material());
    assertThrows(IllegalStateException.class, () -> EncryptionKey.retired(3).withState(State.ACTIVE));
  }

  @Test
  void key_material_isCopiedInAndOut() {
    byte[] material = K1.clone();
    EncryptionKey key = EncryptionKey.of(1, State.PRIMARY, material);
    material[0] ^= 1;
    assertArrayEquals(K1, key.material());
    key.material()[0] ^= 1;
    assertArrayEquals(K1, key.material());
  }

  @Test
  void fromFile_readsAtEachLoad() throws Exception {
    Path file = dir.resolve("ring.txt");
    Files.writeString(file, "1:" + B1 + "\n;primary=1\n");
    KeyRingSource source = KeyRingSource.fromFile(file);
    assertEquals(1, source.load().primary().id());
    Files.writeString(file, "1:" + B1 + ",\n2:" + B2 + ";\nprimary=2\n");
    assertEquals(2, source.load().primary().id());
    assertEquals("file:" + file, source.description());
    assertEquals(source, KeyRingSource.fromFile(file));
  }

  @Test
  void fromFile_badContent_namesTheFileNotTheKey() throws Exception {
    Path file = dir.resolve("ring.txt");
    Files.writeString(file, "1:" + B1.substring(0, 30) + ";primary=1");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyRingSource.fromFile(file).load());
    assertTrue(e.getMessage().startsWith("key ring from file:" + file + ": "), e.getMessage());
    assertNoMaterial(e.getMessage());
    IllegalStateException missing = assertThrows(IllegalStateException.class,
        () -> KeyRingSource.fromFile(dir.resolve("absent.txt")).load());
    assertTrue(missing.getMessage().contains("absent.txt"), missing.getMessage());
  }

  @Test
  void fromEnvironment_unsetVariable_isAClearError() {
    String variable = "MEMJCACHE_TEST_RING_THAT_IS_NOT_SET";
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> KeyRingSource.fromEnvironment(variable).load());
    assertEquals("key ring from env:" + variable + ": environment variable " + variable + " is not set", e.getMessage());
  }

  @Test
  void fromText_anySecret() {
    KeyRingSource source = KeyRingSource.fromText(Secret.from("vault", () -> ("1:" + B1 + ";primary=1").toCharArray()));
    assertEquals(1, source.load().primary().id());
    assertEquals("callback:vault", source.description());
    assertFalse(source.toString().contains(B1.substring(0, 8)));
  }

  @Test
  void fromCallback_failure_reportsOnlyTheExceptionClass() {
    KeyRingSource source = KeyRingSource.from("rotation service", () -> {
      throw new IllegalArgumentException(B1);
    });
    IllegalStateException e = assertThrows(IllegalStateException.class, source::load);
    assertEquals("key ring from callback:rotation service: the callback failed: java.lang.IllegalArgumentException",
        e.getMessage());
    assertThrows(IllegalStateException.class, () -> KeyRingSource.from("null", () -> null).load());
  }

  @Test
  void fromSystemPropertyText() {
    String property = "memjcache.test.ring." + System.nanoTime();
    System.setProperty(property, "7:" + B1 + ";primary=7");
    try {
      assertEquals(7, KeyRingSource.fromText(Secret.fromSystemProperty(property)).load().primary().id());
    } finally {
      System.clearProperty(property);
    }
  }
}
