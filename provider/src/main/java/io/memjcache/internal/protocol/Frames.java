package io.memjcache.internal.protocol;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/** Encodes requests into buffers and decodes complete response frames from them. */
public final class Frames {
  public static final int HEADER_LENGTH = 24;
  public static final byte REQUEST_MAGIC = (byte) 0x80;
  public static final byte RESPONSE_MAGIC = (byte) 0x81;
  /** memcached's limit on key length; a longer key makes the server close the connection. */
  public static final int MAX_KEY_LENGTH = 250;
  /** Longest region {@link #regionEquals} compares through a per-thread copy. */
  private static final int SCRATCH_LENGTH = 512;
  // A plain ThreadLocal of a JDK type: a FastThreadLocal registers itself (an instance of
  // memjcache's class) in each calling thread's map, which would keep memjcache's class loader
  // reachable from an application server's threads after the application is gone (ThreadLocalLeakTest).
  private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[SCRATCH_LENGTH]);

  private Frames() {}

  /** Writes {@code request} with {@code opaque} to {@code out}. */
  public static void encode(Request request, int opaque, ByteBuf out) {
    byte[] key = request.key();
    byte[] extras = request.extras();
    byte[] value = request.value();
    out.ensureWritable(request.frameLength());
    writeHeader(out, request.opcode(), key.length, extras.length, extras.length + key.length + value.length, opaque,
        request.cas());
    out.writeBytes(extras);
    out.writeBytes(key);
    out.writeBytes(value);
  }

  /**
   * Writes a request without extras or value (GETQ and the like) whose key is {@code prefix}
   * followed by {@code key}, without joining them first.
   */
  public static void encodeKeyOnly(byte opcode, byte[] prefix, byte[] key, int opaque, ByteBuf out) {
    int keyLength = prefix.length + key.length;
    out.ensureWritable(HEADER_LENGTH + keyLength);
    writeHeader(out, opcode, keyLength, 0, keyLength, opaque, 0L);
    out.writeBytes(prefix);
    out.writeBytes(key);
  }

  /** The 24-byte request header in four writes: magic, opcode, key length, extras length, data type 0, vbucket 0, ... */
  private static void writeHeader(ByteBuf out, byte opcode, int keyLength, int extrasLength, int bodyLength, int opaque,
      long cas) {
    out.writeLong((long) (REQUEST_MAGIC & 0xFF) << 56 | (long) (opcode & 0xFF) << 48 | (long) (keyLength & 0xFFFF) << 32
        | (long) (extrasLength & 0xFF) << 24);
    out.writeInt(bodyLength);
    out.writeInt(opaque);
    out.writeLong(cas);
  }

  /**
   * A per-thread array of at least {@code length} bytes for short-lived copies out of a receive
   * buffer (a fresh one when {@code length} is unusually large). Its contents are the caller's only
   * until the thread's next call.
   */
  public static byte[] scratch(int length) {
    return length <= SCRATCH_LENGTH ? SCRATCH.get() : new byte[length];
  }

  /**
   * Whether the {@code length} bytes of {@code buf} at {@code index} equal {@code expected} from
   * {@code offset}: a bulk read and a vectorized comparison rather than a bounds-checked read per byte.
   */
  public static boolean regionEquals(ByteBuf buf, int index, byte[] expected, int offset, int length) {
    if (length <= SCRATCH_LENGTH) {
      byte[] scratch = scratch(length);
      buf.getBytes(index, scratch, 0, length);
      return Arrays.equals(scratch, 0, length, expected, offset, offset + length);
    }
    for (int i = 0; i < length; i++) {
      if (buf.getByte(index + i) != expected[offset + i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Decodes one response if {@code in} holds a complete frame, consuming it; returns null and
   * consumes nothing otherwise. The response owns a copy of the body.
   *
   * @throws ProtocolException if the bytes cannot be a valid response
   */
  public static Response decode(ByteBuf in, int maxBodyLength) {
    Response response = decodeView(in, maxBodyLength);
    return response == null ? null : response.detach();
  }

  /**
   * Like {@link #decode}, but the response is a view of {@code in}: it copies nothing, and stays
   * readable only while the consumed bytes of {@code in} are neither released nor overwritten
   * (see {@link Response}). The header is validated as soon as it is available, so a corrupt or
   * hostile length is refused before any body is buffered.
   *
   * @throws ProtocolException if the bytes cannot be a valid response
   */
  public static Response decodeView(ByteBuf in, int maxBodyLength) {
    int readable = in.readableBytes();
    if (readable < HEADER_LENGTH) {
      return null;
    }
    int base = in.readerIndex();
    long first = in.getLong(base); // magic, opcode, key length, extras length, data type, status
    long second = in.getLong(base + 8); // body length, opaque
    byte magic = (byte) (first >>> 56);
    if (magic != RESPONSE_MAGIC) {
      throw new ProtocolException(String.format("bad response magic 0x%02x", magic & 0xff));
    }
    int keyLength = (int) (first >>> 32) & 0xFFFF;
    int extrasLength = (int) (first >>> 24) & 0xFF;
    long bodyLength = second >>> 32;
    if (bodyLength > maxBodyLength) {
      throw new ProtocolException("response body of " + bodyLength + " bytes exceeds the limit of " + maxBodyLength);
    }
    if (keyLength + extrasLength > bodyLength) {
      throw new ProtocolException("response key (" + keyLength + ") and extras (" + extrasLength
          + ") exceed its body length (" + bodyLength + ")");
    }
    if (readable < HEADER_LENGTH + bodyLength) {
      return null;
    }
    byte opcode = (byte) (first >>> 48);
    int status = (int) first & 0xFFFF;
    int opaque = (int) second;
    long cas = in.getLong(base + 16);
    in.skipBytes(HEADER_LENGTH + (int) bodyLength);
    return Response.view(opcode, status, opaque, cas, extrasLength, keyLength,
        (int) bodyLength - extrasLength - keyLength, in, base + HEADER_LENGTH);
  }
}
