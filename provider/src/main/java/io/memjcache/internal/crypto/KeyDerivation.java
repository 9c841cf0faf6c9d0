package io.memjcache.internal.crypto;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * The HKDF-SHA256 (RFC 5869) derivations of value encryption. Every derivation has its own label
 * in the info string, so no derived key can equal another kind of key:
 *
 * <pre>
 *   cache value key  = HKDF(IKM = master key,      salt = none,        info = "memjcache v1 value key"  0x00 UTF-8(cache name))
 *   writer key       = HKDF(IKM = cache value key, salt = writer salt, info = "memjcache v1 writer key" 0x00 algorithm id)
 *   cache lookup key = HKDF(IKM = key-hashing key, salt = none,        info = "memjcache v1 lookup key" 0x00 UTF-8(cache name))
 *   lookup key       = HMAC-SHA256(cache lookup key, serialized key)
 * </pre>
 *
 * <p>All outputs are 32 bytes; "salt = none" is RFC 5869's default of 32 zero bytes.
 */
final class KeyDerivation {
  static final String VALUE_KEY_LABEL = "memjcache v1 value key";
  static final String WRITER_KEY_LABEL = "memjcache v1 writer key";
  static final String LOOKUP_KEY_LABEL = "memjcache v1 lookup key";
  /** Bytes of every derived key. */
  static final int LENGTH = 32;

  private KeyDerivation() {}

  /** The key of one cache that one master key's writer keys are derived from. */
  static byte[] cacheValueKey(byte[] masterKey, String cacheName) {
    return hkdf(masterKey, null, info(VALUE_KEY_LABEL, cacheName.getBytes(StandardCharsets.UTF_8)));
  }

  /** The key one writer seals with: fresh for every writer salt. */
  static byte[] writerKey(byte[] cacheValueKey, byte[] writerSalt, AeadAlgorithm algorithm) {
    return hkdf(cacheValueKey, writerSalt, info(WRITER_KEY_LABEL, new byte[] {(byte) algorithm.id()}));
  }

  /** The HMAC key of one cache's lookup keys. */
  static byte[] cacheLookupKey(byte[] hashingMasterKey, String cacheName) {
    return hkdf(hashingMasterKey, null, info(LOOKUP_KEY_LABEL, cacheName.getBytes(StandardCharsets.UTF_8)));
  }

  /** label, one zero byte, context. */
  static byte[] info(String label, byte[] context) {
    byte[] l = label.getBytes(StandardCharsets.US_ASCII);
    byte[] info = new byte[l.length + 1 + context.length];
    System.arraycopy(l, 0, info, 0, l.length);
    System.arraycopy(context, 0, info, l.length + 1, context.length);
    return info;
  }

  /** HKDF-SHA256 with a 32-byte output; a null salt is RFC 5869's default. */
  static byte[] hkdf(byte[] ikm, byte[] salt, byte[] info) {
    return hkdf(ikm, salt, info, LENGTH);
  }

  static byte[] hkdf(byte[] ikm, byte[] salt, byte[] info, int length) {
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(SHA256Digest.newInstance());
    hkdf.init(new HKDFParameters(ikm, salt, info));
    byte[] out = new byte[length];
    hkdf.generateBytes(out, 0, length);
    return out;
  }
}
