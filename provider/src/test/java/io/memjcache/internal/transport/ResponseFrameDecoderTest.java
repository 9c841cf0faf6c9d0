package io.memjcache.internal.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.memjcache.internal.protocol.Response;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The decoder hands on views of the receive buffer: a handler reads them during delivery, whatever
 * way the stream was cut into reads, and a view read after delivery fails unless detached.
 */
class ResponseFrameDecoderTest {
  /** Reads every response during delivery, and keeps it (some detached) to read it later. */
  private static final class Reader extends ChannelInboundHandlerAdapter {
    final List<String> values = new ArrayList<>();
    final List<Response> kept = new ArrayList<>();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      Response response = (Response) msg;
      values.add(response.opaque() + ":" + new String(response.value(), StandardCharsets.US_ASCII));
      kept.add(response.opaque() % 2 == 0 ? response.detach() : response);
    }
  }

  private static byte[] frame(int opaque, String key, String value) {
    byte[] k = key.getBytes(StandardCharsets.US_ASCII);
    byte[] v = value.getBytes(StandardCharsets.US_ASCII);
    ByteBuf b = Unpooled.buffer();
    b.writeByte(0x81).writeByte(0x0c).writeShort(k.length).writeByte(4).writeByte(0).writeShort(0);
    b.writeInt(4 + k.length + v.length).writeInt(opaque).writeLong(opaque);
    b.writeInt(0).writeBytes(k).writeBytes(v);
    byte[] out = new byte[b.readableBytes()];
    b.readBytes(out);
    return out;
  }

  private static byte[] stream() {
    ByteBuf all = Unpooled.buffer();
    all.writeBytes(frame(1, "a", "one"));
    all.writeBytes(frame(2, "bb", ""));
    all.writeBytes(frame(3, "", "x".repeat(300)));
    all.writeBytes(frame(4, "dddd", "four"));
    byte[] out = new byte[all.readableBytes()];
    all.readBytes(out);
    return out;
  }

  private static final List<String> EXPECTED = List.of("1:one", "2:", "3:" + "x".repeat(300), "4:four");

  @Test
  void decode_streamSplitAtEveryOffset_everyResponseReadDuringDelivery() {
    byte[] stream = stream();
    for (int cut = 0; cut <= stream.length; cut++) {
      for (boolean direct : new boolean[] {false, true}) {
        Reader reader = new Reader();
        EmbeddedChannel channel = new EmbeddedChannel(new ResponseFrameDecoder(1 << 20), reader);
        channel.writeInbound(buffer(stream, 0, cut, direct));
        channel.writeInbound(buffer(stream, cut, stream.length - cut, direct));
        assertEquals(EXPECTED, reader.values, "cut at " + cut);
        assertNull(channel.readInbound(), "nothing reaches the next handler's queue twice");
        channel.finishAndReleaseAll();
      }
    }
  }

  @Test
  void decode_streamOneByteAtATime_everyResponseReadDuringDelivery() {
    byte[] stream = stream();
    Reader reader = new Reader();
    EmbeddedChannel channel = new EmbeddedChannel(new ResponseFrameDecoder(1 << 20), reader);
    for (int i = 0; i < stream.length; i++) {
      channel.writeInbound(buffer(stream, i, 1, true));
    }
    assertEquals(EXPECTED, reader.values);
    channel.finishAndReleaseAll();
  }

  @Test
  void afterDelivery_detachedResponsesReadable_othersFail() {
    Reader reader = new Reader();
    EmbeddedChannel channel = new EmbeddedChannel(new ResponseFrameDecoder(1 << 20), reader);
    channel.writeInbound(buffer(stream(), 0, stream().length, true));
    channel.finishAndReleaseAll();

    assertArrayEquals("four".getBytes(StandardCharsets.US_ASCII), reader.kept.get(3).value(), "opaque 4 was detached");
    assertArrayEquals(new byte[0], reader.kept.get(1).value(), "opaque 2 was detached");
    assertThrows(IllegalStateException.class, () -> reader.kept.get(0).value(), "opaque 1 was not");
    assertThrows(IllegalStateException.class, () -> reader.kept.get(2).value(), "opaque 3 was not");
  }

  private static ByteBuf buffer(byte[] bytes, int offset, int length, boolean direct) {
    ByteBuf b = direct ? Unpooled.directBuffer(Math.max(length, 1)) : Unpooled.buffer(Math.max(length, 1));
    return b.writeBytes(bytes, offset, length);
  }
}
