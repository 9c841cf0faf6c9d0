package io.memjcache.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpcodeTest {

  @ParameterizedTest(name = "{1} = 0x{0}")
  @CsvSource({
      "00, GET", "01, SET", "02, ADD", "03, REPLACE", "04, DELETE", "05, INCREMENT", "06, DECREMENT",
      "07, QUIT", "09, GETQ", "0a, NOOP", "0b, VERSION", "0c, GETK", "0d, GETKQ", "0e, APPEND",
      "0f, PREPEND", "10, STAT", "11, SETQ", "12, ADDQ", "13, REPLACEQ", "14, DELETEQ", "15, INCREMENTQ",
      "16, DECREMENTQ", "19, APPENDQ", "1a, PREPENDQ", "1c, TOUCH", "1d, GAT", "1e, GATQ",
      "20, SASL_LIST_MECHS", "21, SASL_AUTH", "22, SASL_STEP",
  })
  void name_specOpcode_isSpecName(String hex, String name) {
    assertEquals(name, Opcode.name((byte) Integer.parseInt(hex, 16)));
  }

  @Test
  void name_unknownOpcode_isHex() {
    assertEquals("0x99", Opcode.name((byte) 0x99));
    assertEquals("0xff", Opcode.name((byte) 0xff));
  }

  @Test
  void isQuiet_everyOpcode_trueExactlyForQuietForms() {
    Set<Byte> quiet = Set.of(Opcode.GETQ, Opcode.GETKQ, Opcode.SETQ, Opcode.ADDQ, Opcode.REPLACEQ, Opcode.DELETEQ,
        Opcode.INCREMENTQ, Opcode.DECREMENTQ, Opcode.APPENDQ, Opcode.PREPENDQ, Opcode.GATQ);
    for (int i = 0; i < 256; i++) {
      byte opcode = (byte) i;
      assertEquals(quiet.contains(opcode), Opcode.isQuiet(opcode), Opcode.name(opcode));
    }
  }

  @Test
  void isQuietGet_quietReadsOnly() {
    assertTrue(Opcode.isQuietGet(Opcode.GETQ));
    assertTrue(Opcode.isQuietGet(Opcode.GETKQ));
    assertTrue(Opcode.isQuietGet(Opcode.GATQ));
    assertFalse(Opcode.isQuietGet(Opcode.GET));
    assertFalse(Opcode.isQuietGet(Opcode.SETQ));
    assertFalse(Opcode.isQuietGet(Opcode.DELETEQ));
  }
}
