package io.memjcache.internal.jcache.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class VarintsTest {

  @Test
  void write_boundaryValues_roundTripWithExpectedSize() {
    int[] values = {0, 1, 127, 128, 16383, 16384, 2_097_151, 2_097_152, 268_435_455, 268_435_456, Integer.MAX_VALUE};
    int[] sizes = {1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5};
    for (int i = 0; i < values.length; i++) {
      byte[] buffer = new byte[7];
      int end = Varints.write(values[i], buffer, 1);
      assertEquals(sizes[i], Varints.size(values[i]));
      assertEquals(1 + sizes[i], end);
      long read = Varints.read(buffer, 1, end);
      assertEquals(values[i], read >>> 8);
      assertEquals(sizes[i], read & 0xFF);
      assertEquals(-1, Varints.read(buffer, 1, end - 1), "truncated " + values[i]);
    }
  }

  @Test
  void read_overlongOrTooLarge_minusOne() {
    assertEquals(-1, Varints.read(new byte[] {(byte) 0x80, 0x00}, 0, 2));
    assertEquals(-1, Varints.read(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x08}, 0, 5));
    assertEquals(-1, Varints.read(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x81, 0}, 0, 6));
    assertEquals(-1, Varints.read(new byte[0], 0, 0));
  }

  @Test
  void size_negative_throws() {
    assertThrows(IllegalArgumentException.class, () -> Varints.size(-1));
  }
}
