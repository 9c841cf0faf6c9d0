package io.memjcache.internal.protocol;

/** Binary protocol opcodes used by memjcache, and which of them are quiet. */
public final class Opcode {
  public static final byte GET = 0x00;
  public static final byte SET = 0x01;
  public static final byte ADD = 0x02;
  public static final byte REPLACE = 0x03;
  public static final byte DELETE = 0x04;
  public static final byte INCREMENT = 0x05;
  public static final byte DECREMENT = 0x06;
  public static final byte QUIT = 0x07;
  public static final byte GETQ = 0x09;
  public static final byte NOOP = 0x0a;
  public static final byte VERSION = 0x0b;
  public static final byte GETK = 0x0c;
  public static final byte GETKQ = 0x0d;
  public static final byte APPEND = 0x0e;
  public static final byte PREPEND = 0x0f;
  public static final byte STAT = 0x10;
  public static final byte SETQ = 0x11;
  public static final byte ADDQ = 0x12;
  public static final byte REPLACEQ = 0x13;
  public static final byte DELETEQ = 0x14;
  public static final byte INCREMENTQ = 0x15;
  public static final byte DECREMENTQ = 0x16;
  public static final byte APPENDQ = 0x19;
  public static final byte PREPENDQ = 0x1a;
  public static final byte TOUCH = 0x1c;
  public static final byte GAT = 0x1d;
  public static final byte GATQ = 0x1e;
  public static final byte SASL_LIST_MECHS = 0x20;
  public static final byte SASL_AUTH = 0x21;
  public static final byte SASL_STEP = 0x22;

  private Opcode() {}

  /** Whether the server stays silent for this opcode's ordinary outcome. */
  public static boolean isQuiet(byte opcode) {
    switch (opcode) {
      case GETQ:
      case GETKQ:
      case SETQ:
      case ADDQ:
      case REPLACEQ:
      case DELETEQ:
      case INCREMENTQ:
      case DECREMENTQ:
      case APPENDQ:
      case PREPENDQ:
      case GATQ:
        return true;
      default:
        return false;
    }
  }

  /** Whether a quiet opcode's silent outcome is a miss (gets) rather than success (mutations). */
  public static boolean isQuietGet(byte opcode) {
    return opcode == GETQ || opcode == GETKQ || opcode == GATQ;
  }

  /** A readable name for logs and error messages. */
  public static String name(byte opcode) {
    switch (opcode) {
      case GET: return "GET";
      case SET: return "SET";
      case ADD: return "ADD";
      case REPLACE: return "REPLACE";
      case DELETE: return "DELETE";
      case INCREMENT: return "INCREMENT";
      case DECREMENT: return "DECREMENT";
      case QUIT: return "QUIT";
      case GETQ: return "GETQ";
      case NOOP: return "NOOP";
      case VERSION: return "VERSION";
      case GETK: return "GETK";
      case GETKQ: return "GETKQ";
      case APPEND: return "APPEND";
      case PREPEND: return "PREPEND";
      case STAT: return "STAT";
      case SETQ: return "SETQ";
      case ADDQ: return "ADDQ";
      case REPLACEQ: return "REPLACEQ";
      case DELETEQ: return "DELETEQ";
      case INCREMENTQ: return "INCREMENTQ";
      case DECREMENTQ: return "DECREMENTQ";
      case APPENDQ: return "APPENDQ";
      case PREPENDQ: return "PREPENDQ";
      case TOUCH: return "TOUCH";
      case GAT: return "GAT";
      case GATQ: return "GATQ";
      case SASL_LIST_MECHS: return "SASL_LIST_MECHS";
      case SASL_AUTH: return "SASL_AUTH";
      case SASL_STEP: return "SASL_STEP";
      default: return String.format("0x%02x", opcode & 0xff);
    }
  }
}
