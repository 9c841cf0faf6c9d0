package io.memjcache.internal.failover;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * Values that say which key and which write they belong to: key length (2 bytes), key, sequence
 * number (8 bytes), CRC-32 of what precedes it (4 bytes). A value read for another key, a corrupted
 * or truncated one, or one older than a write already acknowledged, can be told apart.
 */
final class CheckedValue {
  private CheckedValue() {}

  static byte[] of(byte[] key, long sequence) {
    ByteBuffer out = ByteBuffer.allocate(2 + key.length + 8 + 4);
    out.putShort((short) key.length).put(key).putLong(sequence);
    CRC32 crc = new CRC32();
    crc.update(out.array(), 0, out.position());
    out.putInt((int) crc.getValue());
    return out.array();
  }

  /** The sequence number if {@code value} is intact and belongs to {@code key}, else -1. */
  static long sequence(byte[] key, byte[] value) {
    if (value == null || value.length != 2 + key.length + 8 + 4) {
      return -1;
    }
    ByteBuffer in = ByteBuffer.wrap(value);
    if ((in.getShort() & 0xffff) != key.length
        || !Arrays.equals(value, 2, 2 + key.length, key, 0, key.length)) {
      return -1;
    }
    CRC32 crc = new CRC32();
    crc.update(value, 0, value.length - 4);
    if ((int) crc.getValue() != ByteBuffer.wrap(value, value.length - 4, 4).getInt()) {
      return -1;
    }
    return ByteBuffer.wrap(value, 2 + key.length, 8).getLong();
  }
}
