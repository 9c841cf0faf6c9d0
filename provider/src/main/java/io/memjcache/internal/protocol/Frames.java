package io.memjcache.internal.protocol;

import io.netty.buffer.ByteBuf;

/** Encodes requests into buffers and decodes complete response frames from them. */
public final class Frames {
  public static final int HEADER_LENGTH = 24;
  public static final byte REQUEST_MAGIC = (byte) 0x80;
  public static final byte RESPONSE_MAGIC = (byte) 0x81;
  /** memcached's limit on key length; a longer key makes the server close the connection. */
  public static final int MAX_KEY_LENGTH = 250;

  private Frames() {}

  /** Writes {@code request} with {@code opaque} to {@code out}. */
  public static void encode(Request request, int opaque, ByteBuf out) {
    byte[] key = request.key();
    byte[] extras = request.extras();
    byte[] value = request.value();
    out.ensureWritable(request.frameLength());
    out.writeByte(REQUEST_MAGIC);
    out.writeByte(request.opcode());
    out.writeShort(key.length);
    out.writeByte(extras.length);
    out.writeByte(0); // data type: raw bytes
    out.writeShort(0); // vbucket
    out.writeInt(extras.length + key.length + value.length);
    out.writeInt(opaque);
    out.writeLong(request.cas());
    out.writeBytes(extras);
    out.writeBytes(key);
    out.writeBytes(value);
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
    byte magic = in.getByte(base);
    if (magic != RESPONSE_MAGIC) {
      throw new ProtocolException(String.format("bad response magic 0x%02x", magic & 0xff));
    }
    int keyLength = in.getUnsignedShort(base + 2);
    int extrasLength = in.getUnsignedByte(base + 4);
    long bodyLength = in.getUnsignedInt(base + 8);
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
    byte opcode = in.getByte(base + 1);
    int status = in.getUnsignedShort(base + 6);
    int opaque = in.getInt(base + 12);
    long cas = in.getLong(base + 16);
    in.skipBytes(HEADER_LENGTH + (int) bodyLength);
    return Response.view(opcode, status, opaque, cas, extrasLength, keyLength,
        (int) bodyLength - extrasLength - keyLength, in, base + HEADER_LENGTH);
  }
}
