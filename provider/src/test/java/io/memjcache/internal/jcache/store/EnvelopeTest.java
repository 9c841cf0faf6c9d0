package io.memjcache.internal.jcache.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EnvelopeTest {

  @Test
  void encode_knownEntry_hasDocumentedLayout() {
    byte[] bytes = Envelope.encode(1, 0x0102030405060708L, "k".getBytes(UTF_8), "vv".getBytes(UTF_8));
    // version, flags (format 1), expiry big-endian, key length 1, 'k', value length 2, "vv"
    assertEquals("01" + "01" + "0102030405060708" + "01" + "6b" + "02" + "7676", HexFormat.of().formatHex(bytes));
  }

  @Test
  void decode_encodedEntry_roundTrips() throws CorruptEntryException {
    SplittableRandom random = new SplittableRandom(1);
    for (int keyLength : new int[] {0, 1, 127, 128, 250, 16383, 16384, 70_000}) {
      for (int valueLength : new int[] {0, 1, 127, 128, 16384, 300_000}) {
        byte[] key = randomBytes(random, keyLength);
        byte[] value = randomBytes(random, valueLength);
        long expiresAt = random.nextLong(0, Long.MAX_VALUE);
        Envelope envelope = Envelope.decode(Envelope.encode(4, expiresAt, key, value));
        assertEquals(4, envelope.formatId());
        assertFalse(envelope.encrypted());
        assertEquals(expiresAt, envelope.expiresAt());
        assertArrayEquals(key, envelope.key());
        assertArrayEquals(value, envelope.value());
        assertTrue(envelope.keyEquals(key));
        assertEquals(keyLength, envelope.keyLength());
        assertEquals(valueLength, envelope.valueLength());
        assertArrayEquals(value, Arrays.copyOfRange(envelope.buffer(), envelope.valueOffset(),
            envelope.valueOffset() + envelope.valueLength()));
      }
    }
  }

  @Test
  void decode_eternalEntry_neverExpires() throws CorruptEntryException {
    Envelope envelope = Envelope.decode(Envelope.encode(0, Envelope.ETERNAL, new byte[0], new byte[0]));
    assertEquals(Long.MAX_VALUE, envelope.expiresAt());
    assertFalse(envelope.isExpired(Long.MAX_VALUE - 1));
  }

  @Test
  void isExpired_atAndAfterExpiry_true() throws CorruptEntryException {
    Envelope envelope = Envelope.decode(Envelope.encode(0, 1000, new byte[1], new byte[1]));
    assertFalse(envelope.isExpired(999));
    assertTrue(envelope.isExpired(1000));
    assertTrue(envelope.isExpired(1001));
  }

  @Test
  void keyEquals_otherKey_false() throws CorruptEntryException {
    Envelope envelope = Envelope.decode(Envelope.encode(0, 5, "abc".getBytes(UTF_8), "v".getBytes(UTF_8)));
    assertFalse(envelope.keyEquals("abd".getBytes(UTF_8)));
    assertFalse(envelope.keyEquals("ab".getBytes(UTF_8)));
    assertFalse(envelope.keyEquals("abcv".getBytes(UTF_8)));
    assertTrue(envelope.keyEquals("abc".getBytes(UTF_8)));
  }

  @Test
  void encodeWithExpiresAt_decodedEntry_changesOnlyExpiry() throws CorruptEntryException {
    byte[] original = Envelope.encode(2, 100, "k".getBytes(UTF_8), "value".getBytes(UTF_8));
    Envelope envelope = Envelope.decode(original);
    byte[] restamped = envelope.encodeWithExpiresAt(Envelope.ETERNAL);
    Envelope again = Envelope.decode(restamped);
    assertEquals(Envelope.ETERNAL, again.expiresAt());
    assertEquals(2, again.formatId());
    assertArrayEquals("value".getBytes(UTF_8), again.value());
    assertEquals(100, Envelope.decode(original).expiresAt(), "the original buffer is not modified");
  }

  @Test
  void encode_invalidArguments_throwIllegalArgument() {
    assertThrows(IllegalArgumentException.class, () -> Envelope.encode(16, 0, new byte[0], new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> Envelope.encode(-1, 0, new byte[0], new byte[0]));
    assertThrows(IllegalArgumentException.class,
        () -> Envelope.encode(Envelope.FLAG_ENCRYPTED, 0, new byte[0], new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> Envelope.encode(0, -1, new byte[0], new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> Envelope.encodeHeader(0x10, 0));
  }

  @Test
  void decode_everyTruncation_throwsCorruptEntry() {
    byte[] full = Envelope.encode(1, 123_456_789L, randomBytes(new SplittableRandom(2), 200),
        randomBytes(new SplittableRandom(3), 300));
    for (int length = 0; length < full.length; length++) {
      byte[] truncated = Arrays.copyOf(full, length);
      assertThrows(CorruptEntryException.class, () -> Envelope.decode(truncated), "length " + length);
    }
  }

  @Test
  void decode_trailingBytes_throwsCorruptEntry() {
    byte[] full = Envelope.encode(1, 5, "k".getBytes(UTF_8), "v".getBytes(UTF_8));
    byte[] extended = Arrays.copyOf(full, full.length + 1);
    assertThrows(CorruptEntryException.class, () -> Envelope.decode(extended));
  }

  @Test
  void decode_unknownVersion_throwsCorruptEntry() {
    byte[] bytes = Envelope.encode(1, 5, "k".getBytes(UTF_8), "v".getBytes(UTF_8));
    for (int version : new int[] {0, 2, 0x7F, 0xFF}) {
      bytes[0] = (byte) version;
      assertThrows(CorruptEntryException.class, () -> Envelope.decode(bytes));
    }
  }

  @Test
  void decode_reservedFlagBits_throwsCorruptEntry() {
    for (int bit = 4; bit <= 6; bit++) {
      byte[] bytes = Envelope.encode(1, 5, "k".getBytes(UTF_8), "v".getBytes(UTF_8));
      bytes[1] |= (byte) (1 << bit);
      assertThrows(CorruptEntryException.class, () -> Envelope.decode(bytes));
    }
  }

  @Test
  void decode_negativeExpiry_throwsCorruptEntry() {
    byte[] bytes = Envelope.encode(1, 5, "k".getBytes(UTF_8), "v".getBytes(UTF_8));
    bytes[2] = (byte) 0x80;
    assertThrows(CorruptEntryException.class, () -> Envelope.decode(bytes));
  }

  @Test
  void decode_encryptedFlag_throwsCorruptEntry() {
    byte[] header = Envelope.encodeHeader(Envelope.FLAG_ENCRYPTED | 1, 5);
    byte[] bytes = concat(header, Envelope.encodeBody("k".getBytes(UTF_8), "v".getBytes(UTF_8)));
    assertThrows(CorruptEntryException.class, () -> Envelope.decode(bytes));
  }

  @Test
  void decode_lyingKeyLength_throwsCorruptEntryWithoutAllocating() {
    // Key length 0x7FFFFFFF (the largest int), followed by one byte.
    byte[] bytes = concat(Envelope.encodeHeader(1, 5), new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07, 1});
    assertThrows(CorruptEntryException.class, () -> Envelope.decode(bytes));
  }

  @Test
  void decode_keyLengthBeyondInt_throwsCorruptEntry() {
    byte[] bytes = concat(Envelope.encodeHeader(1, 5), new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F, 1});
    assertThrows(CorruptEntryException.class, () -> Envelope.decode(bytes));
    byte[] sixBytes = concat(Envelope.encodeHeader(1, 5),
        new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x00});
    assertThrows(CorruptEntryException.class, () -> Envelope.decode(sixBytes));
  }

  @Test
  void decode_overlongKeyLength_throwsCorruptEntry() {
    // 0x81 0x00 is a two-byte encoding of 1: not the shortest, so rejected.
    byte[] bytes = concat(Envelope.encodeHeader(1, 5), new byte[] {(byte) 0x81, 0x00, 'k', 0x01, 'v'});
    assertThrows(CorruptEntryException.class, () -> Envelope.decode(bytes));
  }

  @Test
  void decodeBody_encryptedFlow_yieldsKeyAndValue() throws CorruptEntryException {
    // What the encryption layer does: authenticate the header, decrypt the body, parse the plaintext.
    byte[] header = Envelope.encodeHeader(Envelope.FLAG_ENCRYPTED | 3, 77);
    Envelope.Header parsed = Envelope.decodeHeader(concat(header, new byte[] {9, 9, 9}));
    assertTrue(parsed.encrypted());
    assertEquals(3, parsed.formatId());
    assertEquals(77, parsed.expiresAt());
    byte[] plaintext = concat(new byte[] {42}, Envelope.encodeBody("key".getBytes(UTF_8), "value".getBytes(UTF_8)));
    Envelope envelope = Envelope.decodeBody(parsed, plaintext, 1, plaintext.length - 1);
    assertTrue(envelope.encrypted());
    assertArrayEquals("key".getBytes(UTF_8), envelope.key());
    assertArrayEquals("value".getBytes(UTF_8), envelope.value());
    assertThrows(IllegalStateException.class, () -> envelope.encodeWithExpiresAt(5));
    assertThrows(CorruptEntryException.class, () -> Envelope.decodeBody(parsed, plaintext, 1, plaintext.length - 2));
  }

  @Test
  void decode_randomBytes_onlyCorruptEntryOrConsistentResult() {
    SplittableRandom random = new SplittableRandom(42);
    int decoded = 0;
    for (int i = 0; i < 50_000; i++) {
      byte[] bytes = randomBytes(random, random.nextInt(0, 40));
      if (bytes.length > 1 && random.nextBoolean()) {
        bytes[0] = Envelope.VERSION;
        bytes[1] &= 0x0F;
        if (bytes.length > 2) {
          bytes[2] &= 0x7F;
        }
      }
      decoded += decodeOrCorrupt(bytes);
    }
    assertTrue(decoded > 0, "some random inputs should be valid envelopes");
  }

  @Test
  void decode_mutatedEntries_onlyCorruptEntryOrConsistentResult() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 20_000; i++) {
      byte[] bytes = Envelope.encode(random.nextInt(16), random.nextLong(0, Long.MAX_VALUE),
          randomBytes(random, random.nextInt(0, 300)), randomBytes(random, random.nextInt(0, 300)));
      int mutations = random.nextInt(1, 4);
      for (int m = 0; m < mutations; m++) {
        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
      }
      if (random.nextInt(4) == 0) {
        bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 8));
      }
      decodeOrCorrupt(bytes);
    }
  }

  private static int decodeOrCorrupt(byte[] bytes) {
    try {
      Envelope envelope = Envelope.decode(bytes);
      assertEquals(bytes.length, envelope.valueOffset() + envelope.valueLength());
      assertTrue(envelope.keyOffset() >= Envelope.HEADER_LENGTH + 1);
      assertTrue(envelope.keyOffset() + envelope.keyLength() < envelope.valueOffset());
      assertTrue(envelope.expiresAt() >= 0);
      return 1;
    } catch (CorruptEntryException expected) {
      return 0;
    } catch (RuntimeException e) {
      fail("decode threw " + e + " for " + HexFormat.of().formatHex(bytes), e);
      return 0;
    }
  }

  static byte[] randomBytes(SplittableRandom random, int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) random.nextInt(256);
    }
    return bytes;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
