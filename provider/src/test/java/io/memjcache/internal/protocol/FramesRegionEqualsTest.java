package io.memjcache.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Frames#regionEquals} and {@link Frames#encodeKeyOnly}: key checks and key writes without per-byte access. */
class FramesRegionEqualsTest {

  @Test
  void regionEquals_everyLengthAndEveryDifferingByte_agreesWithAByteLoop() {
    SplittableRandom random = new SplittableRandom(11);
    for (int length : new int[] {0, 1, 7, 8, 9, 250, 511, 512, 513, 2_000}) {
      byte[] bytes = new byte[length];
      random.nextBytes(bytes);
      for (boolean direct : new boolean[] {false, true}) {
        ByteBuf buf = direct ? Unpooled.directBuffer() : Unpooled.buffer();
        buf.writeZero(3).writeBytes(bytes).writeZero(3);
        byte[] expected = new byte[length + 2];
        System.arraycopy(bytes, 0, expected, 1, length);
        assertTrue(Frames.regionEquals(buf, 3, expected, 1, length), length + " bytes");
        for (int at = 0; at < length; at += Math.max(1, length / 17)) {
          expected[1 + at] ^= 0x40;
          assertFalse(Frames.regionEquals(buf, 3, expected, 1, length), length + " bytes, byte " + at + " differs");
          expected[1 + at] ^= 0x40;
        }
        assertEquals(0, buf.readerIndex(), "absolute reads only");
        buf.release();
      }
    }
  }

  @Test
  void encodeKeyOnly_prefixAndKey_sameBytesAsTheJoinedKey() {
    byte[] prefix = Bytes.ascii("mj:orders:1f:");
    byte[] key = Bytes.ascii("customer-4711");
    ByteBuf joined = Unpooled.buffer();
    Frames.encode(Request.keyOnly(Opcode.GETKQ, Bytes.concat(prefix, key)), 0x01020304, joined);
    ByteBuf split = Unpooled.buffer();
    Frames.encodeKeyOnly(Opcode.GETKQ, prefix, key, 0x01020304, split);
    assertEquals(joined, split);
  }
}
