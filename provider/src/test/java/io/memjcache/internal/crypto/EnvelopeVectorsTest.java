package io.memjcache.internal.crypto;

import static io.memjcache.internal.crypto.CryptoFixtures.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.config.EncryptionKey;
import io.memjcache.config.KeyRing;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The vectors in {@code crypto/vectors.txt} were computed by {@code generate_vectors.py}, an
 * independent implementation of docs/ENVELOPE.md in Python: memjcache must produce the same
 * bytes from the same keys, salt and nonce, and open them.
 */
class EnvelopeVectorsTest {
  static Stream<Map<String, String>> vectors() throws IOException {
    String text;
    try (InputStream in = EnvelopeVectorsTest.class.getResourceAsStream("/crypto/vectors.txt")) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<Map<String, String>> vectors = new ArrayList<>();
    Map<String, String> current = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("#")) {
        continue;
      }
      if (line.isBlank()) {
        if (!current.isEmpty()) {
          vectors.add(current);
          current = new LinkedHashMap<>();
        }
        continue;
      }
      int eq = line.indexOf(" = ");
      current.put(line.substring(0, eq), line.substring(eq + 3));
    }
    if (!current.isEmpty()) {
      vectors.add(current);
    }
    return vectors.stream();
  }

  @Test
  void vectors_coverBothAlgorithmsAndBothKeyModes() throws IOException {
    List<Map<String, String>> all = vectors().toList();
    assertEquals(5, all.size());
    assertTrue(all.stream().anyMatch(v -> v.get("algorithm").equals("1")));
    assertTrue(all.stream().anyMatch(v -> v.get("algorithm").equals("2")));
    assertTrue(all.stream().anyMatch(v -> v.get("hashKeys").equals("false")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void vector_isReproducedAndOpens(Map<String, String> v) throws Exception {
    AeadAlgorithm algorithm = AeadAlgorithm.byId(Integer.parseInt(v.get("algorithm")));
    String cacheName = new String(hex(v.get("cacheName")), StandardCharsets.UTF_8);
    int keyId = Integer.parseInt(v.get("keyId"));
    byte[] master = hex(v.get("masterKey"));
    boolean hashKeys = Boolean.parseBoolean(v.get("hashKeys"));
    KeyRing.Builder ring = KeyRing.builder().add(EncryptionKey.of(keyId, EncryptionKey.State.PRIMARY, master));
    if (hashKeys) {
      int hashingId = Integer.parseInt(v.get("hashingKeyId"));
      if (hashingId != keyId) {
        ring.add(EncryptionKey.of(hashingId, EncryptionKey.State.ACTIVE, hex(v.get("hashingMasterKey"))));
      }
      ring.hashingKey(hashingId);
    }
    byte[] salt = hex(v.get("writerSalt"));
    byte[] nonce = hex(v.get("nonce"));
    byte[] skey = hex(v.get("serializedKey"));
    byte[] value = hex(v.get("serializedValue"));
    int formatId = Integer.parseInt(v.get("formatId"));
    long expiresAt = Long.parseLong(v.get("expiresAt"));

    // the derivations, one by one
    byte[] cacheValueKey = KeyDerivation.cacheValueKey(master, cacheName);
    assertArrayEquals(hex(v.get("cacheValueKey")), cacheValueKey, "cache value key");
    assertArrayEquals(hex(v.get("writerKey")), KeyDerivation.writerKey(cacheValueKey, salt, algorithm), "writer key");
    if (hashKeys) {
      assertArrayEquals(hex(v.get("cacheLookupKey")),
          KeyDerivation.cacheLookupKey(hex(v.get("hashingMasterKey")), cacheName), "cache lookup key");
    }

    // the whole entry, with the scripted salt and nonce
    CryptoFixtures.ScriptedEntropy entropy = new CryptoFixtures.ScriptedEntropy().then(salt).then(nonce);
    ValueSealer sealer = CryptoFixtures.sealer(cacheName, algorithm, hashKeys, CryptoFixtures.fixed(ring.build()),
        entropy, WriterKey.DEFAULT_LIMIT);
    byte[] lookupKey = sealer.lookupKey(skey);
    assertArrayEquals(hex(v.get("lookupKey")), lookupKey, "lookup key");
    byte[] stored = sealer.seal(lookupKey, skey, formatId, expiresAt, value);
    assertEquals(List.of(16, 12), entropy.requested, "the salt is drawn first, then the nonce");
    assertArrayEquals(hex(v.get("stored")), stored, "stored bytes");

    ValueSealer.Opened opened = sealer.open(hex(v.get("stored")), lookupKey);
    assertArrayEquals(skey, opened.serializedKey());
    assertArrayEquals(value, opened.serializedValue());
    assertEquals(formatId, opened.formatId());
    assertEquals(expiresAt, opened.expiresAt());
    assertEquals(keyId, opened.keyId());
  }
}
