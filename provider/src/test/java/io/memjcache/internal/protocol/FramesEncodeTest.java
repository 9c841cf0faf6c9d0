package io.memjcache.internal.protocol;

import static io.memjcache.internal.protocol.Bytes.ascii;
import static io.memjcache.internal.protocol.Bytes.concat;
import static io.memjcache.internal.protocol.Bytes.encode;
import static io.memjcache.internal.protocol.Bytes.hex;
import static io.memjcache.internal.protocol.Bytes.toHex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Request encoding, byte for byte. The expected frames are written by hand from the binary protocol
 * description (memcached wiki, "BinaryProtocolRevamped"); where the spec has an example, the bytes
 * are the spec's example, so a mistake in the encoder cannot be mirrored by a mistake in the test.
 */
class FramesEncodeTest {

  private static void assertFrame(String expectedHex, Request request, int opaque) {
    byte[] expected = hex(expectedHex);
    byte[] actual = encode(request, opaque);
    assertEquals(toHex(expected), toHex(actual), () -> "encoding of " + request);
    assertEquals(expected.length, request.frameLength(), "frameLength() must match the bytes written");
  }

  @Test
  void encode_getFromSpecExample_matchesSpecBytes() {
    assertFrame("""
        80 00 00 05 | 00 00 00 00 | 00 00 00 05 | 00 00 00 00   // magic, GET, key 5; body 5; opaque 0
        00 00 00 00   00 00 00 00                               // cas
        48 65 6c 6c 6f                                          // "Hello"
        """, Request.keyOnly(Opcode.GET, ascii("Hello")), 0);
  }

  @Test
  void encode_addFromSpecExample_matchesSpecBytes() {
    // add "Hello" = "World", flags 0xdeadbeef, expiry two hours (0x1c20)
    assertFrame("""
        80 02 00 05 | 08 00 00 00 | 00 00 00 12 | 00 00 00 00
        00 00 00 00   00 00 00 00
        de ad be ef | 00 00 1c 20                               // extras: flags, expiry
        48 65 6c 6c 6f                                          // key
        57 6f 72 6c 64                                          // value
        """, Request.store(Opcode.ADD, ascii("Hello"), ascii("World"), 0xdeadbeef, 0x1c20, 0L), 0);
  }

  @Test
  void encode_deleteFromSpecExample_matchesSpecBytes() {
    assertFrame("""
        80 04 00 05 | 00 00 00 00 | 00 00 00 05 | 00 00 00 00
        00 00 00 00   00 00 00 00
        48 65 6c 6c 6f
        """, Request.delete(Opcode.DELETE, ascii("Hello"), 0L), 0);
  }

  @Test
  void encode_incrementFromSpecExample_matchesSpecBytes() {
    // incr "counter", delta 1, initial 0, expiry two hours
    assertFrame("""
        80 05 00 07 | 14 00 00 00 | 00 00 00 1b | 00 00 00 00
        00 00 00 00   00 00 00 00
        00 00 00 00   00 00 00 01                               // delta
        00 00 00 00   00 00 00 00                               // initial
        00 00 1c 20                                             // expiration
        63 6f 75 6e 74 65 72                                    // "counter"
        """, Request.counter(Opcode.INCREMENT, ascii("counter"), 1L, 0L, 0x1c20), 0);
  }

  @Test
  void encode_appendFromSpecExample_matchesSpecBytes() {
    assertFrame("""
        80 0e 00 05 | 00 00 00 00 | 00 00 00 06 | 00 00 00 00
        00 00 00 00   00 00 00 00
        48 65 6c 6c 6f | 21
        """, Request.concat(Opcode.APPEND, ascii("Hello"), ascii("!"), 0L), 0);
  }

  @Test
  void encode_prepend_usesOpcode0x0fAndNoExtras() {
    assertFrame("""
        80 0f 00 01 | 00 00 00 00 | 00 00 00 03 | 00 00 00 09
        00 00 00 00   00 00 00 00
        6b | 61 62
        """, Request.concat(Opcode.PREPEND, ascii("k"), ascii("ab"), 0L), 9);
  }

  @Test
  void encode_noop_isBareHeader() {
    assertFrame("""
        80 0a 00 00 | 00 00 00 00 | 00 00 00 00 | 00 00 00 00
        00 00 00 00   00 00 00 00
        """, Request.bare(Opcode.NOOP), 0);
  }

  @Test
  void encode_version_isBareHeader() {
    assertFrame("""
        80 0b 00 00 | 00 00 00 00 | 00 00 00 00 | 00 00 00 00
        00 00 00 00   00 00 00 00
        """, Request.bare(Opcode.VERSION), 0);
  }

  @Test
  void encode_statWithoutGroup_isBareHeader() {
    assertFrame("""
        80 10 00 00 | 00 00 00 00 | 00 00 00 00 | 00 00 00 00
        00 00 00 00   00 00 00 00
        """, Request.stat(null), 0);
  }

