package io.memjcache.internal.fault;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

/**
 * Values that carry their own key and a checksum, so a test can tell a right value from another
 * key's value, a truncated one or a corrupted one. Layout: key length (2 bytes), key, version
 * (8 bytes), filler derived from key and version, CRC-32 of everything before it (4 bytes).
 */
final class CheckedValues {
  private CheckedValues() {}

  static byte[] key(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** A value of at least {@code size} bytes for {@code key}. */
  static byte[] value(byte[] key, long version, int size) {
    int length = Math.max(size, 2 + key.length + 8 + 4);
    ByteBuffer out = ByteBuffer.allocate(length);
    out.putShort((short) key.length).put(key).putLong(version);
    SplittableRandom filler = new SplittableRandom(Arrays.hashCode(key) * 31L + version);
    while (out.remaining() > 4) {
      out.put((byte) filler.nextInt(256));
    }
    CRC32 crc = new CRC32();
    crc.update(out.array(), 0, length - 4);
    out.putInt((int) crc.getValue());
    return out.array();
  }

  /** Whether {@code value} is intact and was written for {@code key}. */
  static boolean isValueOf(byte[] key, byte[] value) {
    if (value == null || value.length < 2 + 8 + 4) {
      return false;
    }
    ByteBuffer in = ByteBuffer.wrap(value);
    int keyLength = in.getShort() & 0xffff;
    if (keyLength != key.length || value.length < 2 + keyLength + 8 + 4) {
      return false;
    }
    byte[] stored = new byte[keyLength];
    in.get(stored);
    if (!Arrays.equals(stored, key)) {
      return false;
    }
    CRC32 crc = new CRC32();
    crc.update(value, 0, value.length - 4);
    return (int) crc.getValue() == ByteBuffer.wrap(value, value.length - 4, 4).getInt();
  }

  /** The version a value was written with (only meaningful when {@link #isValueOf} holds). */
  static long version(byte[] value) {
    ByteBuffer in = ByteBuffer.wrap(value);
    int keyLength = in.getShort() & 0xffff;
    return in.getLong(2 + keyLength);
  }
}
