package io.memjcache.internal.protocol;

/** Response status codes of the binary protocol. */
public enum Status {
  NO_ERROR(0x0000),
  KEY_NOT_FOUND(0x0001),
  KEY_EXISTS(0x0002),
  VALUE_TOO_LARGE(0x0003),
  INVALID_ARGUMENTS(0x0004),
  ITEM_NOT_STORED(0x0005),
  NON_NUMERIC_VALUE(0x0006),
  WRONG_VBUCKET(0x0007),
  AUTH_ERROR(0x0020),
  AUTH_CONTINUE(0x0021),
  UNKNOWN_COMMAND(0x0081),
  OUT_OF_MEMORY(0x0082),
  NOT_SUPPORTED(0x0083),
  INTERNAL_ERROR(0x0084),
  BUSY(0x0085),
  TEMPORARY_FAILURE(0x0086),
  /** Any code this client does not know; the raw value stays in the response. */
  UNKNOWN(-1);

  private final int code;

  Status(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The status for a raw code; {@link #UNKNOWN} for codes outside the protocol's list. */
  public static Status of(int code) {
    switch (code) {
      case 0x0000: return NO_ERROR;
      case 0x0001: return KEY_NOT_FOUND;
      case 0x0002: return KEY_EXISTS;
      case 0x0003: return VALUE_TOO_LARGE;
      case 0x0004: return INVALID_ARGUMENTS;
      case 0x0005: return ITEM_NOT_STORED;
      case 0x0006: return NON_NUMERIC_VALUE;
      case 0x0007: return WRONG_VBUCKET;
      case 0x0020: return AUTH_ERROR;
      case 0x0021: return AUTH_CONTINUE;
      case 0x0081: return UNKNOWN_COMMAND;
      case 0x0082: return OUT_OF_MEMORY;
      case 0x0083: return NOT_SUPPORTED;
      case 0x0084: return INTERNAL_ERROR;
      case 0x0085: return BUSY;
      case 0x0086: return TEMPORARY_FAILURE;
      default: return UNKNOWN;
    }
  }
}
