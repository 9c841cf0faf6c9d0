package io.memjcache.internal.transport;

import io.memjcache.internal.protocol.Frames;
import io.memjcache.internal.protocol.Response;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Cuts the inbound byte stream into {@link Response} frames, refusing oversized bodies up front.
 * Each response is a view of the receive buffer, passed on while its bytes are still there and
 * released right after, so a value is copied only by whoever reads it (see {@link Command#onResponse}).
 */
final class ResponseFrameDecoder extends ByteToMessageDecoder {
  private final int maxBodyLength;

  ResponseFrameDecoder(int maxBodyLength) {
    this.maxBodyLength = maxBodyLength;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    Response response;
    while (!ctx.isRemoved() && (response = Frames.decodeView(in, maxBodyLength)) != null) {
      try {
        ctx.fireChannelRead(response);
      } finally {
        response.release();
      }
    }
  }
}
