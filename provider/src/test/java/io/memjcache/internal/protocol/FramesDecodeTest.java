package io.memjcache.internal.protocol;

import static io.memjcache.internal.protocol.Bytes.ascii;
import static io.memjcache.internal.protocol.Bytes.concat;
import static io.memjcache.internal.protocol.Bytes.hex;
import static io.memjcache.internal.protocol.Bytes.toHex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Response decoding: every opcode family, fragmentation at every byte offset, several frames per
 * buffer, and the header checks that protect the client from a broken or hostile peer.
 */
class FramesDecodeTest {
  private static final int LIMIT = 1024 * 1024;

  // ------------------------------------------------------------------ sample frames (hand-written)

  /** GET hit from the spec: flags 0xdeadbeef, value "World", CAS 1. */
  static final byte[] GET_HIT = hex("""
      81 00 00 00 | 04 00 00 00 | 00 00 00 09 | 00 00 00 00
      00 00 00 00   00 00 00 01
      de ad be ef | 57 6f 72 6c 64
      """);

  /** GETK hit from the spec (opcode 0x0c here): the key "Hello" comes back after the extras. */
  static final byte[] GETK_HIT = hex("""
      81 0c 00 05 | 04 00 00 00 | 00 00 00 0e | 00 00 00 11
      00 00 00 00   00 00 00 01
      de ad be ef | 48 65 6c 6c 6f | 57 6f 72 6c 64
      """);

  /** GET miss from the spec: status 1 with the text "Not found". */
  static final byte[] GET_MISS = hex("""
      81 00 00 00 | 00 00 00 01 | 00 00 00 09 | 00 00 00 00
      00 00 00 00   00 00 00 00
      4e 6f 74 20 66 6f 75 6e 64
      """);

  /** ADD success from the spec: empty body, CAS 1. */
  static final byte[] STORE_OK = hex("""
      81 02 00 00 | 00 00 00 00 | 00 00 00 00 | 00 00 00 00
      00 00 00 00   00 00 00 01
      """);

  /** INCREMENT from the spec: the counter's initial value 0, CAS 5. */
  static final byte[] COUNTER_ZERO = hex("""
      81 05 00 00 | 00 00 00 00 | 00 00 00 08 | 00 00 00 00
      00 00 00 00   00 00 00 05
      00 00 00 00   00 00 00 00
      """);

  /** DECREMENT answering 2^64 - 2: counters are unsigned 64-bit. */
  static final byte[] COUNTER_HUGE = hex("""
      81 06 00 00 | 00 00 00 00 | 00 00 00 08 | 00 00 00 02
      00 00 00 00   00 00 00 06
      ff ff ff ff   ff ff ff fe
      """);

  /** INCREMENT on a non-numeric value: status 6 and a message. */
  static final byte[] COUNTER_NON_NUMERIC = hex("""
      81 05 00 00 | 00 00 00 06 | 00 00 00 0b | 00 00 00 03
      00 00 00 00   00 00 00 00
      6e 6f 6e 2d 6e 75 6d 65 72 69 63                       // "non-numeric"
      """);

  /** VERSION from the spec: "1.3.1". */
  static final byte[] VERSION = hex("""
      81 0b 00 00 | 00 00 00 00 | 00 00 00 05 | 00 00 00 00
      00 00 00 00   00 00 00 00
      31 2e 33 2e 31
      """);

  /** STAT: "pid" = "3078" (spec example), "uptime" = "42", then the empty terminator. */
  static final byte[] STAT_PID = hex("""
      81 10 00 03 | 00 00 00 00 | 00 00 00 07 | 00 00 00 2a
      00 00 00 00   00 00 00 00
      70 69 64 | 33 30 37 38
      """);
  static final byte[] STAT_UPTIME = hex("""
      81 10 00 06 | 00 00 00 00 | 00 00 00 08 | 00 00 00 2a
      00 00 00 00   00 00 00 00
      75 70 74 69 6d 65 | 34 32
      """);
  static final byte[] STAT_END = hex("""
      81 10 00 00 | 00 00 00 00 | 00 00 00 00 | 00 00 00 2a
      00 00 00 00   00 00 00 00
      """);

  /** NOOP answer with a high opaque (negative as a Java int). */
  static final byte[] NOOP = hex("""
      81 0a 00 00 | 00 00 00 00 | 00 00 00 00 | ff ff ff fe
      00 00 00 00   00 00 00 00
      """);

  /** An answer with a status code no spec defines and a full-width CAS. */
  static final byte[] UNKNOWN_STATUS = hex("""
      81 01 00 00 | 00 00 12 34 | 00 00 00 02 | 00 00 00 04
      ff ff ff ff   ff ff ff ff
      3f 3f
      """);

