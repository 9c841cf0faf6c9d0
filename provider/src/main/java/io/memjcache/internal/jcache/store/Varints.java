package io.memjcache.internal.jcache.store;

/**
 * Unsigned LEB128 varints for non-negative ints: seven bits a byte, low bits first, high bit set
 * on every byte but the last. Readers accept only the shortest encoding of a value that fits in
 * an int, so every length has exactly one encoding.
 */
final class Varints {
  /** The longest encoding of a non-negative int. */
  static final int MAX_LENGTH = 5;

  private Varints() {}

  static int size(int value) {
    if (value < 0) {
      throw new IllegalArgumentException("negative length " + value);
    }
    int size = 1;
    while ((value >>>= 7) != 0) {
      size++;
    }
    return size;
  }

  /** Writes {@code value} at {@code offset}; returns the offset after it. */
  static int write(int value, byte[] dst, int offset) {
    int v = value;
    while ((v & ~0x7F) != 0) {
      dst[offset++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    dst[offset++] = (byte) v;
    return offset;
  }

  /**
   * Reads a varint from {@code src[offset, limit)}. Returns {@code value << 8 | bytesRead}, or -1
   * if it is truncated, longer than needed, or larger than {@link Integer#MAX_VALUE}.
   */
  static long read(byte[] src, int offset, int limit) {
    long value = 0;
    for (int i = 0; i < MAX_LENGTH; i++) {
      if (offset + i >= limit) {
        return -1;
      }
      int b = src[offset + i] & 0xFF;
      value |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        if (i > 0 && b == 0) {
          return -1; // overlong: a trailing zero group
        }
        if (value > Integer.MAX_VALUE) {
          return -1;
        }
        return value << 8 | (i + 1);
      }
    }
    return -1;
  }
}
