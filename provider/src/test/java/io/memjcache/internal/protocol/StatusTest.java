package io.memjcache.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StatusTest {

  /**
   * The response status table. The wiki's table lists 0x08/0x09 for authentication, but memcached
   * itself (protocol_binary.h, and every SASL-capable client) uses 0x20 AUTH_ERROR and 0x21
   * AUTH_CONTINUE; MEMCACHED.md confirms 0x20/0x21 against 1.6.18.
   */
  @ParameterizedTest(name = "0x{0} -> {1}")
  @CsvSource({
      "0000, NO_ERROR",
      "0001, KEY_NOT_FOUND",
      "0002, KEY_EXISTS",
      "0003, VALUE_TOO_LARGE",
      "0004, INVALID_ARGUMENTS",
      "0005, ITEM_NOT_STORED",
      "0006, NON_NUMERIC_VALUE",
      "0007, WRONG_VBUCKET",
      "0020, AUTH_ERROR",
      "0021, AUTH_CONTINUE",
      "0081, UNKNOWN_COMMAND",
      "0082, OUT_OF_MEMORY",
      "0083, NOT_SUPPORTED",
      "0084, INTERNAL_ERROR",
      "0085, BUSY",
      "0086, TEMPORARY_FAILURE",
  })
  void of_specCode_returnsMatchingStatusWithSameCode(String hexCode, Status expected) {
    int code = Integer.parseInt(hexCode, 16);
    assertSame(expected, Status.of(code));
    assertEquals(code, expected.code());
  }

  @Test
  void of_everyKnownStatusCode_roundTrips() {
    EnumSet<Status> known = EnumSet.complementOf(EnumSet.of(Status.UNKNOWN));
    for (Status status : known) {
      assertSame(status, Status.of(status.code()), status.name());
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0x0008, 0x0009, 0x000a, 0x001f, 0x0022, 0x0080, 0x0087, 0x00ff, 0x1234, 0xffff, 0x10000, -1})
  void of_unknownCode_returnsUnknown(int code) {
    assertSame(Status.UNKNOWN, Status.of(code));
  }

  @Test
  void of_everyTwoByteCode_isKnownOnlyForTheSixteenSpecCodes() {
    int known = 0;
    for (int code = 0; code <= 0xffff; code++) {
      if (Status.of(code) != Status.UNKNOWN) {
        known++;
        assertEquals(code, Status.of(code).code());
      }
    }
    assertEquals(16, known);
  }
}