  static Stream<Arguments> frames() {
    return Stream.of(
        Arguments.of("GET hit", GET_HIT),
        Arguments.of("GETK hit", GETK_HIT),
        Arguments.of("GET miss", GET_MISS),
        Arguments.of("store ok", STORE_OK),
        Arguments.of("counter 0", COUNTER_ZERO),
        Arguments.of("counter 2^64-2", COUNTER_HUGE),
        Arguments.of("counter non-numeric", COUNTER_NON_NUMERIC),
        Arguments.of("version", VERSION),
        Arguments.of("stat pid", STAT_PID),
        Arguments.of("stat uptime", STAT_UPTIME),
        Arguments.of("stat end", STAT_END),
        Arguments.of("noop", NOOP),
        Arguments.of("unknown status", UNKNOWN_STATUS));
  }

  private static Response decodeAll(byte[] frame) {
    ByteBuf in = Unpooled.wrappedBuffer(frame);
    Response response = Frames.decode(in, LIMIT);
    assertNotNull(response, "a complete frame must decode");
    assertEquals(0, in.readableBytes(), "a decoded frame must be consumed entirely");
    return response;
  }

  /** Every field of a response, for comparing two decodings. */
  private static String describe(Response r) {
    return String.format("op=%02x status=%04x opaque=%08x cas=%016x extras=%s key=%s value=%s",
        r.opcode() & 0xff, r.statusCode(), r.opaque(), r.cas(), toHex(r.extras()), toHex(r.key()), toHex(r.value()));
  }

  // ------------------------------------------------------------------ opcode families

  @Test
  void decode_getHit_readsFlagsValueAndCas() {
    Response r = decodeAll(GET_HIT);
    assertEquals(Opcode.GET, r.opcode());
    assertEquals(Status.NO_ERROR, r.status());
    assertEquals(0xdeadbeef, r.flags());
    assertEquals(1L, r.cas());
    assertEquals(0, r.key().length);
    assertEquals("World", r.valueAsString());
    assertEquals(4, r.extras().length);
  }

  @Test
  void decode_getkHit_separatesExtrasKeyAndValue() {
    Response r = decodeAll(GETK_HIT);
    assertEquals(Opcode.GETK, r.opcode());
    assertEquals(0x11, r.opaque());
    assertEquals(0xdeadbeef, r.flags());
    assertEquals("Hello", new String(r.key(), java.nio.charset.StandardCharsets.US_ASCII));
    assertEquals("World", r.valueAsString());
  }

  @Test
  void decode_getMiss_hasNotFoundStatusAndMessage() {
    Response r = decodeAll(GET_MISS);
    assertEquals(Status.KEY_NOT_FOUND, r.status());
    assertEquals(1, r.statusCode());
    assertEquals("Not found", r.valueAsString());
    assertEquals(0, r.flags(), "a response without extras has flags 0");
  }

  @Test
  void decode_storeAnswer_carriesCasAndEmptyBody() {
    Response r = decodeAll(STORE_OK);
    assertEquals(Opcode.ADD, r.opcode());
    assertEquals(Status.NO_ERROR, r.status());
    assertEquals(1L, r.cas());
    assertEquals(0, r.extras().length + r.key().length + r.value().length);
  }

  @Test
  void decode_counterAnswers_readUnsigned64BitValue() {
    Response zero = decodeAll(COUNTER_ZERO);
    assertEquals(0L, zero.counterValue());
    assertEquals(5L, zero.cas());

    Response huge = decodeAll(COUNTER_HUGE);
    assertEquals(Opcode.DECREMENT, huge.opcode());
    assertEquals("18446744073709551614", Long.toUnsignedString(huge.counterValue()));
  }

  @Test
  void decode_counterNonNumeric_hasStatus6AndMessage() {
    Response r = decodeAll(COUNTER_NON_NUMERIC);
    assertEquals(Status.NON_NUMERIC_VALUE, r.status());
    assertEquals("non-numeric", r.valueAsString());
  }

  @Test
  void counterValue_bodyNotEightBytes_throwsProtocolException() {
    Response r = decodeAll(hex("""
        81 05 00 00 | 00 00 00 00 | 00 00 00 07 | 00 00 00 00
        00 00 00 00   00 00 00 00
        00 00 00 00   00 00 01
        """));
    ProtocolException e = assertThrows(ProtocolException.class, r::counterValue);
    assertTrue(e.getMessage().contains("7 bytes"), e.getMessage());
  }

  @Test
  void decode_version_readsVersionText() {
    assertEquals("1.3.1", decodeAll(VERSION).valueAsString());
  }