  @Test
  void encode_statWithGroup_sendsGroupAsKey() {
    assertFrame("""
        80 10 00 08 | 00 00 00 00 | 00 00 00 08 | 00 00 00 03
        00 00 00 00   00 00 00 00
        73 65 74 74 69 6e 67 73                                 // "settings"
        """, Request.stat(ascii("settings")), 3);
  }

  @Test
  void encode_touch_sendsExpirationAsFourByteExtras() {
    assertFrame("""
        80 1c 00 05 | 04 00 00 00 | 00 00 00 09 | 00 00 00 00
        00 00 00 00   00 00 00 00
        00 00 1c 20
        48 65 6c 6c 6f
        """, Request.touch(Opcode.TOUCH, ascii("Hello"), 0x1c20), 0);
  }

  @Test
  void encode_gatAndGatq_useOpcodes0x1dAnd0x1e() {
    assertFrame("""
        80 1d 00 01 | 04 00 00 00 | 00 00 00 05 | 00 00 00 01
        00 00 00 00   00 00 00 00
        00 00 00 3c | 6b
        """, Request.touch(Opcode.GAT, ascii("k"), 60), 1);
    assertFrame("""
        80 1e 00 01 | 04 00 00 00 | 00 00 00 05 | 00 00 00 02
        00 00 00 00   00 00 00 00
        00 00 00 3c | 6b
        """, Request.touch(Opcode.GATQ, ascii("k"), 60), 2);
  }

  @Test
  void encode_setWithCasAndOpaque_placesBothInHeader() {
    assertFrame("""
        80 01 00 01 | 08 00 00 00 | 00 00 00 0a | 11 22 33 44   // opaque 0x11223344
        01 02 03 04   05 06 07 08                               // cas
        00 00 00 01 | 00 00 00 00                               // flags 1, exptime 0
        6b | 76
        """, Request.store(Opcode.SET, ascii("k"), ascii("v"), 1, 0, 0x0102030405060708L), 0x11223344);
  }

  @Test
  void encode_replaceWithNegativeFlagsAndEmptyValue_writesUnsignedFieldsAndNoValue() {
    assertFrame("""
        80 03 00 01 | 08 00 00 00 | 00 00 00 09 | 80 00 00 00
        ff ff ff ff   ff ff ff ff                               // cas -1 = all ones
        ff ff ff ff | 7f ff ff ff                               // flags 0xffffffff, exptime max
        6b
        """, Request.store(Opcode.REPLACE, ascii("k"), new byte[0], -1, Integer.MAX_VALUE, -1L), Integer.MIN_VALUE);
  }

  @Test
  void encode_deleteWithCas_placesCasInHeader() {
    assertFrame("""
        80 04 00 01 | 00 00 00 00 | 00 00 00 01 | ff ff ff ff
        fe dc ba 98   76 54 32 10
        6b
        """, Request.delete(Opcode.DELETE, ascii("k"), 0xfedcba9876543210L), -1);
  }

  @Test
  void encode_decrementWithoutAutoCreate_writesAllOnesExpiration() {
    assertFrame("""
        80 06 00 01 | 14 00 00 00 | 00 00 00 15 | 00 00 00 07
        00 00 00 00   00 00 00 00
        01 02 03 04   05 06 07 08                               // delta
        11 22 33 44   55 66 77 88                               // initial
        ff ff ff ff                                             // 0xffffffff: do not create
        63
        """, Request.counter(Opcode.DECREMENT, ascii("c"), 0x0102030405060708L, 0x1122334455667788L, 0xffffffff), 7);
  }

  @Test
  void encode_saslAuth_sendsMechanismAsKeyAndMessageAsValue() {
    assertFrame("""
        80 21 00 05 | 00 00 00 00 | 00 00 00 09 | 00 00 00 00
        00 00 00 00   00 00 00 00
        50 4c 41 49 4e                                          // "PLAIN"
        00 75 00 70                                             // "\\0u\\0p"
        """, Request.sasl(Opcode.SASL_AUTH, ascii("PLAIN"), hex("00 75 00 70")), 0);
  }

  @Test
  void encode_saslStepWithoutData_sendsOnlyMechanism() {
    assertFrame("""
        80 22 00 05 | 00 00 00 00 | 00 00 00 05 | 00 00 00 00
        00 00 00 00   00 00 00 00
        50 4c 41 49 4e
        """, Request.sasl(Opcode.SASL_STEP, ascii("PLAIN"), null), 0);
  }

