package io.memjcache.internal.jcache.store;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KeyCodecTest {
  private static final KeyCodec USERS = KeyCodec.forCache("users");

  @Test
  void namespace_anyCacheName_isTwelveBase64UrlCharacters() {
    for (String name : List.of("", "users", "a:b!c#d", "ünïcødé 缓存", "x".repeat(10_000))) {
      String namespace = KeyCodec.forCache(name).namespace();
      assertEquals(KeyCodec.NAMESPACE_LENGTH, namespace.length());
      assertTrue(namespace.matches("[A-Za-z0-9_-]{12}"), namespace);
    }
  }

  @Test
  void namespace_users_isFirstNineBytesOfSha256() throws Exception {
    // Pinned: the namespace is part of the stored format shared by every client.
    byte[] digest = MessageDigest.getInstance("SHA-256").digest("users".getBytes(UTF_8));
    String expected = Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 9));
    assertEquals(expected, USERS.namespace());
    assertEquals("fftM9ndCywZg", USERS.namespace());
  }

  @Test
  void namespace_differentCacheNames_differ() {
    assertNotEquals(KeyCodec.forCache("users").namespace(), KeyCodec.forCache("Users").namespace());
  }

  @Test
  void metadataKeys_users_haveDocumentedForm() {
    String ns = USERS.namespace();
    assertEquals("mj:" + ns + "!gen", new String(USERS.generationKey(), US_ASCII));
    assertEquals("mj:" + ns + ":2a!idx:7", new String(USERS.generation(42).indexSegmentKey(7), US_ASCII));
    assertThrows(IllegalArgumentException.class, () -> USERS.generation(42).indexSegmentKey(-1));
  }

  @Test
  void entryKey_generation_isUnsignedLowercaseHex() {
    String ns = USERS.namespace();
    assertEquals("mj:" + ns + ":0:k", ascii(USERS.generation(0).entryKey(bytes("k"))));
    assertEquals("mj:" + ns + ":ffffffffffffffff:k", ascii(USERS.generation(-1).entryKey(bytes("k"))));
    assertEquals("mj:" + ns + ":abcdef:k", ascii(USERS.generation(0xABCDEF).entryKey(bytes("k"))));
  }

  @Test
  void entryKey_binaryKey_keptRawAfterPrefix() {
    byte[] key = {0, (byte) 0xFF, ' ', '\r', '\n', ':', '!', '#'};
    KeyCodec.Generation generation = USERS.generation(1);
    byte[] entryKey = generation.entryKey(key);
    byte[] prefix = ("mj:" + USERS.namespace() + ":1:").getBytes(US_ASCII);
    assertArrayEquals(prefix, Arrays.copyOf(entryKey, prefix.length));
    assertArrayEquals(key, Arrays.copyOfRange(entryKey, prefix.length, entryKey.length));
  }

  @Test
  void entryKey_exactly250Bytes_raw() {
    KeyCodec.Generation generation = USERS.generation(0x1234);
    int prefixLength = ("mj:" + USERS.namespace() + ":1234:").length();
    byte[] key = new byte[KeyCodec.MAX_KEY_LENGTH - prefixLength];
    Arrays.fill(key, (byte) 'a');
    byte[] entryKey = generation.entryKey(key);
    assertEquals(250, entryKey.length);
    assertFalse(generation.isHashed(key.length));
    assertEquals(':', entryKey[prefixLength - 1]);
  }

  @Test
  void entryKey_251Bytes_hashed() throws Exception {
    KeyCodec.Generation generation = USERS.generation(0x1234);
    int prefixLength = ("mj:" + USERS.namespace() + ":1234:").length();
    byte[] key = new byte[KeyCodec.MAX_KEY_LENGTH - prefixLength + 1];
    Arrays.fill(key, (byte) 'a');
    assertTrue(generation.isHashed(key.length));
    String sha = Base64.getUrlEncoder().withoutPadding()
        .encodeToString(MessageDigest.getInstance("SHA-256").digest(key));
    assertEquals("mj:" + USERS.namespace() + ":1234#" + sha, ascii(generation.entryKey(key)));
  }

  @Test
  void entryKey_hugeKeyAtLargestGeneration_fitsInMemcachedLimit() {
    byte[] key = new byte[1_000_000];
    byte[] entryKey = USERS.generation(-1).entryKey(key);
    assertTrue(entryKey.length <= KeyCodec.MAX_KEY_LENGTH);
    assertEquals(3 + 12 + 1 + 16 + 1 + 43, entryKey.length);
  }

  @Test
  void entryKey_hashedDifferentKeys_differ() {
    KeyCodec.Generation generation = USERS.generation(5);
    byte[] a = new byte[400];
    byte[] b = new byte[400];
    b[399] = 1;
    assertFalse(Arrays.equals(generation.entryKey(a), generation.entryKey(b)));
    assertArrayEquals(generation.entryKey(a), USERS.generation(5).entryKey(a.clone()));
  }

  @Test
  void entryKey_sameKeyOtherGenerationOrCache_differs() {
    byte[] key = bytes("k");
    assertFalse(Arrays.equals(USERS.generation(1).entryKey(key), USERS.generation(2).entryKey(key)));
    assertFalse(Arrays.equals(USERS.generation(1).entryKey(key), KeyCodec.forCache("orders").generation(1).entryKey(key)));
    // Generation 0x1 with key "2:x" against generation 0x12 with key "x": the hex run ends at ':'.
    assertFalse(Arrays.equals(USERS.generation(0x1).entryKey(bytes("2:x")), USERS.generation(0x12).entryKey(bytes("x"))));
  }

  /**
   * The claim in KeyCodec's Javadoc, checked by brute force: entry keys, raw or hashed, of any
   * generation never equal the generation key or a segment key of any generation, even for
   * serialized keys built to look like metadata suffixes.
   */
  @Test
  void entryKey_anyKeyAnyGeneration_neverEqualsMetadataKey() {
    long[] generations = {0, 1, 2, 0xF, 0x10, 0x12, 0xA, 0xAB, 0x7FFFFFFFFFFFFFFFL, -1, Long.MIN_VALUE};
    Set<ByteArrayKey> metadata = new HashSet<>();
    metadata.add(ByteArrayKey.of(USERS.generationKey()));
    for (long generation : generations) {
      for (int segment = 0; segment < 64; segment++) {
        metadata.add(ByteArrayKey.of(USERS.generation(generation).indexSegmentKey(segment)));
      }
    }
    List<byte[]> keys = new ArrayList<>();
    for (String suffix : List.of("gen", "!gen", "idx:0", "!idx:0", ":!idx:0", "#", "")) {
      keys.add(bytes(suffix));
      for (long generation : generations) {
        String hex = Long.toHexString(generation);
        keys.add(bytes(hex + suffix));
        keys.add(bytes(hex.substring(1) + suffix));
      }
    }
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 20_000; i++) {
      int length = random.nextInt(4) == 0 ? random.nextInt(200, 400) : random.nextInt(0, 12);
      byte[] key = new byte[length];
      byte[] alphabet = bytes("0123456789abcdef:!#idxgen");
      for (int j = 0; j < length; j++) {
        key[j] = random.nextBoolean() ? alphabet[random.nextInt(alphabet.length)] : (byte) random.nextInt(256);
      }
      keys.add(key);
    }
    for (long generation : generations) {
      KeyCodec.Generation keysOfGeneration = USERS.generation(generation);
      for (byte[] key : keys) {
        byte[] entryKey = keysOfGeneration.entryKey(key);
        assertFalse(metadata.contains(ByteArrayKey.of(entryKey)), () -> ascii(entryKey));
        assertEquals(KeyKind.ENTRY, classify(entryKey));
      }
    }
    for (ByteArrayKey key : metadata) {
      assertEquals(KeyKind.METADATA, classify(key.bytes()));
    }
  }

  @Test
  void segmentFor_pinnedKeys_stableAcrossVersions() {
    // Pinned (checked against an independent implementation): every JVM sharing a cache must put
    // a key in the same segment.
    assertEquals(List.of(6, 11, 8, 13), List.of(
        KeyCodec.segmentFor(new byte[0], 16),
        KeyCodec.segmentFor(bytes("a"), 16),
        KeyCodec.segmentFor(bytes("user:42"), 16),
        KeyCodec.segmentFor(bytes("ünïcødé"), 16)));
    assertEquals(112, KeyCodec.segmentFor(bytes("user:42"), 1000));
  }

  @Test
  void segmentFor_manyKeys_inRangeAndBalanced() {
    int segments = 16;
    int[] counts = new int[segments];
    int n = 160_000;
    for (int i = 0; i < n; i++) {
      int segment = KeyCodec.segmentFor(bytes("key-" + i), segments);
      counts[segment]++;
    }
    for (int count : counts) {
      assertTrue(Math.abs(count - n / segments) < n / segments / 10, Arrays.toString(counts));
    }
    assertEquals(0, KeyCodec.segmentFor(bytes("x"), 1));
    assertThrows(IllegalArgumentException.class, () -> KeyCodec.segmentFor(bytes("x"), 0));
  }

  private enum KeyKind { ENTRY, METADATA }

  /** Parses a key the way the Javadoc argues: the byte after the namespace, then after the hex run. */
  private static KeyKind classify(byte[] key) {
    String ns = USERS.namespace();
    byte[] start = ("mj:" + ns).getBytes(US_ASCII);
    assertArrayEquals(start, Arrays.copyOf(key, start.length));
    int pos = start.length;
    if (key[pos] == '!') {
      return KeyKind.METADATA;
    }
    assertEquals(':', key[pos]);
    pos++;
    int hexStart = pos;
    while (pos < key.length && ((key[pos] >= '0' && key[pos] <= '9') || (key[pos] >= 'a' && key[pos] <= 'f'))) {
      pos++;
    }
    assertTrue(pos > hexStart);
    return switch (key[pos]) {
      case ':', '#' -> KeyKind.ENTRY;
      case '!' -> KeyKind.METADATA;
      default -> throw new AssertionError("unexpected byte " + key[pos]);
    };
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  private static String ascii(byte[] b) {
    return new String(b, US_ASCII);
  }
}