  @Test
  void decode_statSequenceInOneBuffer_yieldsEachStatThenEmptyTerminator() {
    ByteBuf in = Unpooled.wrappedBuffer(concat(STAT_PID, STAT_UPTIME, STAT_END));
    Response pid = Frames.decode(in, LIMIT);
    Response uptime = Frames.decode(in, LIMIT);
    Response end = Frames.decode(in, LIMIT);
    assertNull(Frames.decode(in, LIMIT), "nothing left after the terminator");

    assertEquals("pid", new String(pid.key(), java.nio.charset.StandardCharsets.US_ASCII));
    assertEquals("3078", pid.valueAsString());
    assertEquals("uptime", new String(uptime.key(), java.nio.charset.StandardCharsets.US_ASCII));
    assertEquals("42", uptime.valueAsString());
    assertEquals(0, end.key().length);
    assertEquals(0, end.value().length);
    for (Response r : List.of(pid, uptime, end)) {
      assertEquals(Opcode.STAT, r.opcode());
      assertEquals(0x2a, r.opaque(), "every STAT answer echoes the request's opaque");
    }
  }

  @Test
  void decode_highOpaqueAndUnknownStatus_arePreservedRaw() {
    assertEquals(0xfffffffe, decodeAll(NOOP).opaque());

    Response r = decodeAll(UNKNOWN_STATUS);
    assertEquals(Status.UNKNOWN, r.status());
    assertEquals(0x1234, r.statusCode());
    assertEquals(-1L, r.cas());
    assertEquals("??", r.valueAsString());
  }

  @Test
  void flags_highBitSet_isNegativeIntWithSameBits() {
    Response r = decodeAll(hex("""
        81 00 00 00 | 04 00 00 00 | 00 00 00 04 | 00 00 00 00
        00 00 00 00   00 00 00 00
        80 00 00 01
        """));
    assertEquals(0x80000001, r.flags());
    assertEquals(0, r.value().length, "an empty value is allowed");
  }

  @Test
  void response_toString_namesOpcodeAndSizesButNotValue() {
    String text = decodeAll(GET_HIT).toString();
    assertTrue(text.contains("GET"), text);
    assertTrue(!text.contains("World"), "values must not appear in logs: " + text);
  }

  // ------------------------------------------------------------------ fragmentation

  @ParameterizedTest(name = "{0}")
  @MethodSource("frames")
  void decode_frameSplitAtEveryOffset_waitsWithoutConsumingThenDecodesIdentically(String name, byte[] frame) {
    String whole = describe(decodeAll(frame));
    for (int cut = 0; cut < frame.length; cut++) {
      ByteBuf in = Unpooled.buffer(frame.length);
      try {
        in.writeBytes(frame, 0, cut);
        assertNull(Frames.decode(in, LIMIT), name + ": incomplete at " + cut + " bytes must give null");
        assertEquals(0, in.readerIndex(), name + ": nothing may be consumed at " + cut + " bytes");
        assertEquals(cut, in.readableBytes());

        in.writeBytes(frame, cut, frame.length - cut);
        Response r = Frames.decode(in, LIMIT);
        assertNotNull(r, name + ": complete after the rest of a cut at " + cut);
        assertEquals(whole, describe(r), name + ": cut at " + cut);
        assertEquals(0, in.readableBytes());
      } finally {
        in.release();
      }
    }
  }

  @Test
  void decode_everyFrameFedOneByteAtATime_yieldsAllFramesInOrder() {
    List<byte[]> all = frames().map(a -> (byte[]) a.get()[1]).toList();
    byte[] stream = concat(all.toArray(new byte[0][]));
    List<String> expected = new ArrayList<>();
    for (byte[] frame : all) {
      expected.add(describe(decodeAll(frame)));
    }

    ByteBuf in = Unpooled.buffer();
    List<String> decoded = new ArrayList<>();
    try {
      for (byte b : stream) {
        in.writeByte(b);
        Response r;
        while ((r = Frames.decode(in, LIMIT)) != null) {
          decoded.add(describe(r));
        }
        in.discardReadBytes();
      }
      assertEquals(expected, decoded);
      assertEquals(0, in.readableBytes());
    } finally {
      in.release();
    }
  }

  @Test
  void decode_severalFramesAndPartialTail_decodesCompleteOnesAndKeepsTail() {
    byte[] tail = java.util.Arrays.copyOf(GET_HIT, 30); // header plus 6 of 9 body bytes
    ByteBuf in = Unpooled.wrappedBuffer(concat(STORE_OK, GET_MISS, VERSION, tail));
    assertEquals(Opcode.ADD, Frames.decode(in, LIMIT).opcode());
    assertEquals(Status.KEY_NOT_FOUND, Frames.decode(in, LIMIT).status());
    assertEquals("1.3.1", Frames.decode(in, LIMIT).valueAsString());
    int before = in.readerIndex();
    assertNull(Frames.decode(in, LIMIT));
    assertEquals(before, in.readerIndex(), "the partial tail stays in the buffer");
    assertEquals(30, in.readableBytes());
  }

