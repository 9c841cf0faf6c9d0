package io.memjcache.internal.crypto;

import static io.memjcache.internal.crypto.CryptoFixtures.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class KeyDerivationTest {
  /** RFC 5869, appendix A.1: basic test case with SHA-256. */
  @Test
  void hkdf_rfc5869TestCase1() {
    byte[] ikm = hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
    byte[] salt = hex("000102030405060708090a0b0c");
    byte[] info = hex("f0f1f2f3f4f5f6f7f8f9");
    byte[] okm = hex("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
    assertArrayEquals(okm, KeyDerivation.hkdf(ikm, salt, info, 42));
  }

  /** RFC 5869, appendix A.3: zero-length salt and info, which "salt = none" relies on. */
  @Test
  void hkdf_rfc5869TestCase3_noSalt() {
    byte[] ikm = hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
    byte[] okm = hex("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
    assertArrayEquals(okm, KeyDerivation.hkdf(ikm, null, new byte[0], 42));
  }

  @Test
  void derivations_areSeparatedByLabel() {
    byte[] master = CryptoFixtures.material(1);
    byte[] value = KeyDerivation.cacheValueKey(master, "orders");
    byte[] lookup = KeyDerivation.cacheLookupKey(master, "orders");
    assertFalse(Arrays.equals(value, lookup));
    assertFalse(Arrays.equals(value, KeyDerivation.cacheValueKey(master, "orders2")));
    byte[] salt = new byte[16];
    assertFalse(Arrays.equals(KeyDerivation.writerKey(value, salt, AeadAlgorithm.AES_256_GCM),
        KeyDerivation.writerKey(value, salt, AeadAlgorithm.AES_256_GCM_SIV)));
  }
}
