package io.memjcache.internal.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * One decoded response frame. A response from {@link Frames#decodeView} is a view of the receive
 * buffer, valid only while its frame is being delivered: reading it copies exactly the bytes the
 * reader asks for, so a value can go from the buffer to its final array in one copy. Whoever keeps
 * a response past its delivery calls {@link #detach} first; a response used after its delivery
 * without that throws {@link IllegalStateException} instead of reading reused memory.
 */
public final class Response {
  private static final byte[] EMPTY = new byte[0];

  private final byte opcode;
  private final int statusCode;
  private final int opaque;
  private final long cas;
  private final int extrasLength;
  private final int keyLength;
  private final int valueLength;
  /** The body (extras, key, value) starts at {@code base}; null once released. */
  private ByteBuf body;
  private int base;
  private boolean detached;

  /** A detached response over the given arrays, which it wraps without copying (for tests and tools). */
  public Response(byte opcode, int statusCode, int opaque, long cas, byte[] extras, byte[] key, byte[] value) {
    this(opcode, statusCode, opaque, cas, extras.length, key.length, value.length,
        Unpooled.wrappedBuffer(extras, key, value), 0);
    this.detached = true;
  }

  private Response(byte opcode, int statusCode, int opaque, long cas, int extrasLength, int keyLength,
      int valueLength, ByteBuf body, int base) {
    this.opcode = opcode;
    this.statusCode = statusCode;
    this.opaque = opaque;
    this.cas = cas;
    this.extrasLength = extrasLength;
    this.keyLength = keyLength;
    this.valueLength = valueLength;
    this.body = body;
    this.base = base;
  }

  /** A view of a body that lies in {@code frame} from index {@code base}. */
  static Response view(byte opcode, int statusCode, int opaque, long cas, int extrasLength, int keyLength,
      int valueLength, ByteBuf frame, int base) {
    return new Response(opcode, statusCode, opaque, cas, extrasLength, keyLength, valueLength, frame, base);
  }

  /** Copies the body out of the receive buffer, so that the response stays readable after delivery. */
  public Response detach() {
    if (!detached) {
      byte[] copy = new byte[extrasLength + keyLength + valueLength];
      body().getBytes(base, copy);
      body = Unpooled.wrappedBuffer(copy);
      base = 0;
      detached = true;
    }
    return this;
  }

  /** Ends the delivery of a view: later reads fail unless it was detached. */
  public void release() {
    if (!detached) {
      body = null;
    }
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

  /** A copy of the extras. */
  public byte[] extras() {
    return copy(base, extrasLength);
  }

  /** A copy of the key. */
  public byte[] key() {
    return copy(base + extrasLength, keyLength);
  }

  public int keyLength() {
    return keyLength;
  }

  /** Whether the key equals {@code expected}, without copying it. */
  public boolean keyEquals(byte[] expected) {
    if (expected.length != keyLength) {
      return false;
    }
    return Frames.regionEquals(body(), base + extrasLength, expected, 0, keyLength);
  }

  /** A copy of the value. */
  public byte[] value() {
    return copy(valueIndex(), valueLength);
  }

  public int valueLength() {
    return valueLength;
  }

  /**
   * The buffer holding the value, which lies at {@link #valueIndex()} for {@link #valueLength()}
   * bytes. Read it with absolute gets only, during delivery (or after {@link #detach}).
   */
  public ByteBuf valueBuffer() {
    return body();
  }

  /** Index of the value's first byte in {@link #valueBuffer()}. */
  public int valueIndex() {
    return base + extrasLength + keyLength;
  }

  /** The flags of a GET-family response (first four extras bytes), 0 if absent. */
  public int flags() {
    if (extrasLength < 4) {
      return 0;
    }
    return body().getInt(base);
  }

  /** The 64-bit counter value of an INCREMENT/DECREMENT response. */
  public long counterValue() {
    if (valueLength != 8) {
      throw new ProtocolException("counter response carries " + valueLength + " bytes, expected 8");
    }
    return body().getLong(valueIndex());
  }

  /** The value as text (error messages, VERSION, STAT). */
  public String valueAsString() {
    return body().toString(valueIndex(), valueLength, StandardCharsets.US_ASCII);
  }

  private ByteBuf body() {
    ByteBuf b = body;
    if (b == null) {
      throw new IllegalStateException("response read after its delivery without detach()");
    }
    return b;
  }

  private byte[] copy(int index, int length) {
    if (length == 0) {
      return EMPTY;
    }
    byte[] bytes = new byte[length];
    body().getBytes(index, bytes);
    return bytes;
  }

  @Override
  public String toString() {
    return "Response{" + Opcode.name(opcode) + ", status=" + String.format("0x%04x", statusCode)
        + ", opaque=" + opaque + ", key=" + keyLength + "B, value=" + valueLength + "B}";
  }
}
