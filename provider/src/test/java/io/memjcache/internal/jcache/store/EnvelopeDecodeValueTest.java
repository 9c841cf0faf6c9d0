package io.memjcache.internal.jcache.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Envelope#decodeValue}: a clear envelope read in place from a receive buffer, value copied out once. */
class EnvelopeDecodeValueTest {
  private static final byte[] KEY = "user:42".getBytes(UTF_8);

  /** The envelope placed {@code before} bytes into a buffer with {@code after} bytes of noise behind it. */
  private static ByteBuf inBuffer(byte[] envelope, int before, int after, boolean direct) {
    ByteBuf b = direct ? Unpooled.directBuffer() : Unpooled.buffer();
    for (int i = 0; i < before; i++) {
      b.writeByte(0x7f);
    }
    b.writeBytes(envelope);
    for (int i = 0; i < after; i++) {
      b.writeByte(0x7f);
    }
    return b;
  }

  @Test
  void decodeValue_envelopeInsideLargerBuffer_copiesExactlyTheValue() throws Exception {
    for (int size : new int[] {0, 1, 127, 128, 4096, 100_000}) {
      byte[] value = new byte[size];
      new SplittableRandom(size).nextBytes(value);
      byte[] envelope = Envelope.encode(3, 1234L, KEY, value);
      for (boolean direct : new boolean[] {false, true}) {
        ByteBuf buffer = inBuffer(envelope, 37, 11, direct);
        Envelope.Value decoded = Envelope.decodeValue(buffer, 37, envelope.length, KEY);
        assertArrayEquals(value, decoded.value(), size + " bytes");
        assertEquals(size, decoded.value().length, "an array of exactly the value's size");
        assertEquals(3, decoded.formatId());
        assertEquals(1234L, decoded.expiresAt());
        assertEquals(0, buffer.readerIndex(), "absolute reads only");
        buffer.release();
      }
    }
  }

  @Test
  void decodeValue_wholeBuffer_sameAsByteArrayDecode() throws Exception {
    byte[] value = "hello".getBytes(UTF_8);
    byte[] envelope = Envelope.encode(2, Envelope.ETERNAL, KEY, value);
    Envelope.Value decoded = Envelope.decodeValue(Unpooled.wrappedBuffer(envelope), 0, envelope.length, KEY);
    Envelope reference = Envelope.decode(envelope);
    assertArrayEquals(reference.value(), decoded.value());
    assertEquals(reference.expiresAt(), decoded.expiresAt());
    assertEquals(reference.formatId(), decoded.formatId());
  }

  @Test
  void decodeValue_anotherKey_refused() {
    byte[] envelope = Envelope.encode(3, 1L, "user:43".getBytes(UTF_8), new byte[10]);
    CorruptEntryException e = assertThrows(CorruptEntryException.class,
        () -> Envelope.decodeValue(Unpooled.wrappedBuffer(envelope), 0, envelope.length, KEY));
    assertTrue(e.getMessage().contains("another key"), e.getMessage());
    byte[] longer = Envelope.encode(3, 1L, "user:420".getBytes(UTF_8), new byte[10]);
    assertThrows(CorruptEntryException.class,
        () -> Envelope.decodeValue(Unpooled.wrappedBuffer(longer), 0, longer.length, KEY));
    byte[] empty = Envelope.encode(3, 1L, new byte[0], new byte[10]);
    assertThrows(CorruptEntryException.class,
        () -> Envelope.decodeValue(Unpooled.wrappedBuffer(empty), 0, empty.length, KEY));
  }

  @Test
  void decodeValue_everyTruncationAndExtension_refused() {
    byte[] envelope = Envelope.encode(3, 1L, KEY, new byte[300]);
    for (int length = 0; length < envelope.length; length++) {
      int cut = length;
      assertThrows(CorruptEntryException.class,
          () -> Envelope.decodeValue(Unpooled.wrappedBuffer(envelope), 0, cut, KEY), "truncated to " + cut);
    }
    ByteBuf extended = inBuffer(envelope, 0, 1, false);
    assertThrows(CorruptEntryException.class, () -> Envelope.decodeValue(extended, 0, envelope.length + 1, KEY));
  }

  @Test
  void decodeValue_encryptedOrReservedFlagsOrOtherVersion_refused() {
    byte[] envelope = Envelope.encode(3, 1L, KEY, new byte[8]);
    byte[] encrypted = envelope.clone();
    encrypted[1] |= (byte) Envelope.FLAG_ENCRYPTED;
    byte[] reserved = envelope.clone();
    reserved[1] |= 0x10;
    byte[] version = envelope.clone();
    version[0] = 2;
    for (byte[] bad : new byte[][] {encrypted, reserved, version}) {
      assertThrows(CorruptEntryException.class,
          () -> Envelope.decodeValue(Unpooled.wrappedBuffer(bad), 0, bad.length, KEY));
    }
  }

  @Test
  void decodeValue_mutatedEnvelopes_agreesWithTheArrayDecoder() {
    SplittableRandom random = new SplittableRandom(7);
    int decoded = 0;
    for (int round = 0; round < 30_000; round++) {
      byte[] key = random.nextInt(4) == 0 ? new byte[0] : KEY;
      byte[] bytes = Envelope.encode(3, 1L, key, new byte[random.nextInt(200)]);
      for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
        // mostly the header, lengths and key, where the parsing is
        int at = random.nextInt(Math.min(bytes.length, random.nextBoolean() ? 22 : bytes.length));
        bytes[at] = (byte) random.nextInt(256);
      }
      if (random.nextInt(8) == 0) {
        bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 3));
      }
      byte[] expected;
      try {
        Envelope reference = Envelope.decode(bytes);
        expected = reference.keyEquals(key) ? reference.value() : null;
      } catch (CorruptEntryException e) {
        expected = null;
      }
      try {
        Envelope.Value value = Envelope.decodeValue(inBuffer(bytes, 3, 2, round % 2 == 0), 3, bytes.length, key);
        assertArrayEquals(expected, value.value(), "round " + round);
        decoded++;
      } catch (CorruptEntryException e) {
        assertEquals(null, expected, "round " + round + ": refused what the array decoder accepts: " + e.getMessage());
      }
    }
    assertTrue(decoded > 1000, "many mutations (in the value or expiry) still decode: " + decoded);
  }

  @Test
  void decodeValue_keysLongerThanTheScratchCopy_checkedInFull() throws Exception {
    for (int length : new int[] {250, 490, 600, 5_000}) {
      byte[] key = new byte[length];
      java.util.Arrays.fill(key, (byte) 'k');
      byte[] value = "v".repeat(length % 97).getBytes(UTF_8);
      byte[] envelope = Envelope.encode(3, 9L, key, value);
      for (boolean direct : new boolean[] {false, true}) {
        ByteBuf buffer = inBuffer(envelope, 5, 5, direct);
        assertArrayEquals(value, Envelope.decodeValue(buffer, 5, envelope.length, key).value(), length + " byte key");
        byte[] other = key.clone();
        other[length - 1] = 'x'; // differs in the very last byte only
        assertThrows(CorruptEntryException.class, () -> Envelope.decodeValue(buffer, 5, envelope.length, other),
            length + " byte key, last byte differs");
        buffer.release();
      }
    }
  }
}
