package io.memjcache.internal.protocol;

import java.nio.charset.StandardCharsets;

/** One decoded response frame. The arrays are owned by the response. */
public final class Response {
  private final byte opcode;
  private final int statusCode;
  private final int opaque;
  private final long cas;
  private final byte[] extras;
  private final byte[] key;
  private final byte[] value;

  public Response(byte opcode, int statusCode, int opaque, long cas, byte[] extras, byte[] key, byte[] value) {
    this.opcode = opcode;
    this.statusCode = statusCode;
    this.opaque = opaque;
    this.cas = cas;
    this.extras = extras;
    this.key = key;
    this.value = value;
  }

  public byte opcode() {
    return opcode;
  }

  public Status status() {
    return Status.of(statusCode);
  }

  public int statusCode() {
    return statusCode;
  }

  public int opaque() {
    return opaque;
  }

  public long cas() {
    return cas;
  }

  public byte[] extras() {
    return extras;
  }

  public byte[] key() {
    return key;
  }

  public byte[] value() {
    return value;
  }

  /** The flags of a GET-family response (first four extras bytes), 0 if absent. */
  public int flags() {
    if (extras.length < 4) {
      return 0;
    }
    return ((extras[0] & 0xff) << 24) | ((extras[1] & 0xff) << 16) | ((extras[2] & 0xff) << 8) | (extras[3] & 0xff);
  }

  /** The 64-bit counter value of an INCREMENT/DECREMENT response. */
  public long counterValue() {
    if (value.length != 8) {
      throw new ProtocolException("counter response carries " + value.length + " bytes, expected 8");
    }
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (value[i] & 0xff);
    }
    return v;
  }

  /** The value as text (error messages, VERSION, STAT). */
  public String valueAsString() {
    return new String(value, StandardCharsets.US_ASCII);
  }

  @Override
  public String toString() {
    return "Response{" + Opcode.name(opcode) + ", status=" + String.format("0x%04x", statusCode)
        + ", opaque=" + opaque + ", key=" + key.length + "B, value=" + value.length + "B}";
  }
}