  @Test
  void encode_saslListMechs_isBareHeader() {
    assertFrame("""
        80 20 00 00 | 00 00 00 00 | 00 00 00 00 | 00 00 00 00
        00 00 00 00   00 00 00 00
        """, Request.bare(Opcode.SASL_LIST_MECHS), 0);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "GETQ, 09", "GETK, 0c", "GETKQ, 0d", "DELETEQ, 14"
  })
  void encode_keyOnlyQuietAndKeyedGets_useSpecOpcode(String name, String opcodeHex) {
    byte opcode = (byte) Integer.parseInt(opcodeHex, 16);
    assertFrame("""
        80 %s 00 02 | 00 00 00 00 | 00 00 00 02 | 00 00 00 05
        00 00 00 00   00 00 00 00
        6b 31
        """.formatted(opcodeHex), Request.keyOnly(opcode, ascii("k1")), 5);
    assertEquals(name, Opcode.name(opcode));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"SETQ, 11", "ADDQ, 12", "REPLACEQ, 13"})
  void encode_quietStores_useSpecOpcodeAndSameLayoutAsLoudForm(String name, String opcodeHex) {
    byte opcode = (byte) Integer.parseInt(opcodeHex, 16);
    assertFrame("""
        80 %s 00 01 | 08 00 00 00 | 00 00 00 0b | 00 00 00 00
        00 00 00 00   00 00 00 00
        00 00 00 02 | 00 00 00 03
        6b | 76 77
        """.formatted(opcodeHex), Request.store(opcode, ascii("k"), ascii("vw"), 2, 3, 0L), 0);
    assertEquals(name, Opcode.name(opcode));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"APPENDQ, 19", "PREPENDQ, 1a"})
  void encode_quietConcat_useSpecOpcode(String name, String opcodeHex) {
    byte opcode = (byte) Integer.parseInt(opcodeHex, 16);
    assertFrame("""
        80 %s 00 01 | 00 00 00 00 | 00 00 00 02 | 00 00 00 00
        00 00 00 00   00 00 00 00
        6b | 76
        """.formatted(opcodeHex), Request.concat(opcode, ascii("k"), ascii("v"), 0L), 0);
    assertEquals(name, Opcode.name(opcode));
  }

  @Test
  void encode_binaryKey_isSentVerbatim() {
    assertFrame("""
        80 00 00 04 | 00 00 00 00 | 00 00 00 04 | 00 00 00 00
        00 00 00 00   00 00 00 00
        00 ff 0a 20
        """, Request.keyOnly(Opcode.GET, hex("00 ff 0a 20")), 0);
  }

  @Test
  void encode_maxKeyAndLargeValue_writesLengthsBeyondOneByte() {
    byte[] key = new byte[Frames.MAX_KEY_LENGTH];
    Arrays.fill(key, (byte) 'k');
    byte[] value = new byte[70_000];
    Arrays.fill(value, (byte) 0xa5);
    byte[] frame = encode(Request.store(Opcode.SET, key, value, 0, 0, 0L), 0);
    // key length 250 = 0x00fa; body 8 + 250 + 70000 = 70258 = 0x00011272
    assertEquals(toHex(hex("80 01 00 fa 08 00 00 00 00 01 12 72")), toHex(Arrays.copyOf(frame, 12)));
    assertEquals(24 + 8 + 250 + 70_000, frame.length);
    assertEquals(toHex(key), toHex(Arrays.copyOfRange(frame, 32, 32 + 250)));
    assertEquals(toHex(value), toHex(Arrays.copyOfRange(frame, 282, frame.length)));
  }

  @Test
  void encode_twiceIntoOneBuffer_appendsSecondFrameAfterFirst() {
    ByteBuf out = Unpooled.buffer(4); // too small on purpose: encode must grow it
    try {
      Frames.encode(Request.keyOnly(Opcode.GETKQ, ascii("a")), 1, out);
      Frames.encode(Request.bare(Opcode.NOOP), 2, out);
      byte[] expected = concat(
          hex("80 0d 00 01 00 00 00 00 00 00 00 01 00 00 00 01 00 00 00 00 00 00 00 00 61"),
          hex("80 0a 00 00 00 00 00 00 00 00 00 00 00 00 00 02 00 00 00 00 00 00 00 00"));
      assertEquals(toHex(expected), toHex(ByteBufUtil.getBytes(out)));
    } finally {
      out.release();
    }
  }

  @Test
  void requestOf_allFieldsGiven_encodesThemInSpecOrder() {
    // extras, then key, then value, whatever the opcode
    assertFrame("""
        80 42 00 02 | 03 00 00 00 | 00 00 00 07 | 00 00 00 00
        00 00 00 00   00 00 00 63
        e1 e2 e3 | 6b 6b | 76 76
        """, Request.of((byte) 0x42, ascii("kk"), hex("e1 e2 e3"), ascii("vv"), 0x63L), 0);
  }

  @Test
  void factories_nullKeyOrValue_areRejected() {
    assertThrows(NullPointerException.class, () -> Request.keyOnly(Opcode.GET, null));
    assertThrows(NullPointerException.class, () -> Request.store(Opcode.SET, ascii("k"), null, 0, 0, 0L));
    assertThrows(NullPointerException.class, () -> Request.concat(Opcode.APPEND, null, ascii("v"), 0L));
    assertThrows(NullPointerException.class, () -> Request.sasl(Opcode.SASL_AUTH, null, new byte[0]));
  }
}
