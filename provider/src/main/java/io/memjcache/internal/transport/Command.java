package io.memjcache.internal.transport;

import io.memjcache.internal.protocol.Frames;
import io.memjcache.internal.protocol.Request;
import io.memjcache.internal.protocol.Response;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;

/**
 * One logical operation sent on a connection as one or more request frames, completed through a
 * future. A multi-key get, for example, is many quiet GETQ frames closed by a NOOP. The connection
 * calls back on its event loop thread only, so implementations need no locking.
 *
 * @param <T> the result type
 */
public abstract class Command<T> {
  private final CompletableFuture<T> future = new CompletableFuture<>();
  long deadlineNanos;
  long timeoutNanos;

  /** The frames to send, in order. The last frame must not be quiet. */
  public abstract Request[] frames();

  /*
   * The connection reads the frames through the four methods below, which a command with many
   * frames of one shape (a multi-key read) may override to encode them without a Request each.
   */

  /** Number of frames; {@code frames().length} unless overridden. */
  public int frameCount() {
    return frames().length;
  }

  /** Opcode of frame {@code index}. */
  public byte opcode(int index) {
    return frames()[index].opcode();
  }

  /** Encoded length of frame {@code index}, header included. */
  public int frameLength(int index) {
    return frames()[index].frameLength();
  }

  /** Writes frame {@code index} with the given opaque. */
  public void encode(int index, int opaque, ByteBuf out) {
    Frames.encode(frames()[index], opaque, out);
  }

  /**
   * The server answered frame {@code index}. Completes the future when the command is done. The
   * response is a view of the receive buffer, readable only during this call: copy what is needed,
   * or {@link Response#detach} it to keep it.
   */
  protected abstract void onResponse(int index, Response response, String node);

  /**
   * Quiet frame {@code index} passed without an answer, which means its ordinary outcome (a miss
   * for quiet gets, success for quiet mutations).
   */
  protected void onSilent(int index) {}

  /**
   * Whether frame {@code index} will get further responses with the same opaque after
   * {@code response} (STAT answers with one response per statistic). Called for every response,
   * before {@link #onResponse} and also once the future is done (timed out or cancelled), so it
   * must decide from the response alone: a command that stopped listening still has to let the
   * rest of its answer pass.
   */
  protected boolean awaitsMore(int index, Response response) {
    return false;
  }

  public final CompletableFuture<T> future() {
    return future;
  }

  protected final void complete(T value) {
    future.complete(value);
  }

  protected final void fail(Throwable error) {
    future.completeExceptionally(error);
  }

  final boolean isDone() {
    return future.isDone();
  }
}
