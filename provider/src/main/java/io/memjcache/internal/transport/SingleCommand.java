package io.memjcache.internal.transport;

import io.memjcache.internal.protocol.Request;
import io.memjcache.internal.protocol.Response;

/** A command of one non-quiet frame whose response is turned into a result by a function. */
public final class SingleCommand<T> extends Command<T> {
  /**
   * Maps a response to a result, or throws a {@link MemcachedException} for an error status. It
   * runs on the I/O thread while the response's bytes are in the receive buffer; a decoder may
   * return the response itself (it is then detached), but must not keep it in anything else.
   */
  @FunctionalInterface
  public interface Decoder<T> {
    T decode(Response response, String node);
  }

  private final Request[] frames;
  private final Decoder<T> decoder;

  public SingleCommand(Request request, Decoder<T> decoder) {
    this.frames = new Request[] {request};
    this.decoder = decoder;
  }

  @Override
  public Request[] frames() {
    return frames;
  }

  @Override
  protected void onResponse(int index, Response response, String node) {
    T result;
    try {
      result = decoder.decode(response, node);
      if (result == response) {
        response.detach();
      }
    } catch (RuntimeException e) {
      fail(e);
      return;
    }
    complete(result);
  }
}