  @Test
  void decode_fewerThanHeaderBytes_returnsNull() {
    assertNull(Frames.decode(Unpooled.EMPTY_BUFFER, LIMIT));
    assertNull(Frames.decode(Unpooled.wrappedBuffer(hex("81 00 00")), LIMIT));
  }

  // ------------------------------------------------------------------ refusals

  @Test
  void decode_requestMagic_throwsBadMagic() {
    byte[] frame = GET_HIT.clone();
    frame[0] = (byte) 0x80;
    ProtocolException e = assertThrows(ProtocolException.class, () -> Frames.decode(Unpooled.wrappedBuffer(frame), LIMIT));
    assertTrue(e.getMessage().contains("magic 0x80"), e.getMessage());
  }

  @Test
  void decode_asciiText_throwsBadMagic() {
    byte[] text = ascii("SERVER_ERROR out of memory storing object\r\n");
    ProtocolException e = assertThrows(ProtocolException.class, () -> Frames.decode(Unpooled.wrappedBuffer(text), LIMIT));
    assertTrue(e.getMessage().contains("bad response magic 0x53"), e.getMessage());
  }

  @Test
  void decode_bodyOverLimitWithOnlyHeaderArrived_isRefusedBeforeBody() {
    // 24 header bytes announcing a 1025-byte body against a limit of 1024: refused at once
    byte[] header = hex("""
        81 00 00 00 | 04 00 00 00 | 00 00 04 01 | 00 00 00 00
        00 00 00 00   00 00 00 00
        """);
    ProtocolException e = assertThrows(ProtocolException.class,
        () -> Frames.decode(Unpooled.wrappedBuffer(header), 1024));
    assertTrue(e.getMessage().contains("1025") && e.getMessage().contains("1024"), e.getMessage());
  }

  @Test
  void decode_bodyLengthAllOnes_isRefusedAsHugeNotNegative() {
    byte[] header = hex("""
        81 00 00 00 | 00 00 00 00 | ff ff ff ff | 00 00 00 00
        00 00 00 00   00 00 00 00
        """);
    ProtocolException e = assertThrows(ProtocolException.class,
        () -> Frames.decode(Unpooled.wrappedBuffer(header), Integer.MAX_VALUE));
    assertTrue(e.getMessage().contains("4294967295"), e.getMessage());
  }

  @Test
  void decode_bodyExactlyAtLimit_isAccepted() {
    byte[] header = hex("""
        81 00 00 00 | 00 00 00 00 | 00 00 04 00 | 00 00 00 00
        00 00 00 00   00 00 00 00
        """);
    ByteBuf in = Unpooled.buffer();
    in.writeBytes(header);
    assertNull(Frames.decode(in, 1024), "header alone: wait for the body");
    in.writeZero(1024);
    Response r = Frames.decode(in, 1024);
    assertNotNull(r);
    assertEquals(1024, r.value().length);
    in.release();
  }

  @Test
  void decode_keyPlusExtrasLongerThanBody_isRefusedFromHeader() {
    // key 5 + extras 4 = 9 > body 8
    byte[] header = hex("""
        81 0c 00 05 | 04 00 00 00 | 00 00 00 08 | 00 00 00 00
        00 00 00 00   00 00 00 00
        """);
    ProtocolException e = assertThrows(ProtocolException.class,
        () -> Frames.decode(Unpooled.wrappedBuffer(header), LIMIT));
    assertTrue(e.getMessage().contains("(5)") && e.getMessage().contains("(4)") && e.getMessage().contains("(8)"),
        e.getMessage());
  }

  @Test
  void decode_keyAloneLongerThanBody_isRefused() {
    byte[] header = hex("""
        81 0c ff ff | 00 00 00 00 | 00 00 00 10 | 00 00 00 00
        00 00 00 00   00 00 00 00
        """);
    assertThrows(ProtocolException.class, () -> Frames.decode(Unpooled.wrappedBuffer(header), LIMIT));
  }

  @Test
  void decode_keyPlusExtrasEqualToBody_isAcceptedWithEmptyValue() {
    Response r = decodeAll(hex("""
        81 0c 00 01 | 04 00 00 00 | 00 00 00 05 | 00 00 00 00
        00 00 00 00   00 00 00 00
        00 00 00 07 | 6b
        """));
    assertEquals(7, r.flags());
    assertEquals(1, r.key().length);
    assertEquals(0, r.value().length);
  }
}
