package io.memjcache.internal.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.memjcache.internal.protocol.Frames;
import io.memjcache.internal.protocol.Opcode;
import io.memjcache.internal.protocol.ProtocolException;
import io.memjcache.internal.protocol.Response;
import io.memjcache.internal.transport.MemcachedServerException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** {@link MultiGetCommand}: hits read in place by the reader, straight into the caller's array. */
class MultiGetCommandTest {
  private static final byte[][] KEYS = {ascii("a"), ascii("b"), ascii("c")};

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** A GETKQ (or NOOP) answer as a view of a receive buffer, as the frame decoder delivers it. */
  private static Response answer(byte opcode, int status, byte[] key, String value) {
    byte[] v = ascii(value);
    ByteBuf b = Unpooled.directBuffer();
    b.writeByte(0x81).writeByte(opcode).writeShort(key.length).writeByte(4).writeByte(0).writeShort(status);
    b.writeInt(4 + key.length + v.length).writeInt(0).writeLong(99);
    b.writeInt(7).writeBytes(key).writeBytes(v);
    return Frames.decodeView(b, 1 << 20);
  }

  private static final HitReader<String> READER =
      (index, hit) -> index + "=" + new String(hit.value(), StandardCharsets.US_ASCII) + "/" + hit.flags() + "/" + hit.cas();

  @Test
  void onResponse_hitsAndMisses_readIntoTheirPositions() throws Exception {
    String[] into = new String[5];
    MultiGetCommand<String> command = new MultiGetCommand<>(new byte[0], KEYS, new int[] {4, 0, 2}, into, READER);
    assertEquals(4, command.frames().length, "three GETKQ and a NOOP");
    assertEquals(Opcode.NOOP, command.frames()[3].opcode());

    command.onResponse(0, answer(Opcode.GETKQ, 0, KEYS[0], "one"), "n");
    command.onResponse(2, answer(Opcode.GETKQ, 0, KEYS[2], "three"), "n"); // b missed: silent
    assertFalse(command.future().isDone());
    command.onResponse(3, answer(Opcode.NOOP, 0, new byte[0], ""), "n");

    assertSame(into, command.future().get());
    assertArrayEquals(new String[] {null, null, "2=three/7/99", null, "4=one/7/99"}, into);
  }

  @Test
  void onResponse_noPositions_indexIsTheKeysOwn() throws Exception {
    String[] into = new String[3];
    MultiGetCommand<String> command = new MultiGetCommand<>(new byte[0], KEYS, null, into, READER);
    command.onResponse(1, answer(Opcode.GETKQ, 0, KEYS[1], "two"), "n");
    command.onResponse(3, answer(Opcode.NOOP, 0, new byte[0], ""), "n");
    assertArrayEquals(new String[] {null, "1=two/7/99", null}, command.future().get());
  }

  @Test
  void onResponse_hitCarriesAnotherKey_failsAtTheEnd() {
    String[] into = new String[3];
    MultiGetCommand<String> command = new MultiGetCommand<>(new byte[0], KEYS, null, into, READER);
    command.onResponse(0, answer(Opcode.GETKQ, 0, KEYS[1], "wrong"), "n");
    command.onResponse(3, answer(Opcode.NOOP, 0, new byte[0], ""), "n");
    ExecutionException e = assertThrows(ExecutionException.class, () -> command.future().get());
    assertInstanceOf(ProtocolException.class, e.getCause());
    assertNull(into[0], "the other key's value is never read into a's place");
  }

  @Test
  void onResponse_readerThrows_commandFails() {
    IllegalStateException boom = new IllegalStateException("boom");
    MultiGetCommand<String> command = new MultiGetCommand<>(new byte[0], KEYS, null, new String[3], (index, hit) -> {
      throw boom;
    });
    command.onResponse(0, answer(Opcode.GETKQ, 0, KEYS[0], "one"), "n");
    command.onResponse(3, answer(Opcode.NOOP, 0, new byte[0], ""), "n");
    ExecutionException e = assertThrows(ExecutionException.class, () -> command.future().get());
    assertSame(boom, e.getCause());
  }

  @Test
  void onResponse_errorStatus_failsWithServerError() {
    String[] into = new String[3];
    MultiGetCommand<String> command = new MultiGetCommand<>(new byte[0], KEYS, null, into, READER);
    command.onResponse(0, answer(Opcode.GETKQ, 0x82, KEYS[0], "Out of memory"), "n");
    command.onResponse(1, answer(Opcode.GETKQ, 1, KEYS[1], "Not found"), "n"); // a miss, not an error
    command.onResponse(3, answer(Opcode.NOOP, 0, new byte[0], ""), "n");
    ExecutionException e = assertThrows(ExecutionException.class, () -> command.future().get());
    assertInstanceOf(MemcachedServerException.class, e.getCause());
    assertNull(into[0]);
  }

  @Test
  void encode_prefixedKeys_sendsPrefixThenKeyAsOneKey() {
    MultiGetCommand<String> command = new MultiGetCommand<>(ascii("mj:ns:1:"), KEYS, null, new String[3], READER);
    assertEquals(4, command.frameCount());
    ByteBuf out = Unpooled.buffer();
    for (int i = 0; i < command.frameCount(); i++) {
      int before = out.writerIndex();
      command.encode(i, 100 + i, out);
      assertEquals(command.frameLength(i), out.writerIndex() - before, "frame " + i + " length");
    }
    ByteBuf expected = Unpooled.buffer();
    for (int i = 0; i < KEYS.length; i++) {
      byte[] joined = ascii("mj:ns:1:" + (char) KEYS[i][0]);
      Frames.encode(io.memjcache.internal.protocol.Request.keyOnly(Opcode.GETKQ, joined), 100 + i, expected);
      assertArrayEquals(joined, command.frames()[i].key(), "frames() joins the prefix too");
    }
    Frames.encode(io.memjcache.internal.protocol.Request.bare(Opcode.NOOP), 103, expected);
    assertEquals(expected, out, "the bytes equal those of joined keys");
  }

  @Test
  void onResponse_prefixedKeys_checksTheWholeKey() throws Exception {
    String[] into = new String[3];
    MultiGetCommand<String> command = new MultiGetCommand<>(ascii("p:"), KEYS, null, into, READER);
    command.onResponse(0, answer(Opcode.GETKQ, 0, ascii("p:a"), "one"), "n");
    command.onResponse(3, answer(Opcode.NOOP, 0, new byte[0], ""), "n");
    assertArrayEquals(new String[] {"0=one/7/99", null, null}, command.future().get());

    MultiGetCommand<String> other = new MultiGetCommand<>(ascii("p:"), KEYS, null, new String[3], READER);
    other.onResponse(1, answer(Opcode.GETKQ, 0, ascii("q:b"), "two"), "n"); // same length, other prefix
    other.onResponse(3, answer(Opcode.NOOP, 0, new byte[0], ""), "n");
    ExecutionException e = assertThrows(ExecutionException.class, () -> other.future().get());
    assertInstanceOf(ProtocolException.class, e.getCause());
  }
}
