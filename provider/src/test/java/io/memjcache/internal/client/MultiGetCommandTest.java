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

  /** A GETQ (or NOOP) answer, without a key as memcached sends it, viewed in a receive buffer as the frame decoder delivers it. */
  private static Response answer(byte opcode, int status, String value) {
    byte[] key = new byte[0];
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
    assertEquals(4, command.frames().length, "three GETQ and a NOOP");
    assertEquals(Opcode.NOOP, command.frames()[3].opcode());

    command.onResponse(0, answer(Opcode.GETQ, 0, "one"), "n");
    command.onResponse(2, answer(Opcode.GETQ, 0, "three"), "n"); // b missed: silent
    assertFalse(command.future().isDone());
    command.onResponse(3, answer(Opcode.NOOP, 0, ""), "n");

    assertSame(into, command.future().get());
    assertArrayEquals(new String[] {null, null, "2=three/7/99", null, "4=one/7/99"}, into);
  }

  @Test
  void onResponse_noPositions_indexIsTheKeysOwn() throws Exception {
    String[] into = new String[3];
    MultiGetCommand<String> command = new MultiGetCommand<>(new byte[0], KEYS, null, into, READER);
    command.onResponse(1, answer(Opcode.GETQ, 0, "two"), "n");
    command.onResponse(3, answer(Opcode.NOOP, 0, ""), "n");
    assertArrayEquals(new String[] {null, "1=two/7/99", null}, command.future().get());
  }

  @Test
  void onResponse_readerThrows_commandFails() {
    IllegalStateException boom = new IllegalStateException("boom");
    MultiGetCommand<String> command = new MultiGetCommand<>(new byte[0], KEYS, null, new String[3], (index, hit) -> {
      throw boom;
    });
    command.onResponse(0, answer(Opcode.GETQ, 0, "one"), "n");
    command.onResponse(3, answer(Opcode.NOOP, 0, ""), "n");
    ExecutionException e = assertThrows(ExecutionException.class, () -> command.future().get());
    assertSame(boom, e.getCause());
  }

  @Test
  void onResponse_errorStatus_failsWithServerError() {
    String[] into = new String[3];
    MultiGetCommand<String> command = new MultiGetCommand<>(new byte[0], KEYS, null, into, READER);
    command.onResponse(0, answer(Opcode.GETQ, 0x82, "Out of memory"), "n");
    command.onResponse(1, answer(Opcode.GETQ, 1, "Not found"), "n"); // a miss, not an error
    command.onResponse(3, answer(Opcode.NOOP, 0, ""), "n");
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
      Frames.encode(io.memjcache.internal.protocol.Request.keyOnly(Opcode.GETQ, joined), 100 + i, expected);
      assertArrayEquals(joined, command.frames()[i].key(), "frames() joins the prefix too");
    }
    Frames.encode(io.memjcache.internal.protocol.Request.bare(Opcode.NOOP), 103, expected);
    assertEquals(expected, out, "the bytes equal those of joined keys");
  }

  @Test
  void frames_areQuietGetsWithoutKeyEcho_closedByANoop() {
    MultiGetCommand<String> command = new MultiGetCommand<>(ascii("p:"), KEYS, null, new String[3], READER);
    for (int i = 0; i < KEYS.length; i++) {
      assertEquals(Opcode.GETQ, command.opcode(i), "frame " + i);
    }
    assertEquals(Opcode.NOOP, command.opcode(KEYS.length));
  }

  @Test
  void onResponse_prefixedKeys_hitLandsAtItsFramesPlace() throws Exception {
    String[] into = new String[3];
    MultiGetCommand<String> command = new MultiGetCommand<>(ascii("p:"), KEYS, new int[] {2, 0, 1}, into, READER);
    command.onResponse(0, answer(Opcode.GETQ, 0, "one"), "n");
    command.onResponse(2, answer(Opcode.GETQ, 0, "three"), "n");
    command.onResponse(3, answer(Opcode.NOOP, 0, ""), "n");
    assertArrayEquals(new String[] {null, "1=three/7/99", "2=one/7/99"}, command.future().get());
  }
}
