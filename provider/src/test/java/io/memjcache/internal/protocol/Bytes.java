package io.memjcache.internal.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/** Byte helpers for codec tests: frames are written as hex so they can be checked against the spec. */
final class Bytes {
  private Bytes() {}

  /** Parses hex digits, ignoring whitespace, '|' separators and {@code //} comments to line end. */
  static byte[] hex(String text) {
    StringBuilder digits = new StringBuilder();
    for (String line : text.split("\n")) {
      int comment = line.indexOf("//");
      String code = comment >= 0 ? line.substring(0, comment) : line;
      for (char c : code.toCharArray()) {
        if (Character.digit(c, 16) >= 0) {
          digits.append(c);
        } else if (!Character.isWhitespace(c) && c != '|') {
          throw new IllegalArgumentException("not a hex digit: '" + c + "' in " + line);
        }
      }
    }
    if (digits.length() % 2 != 0) {
      throw new IllegalArgumentException("odd number of hex digits: " + digits.length());
    }
    byte[] bytes = new byte[digits.length() / 2];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
    }
    return bytes;
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] all = new byte[length];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, all, at, part.length);
      at += part.length;
    }
    return all;
  }

  /** The bytes {@link Frames#encode} writes for {@code request}. */
  static byte[] encode(Request request, int opaque) {
    ByteBuf out = Unpooled.buffer();
    try {
      Frames.encode(request, opaque, out);
      return ByteBufUtil.getBytes(out);
    } finally {
      out.release();
    }
  }

  static String toHex(byte[] bytes) {
    return ByteBufUtil.hexDump(bytes);
  }
}
