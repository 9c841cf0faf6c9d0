package io.memjcache.internal.protocol;

import static io.memjcache.internal.protocol.Bytes.ascii;
import static io.memjcache.internal.protocol.Bytes.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** {@link Frames#decodeView}: responses that read the receive buffer in place, until released or detached. */
class ResponseViewTest {
  private static final int LIMIT = 1 << 20;

  /** A GETK hit: flags 0xdeadbeef, key "Hello", value "World", CAS 1. */
  private static final byte[] GETK_HIT = hex("""
      81 0c 00 05 | 04 00 00 00 | 00 00 00 0e | 00 00 00 07 | 00 00 00 00 00 00 00 01
      de ad be ef | 48 65 6c 6c 6f | 57 6f 72 6c 64
      """);

  @Test
  void decodeView_hit_readsFieldsInPlace() {
    ByteBuf in = Unpooled.wrappedBuffer(GETK_HIT);
    Response r = Frames.decodeView(in, LIMIT);

    assertEquals(0, in.readableBytes(), "the frame is consumed");
    assertEquals(Opcode.GETK, r.opcode());
    assertEquals(7, r.opaque());
    assertEquals(1L, r.cas());
    assertEquals(0xdeadbeef, r.flags());
    assertArrayEquals(ascii("Hello"), r.key());
    assertTrue(r.keyEquals(ascii("Hello")));
    assertFalse(r.keyEquals(ascii("Hellp")));
    assertFalse(r.keyEquals(ascii("Hell")));
    assertArrayEquals(ascii("World"), r.value());
    assertEquals(5, r.valueLength());
    assertSame(in, r.valueBuffer(), "a view reads the receive buffer itself");
    assertEquals(24 + 4 + 5, r.valueIndex());
    assertEquals('W', r.valueBuffer().getByte(r.valueIndex()));
  }

  @Test
  void value_calledTwice_givesArraysOfTheirOwn() {
    Response r = Frames.decodeView(Unpooled.wrappedBuffer(GETK_HIT), LIMIT);
    byte[] first = r.value();
    first[0] = 'X';
    assertArrayEquals(ascii("World"), r.value());
    assertNotSame(first, r.value());
  }

  @Test
  void release_thenRead_failsInsteadOfReadingReusedMemory() {
    ByteBuf in = Unpooled.wrappedBuffer(GETK_HIT.clone());
    Response r = Frames.decodeView(in, LIMIT);
    r.release();
    assertThrows(IllegalStateException.class, r::value);
    assertThrows(IllegalStateException.class, r::flags);
    assertThrows(IllegalStateException.class, () -> r.keyEquals(ascii("Hello")));
    assertEquals(7, r.opaque(), "the header fields stay readable");
    assertEquals(Status.NO_ERROR, r.status());
  }

  @Test
  void detach_thenBufferOverwrittenAndReleased_keepsTheBytes() {
    byte[] frame = GETK_HIT.clone();
    ByteBuf in = Unpooled.wrappedBuffer(frame);
    Response r = Frames.decodeView(in, LIMIT);
    assertSame(r, r.detach());
    java.util.Arrays.fill(frame, (byte) 0); // the receive buffer is reused
    in.release();
    r.release(); // no effect on a detached response

    assertArrayEquals(ascii("Hello"), r.key());
    assertArrayEquals(ascii("World"), r.value());
    assertEquals(0xdeadbeef, r.flags());
    assertEquals("World", r.valueAsString());
  }

  @Test
  void decode_isDetached_survivesTheBuffer() {
    byte[] frame = GETK_HIT.clone();
    Response r = Frames.decode(Unpooled.wrappedBuffer(frame), LIMIT);
    java.util.Arrays.fill(frame, (byte) 0);
    assertArrayEquals(ascii("World"), r.value());
    assertNotSame(frame, r.valueBuffer().array());
  }

  @Test
  void decodeView_secondFrameInSameBuffer_pointsAtItsOwnBody() {
    byte[] second = GETK_HIT.clone();
    second[15] = 8; // opaque 8
    second[second.length - 1] = 'D';
    ByteBuf in = Unpooled.wrappedBuffer(GETK_HIT, second);
    Response first = Frames.decodeView(in, LIMIT);
    Response next = Frames.decodeView(in, LIMIT);
    assertNull(Frames.decodeView(in, LIMIT));

    assertArrayEquals(ascii("World"), first.value());
    assertArrayEquals(ascii("WorlD"), next.value());
    assertEquals(GETK_HIT.length + 24 + 4 + 5, next.valueIndex());
  }

  @Test
  void counterValue_readsEightBytesInPlace() {
    byte[] frame = hex("""
        81 05 00 00 | 00 00 00 00 | 00 00 00 08 | 00 00 00 01 | 00 00 00 00 00 00 00 00
        ff ff ff ff ff ff ff fe
        """);
    assertEquals(-2L, Frames.decodeView(Unpooled.wrappedBuffer(frame), LIMIT).counterValue());
  }

  @Test
  void arrayConstructor_isDetached() {
    Response r = new Response(Opcode.GET, 0, 1, 2L, hex("00 00 00 2a"), new byte[0], ascii("v"));
    r.release();
    assertEquals(42, r.flags());
    assertArrayEquals(ascii("v"), r.value());
    assertEquals(0, r.keyLength());
  }
}
