package io.memjcache.internal.client;

import io.memjcache.internal.protocol.Opcode;
import io.memjcache.internal.protocol.Request;
import io.memjcache.internal.protocol.Response;
import io.memjcache.internal.protocol.Status;
import io.memjcache.internal.transport.Command;
import io.memjcache.internal.transport.MemcachedException;
import io.memjcache.internal.transport.Responses;

/**
 * Many quiet mutations (SETQ, ADDQ, DELETEQ, ...) on one node, closed by a NOOP. Successes are
 * silent; each answer is an outcome other than success for its frame, recorded per frame.
 */
final class QuietBatchCommand extends Command<QuietBatchCommand.Outcomes> {
  /** Per-frame outcome: null status means the ordinary success, or an error for that frame. */
  record Outcomes(Status[] statuses, MemcachedException[] errors) {}

  private final Request[] frames;
  private final Status[] statuses;
  private final MemcachedException[] errors;
  private final java.util.function.LongSupplier itemSizeLimit;

  QuietBatchCommand(Request[] quietFrames, java.util.function.LongSupplier itemSizeLimit) {
    this.frames = new Request[quietFrames.length + 1];
    System.arraycopy(quietFrames, 0, frames, 0, quietFrames.length);
    frames[quietFrames.length] = Request.bare(Opcode.NOOP);
    this.statuses = new Status[quietFrames.length];
    this.errors = new MemcachedException[quietFrames.length];
    this.itemSizeLimit = itemSizeLimit;
  }

  @Override
  public Request[] frames() {
    return frames;
  }

  @Override
  protected void onResponse(int index, Response response, String node) {
    if (index == statuses.length) {
      complete(new Outcomes(statuses, errors));
      return;
    }
    Status status = response.status();
    statuses[index] = status;
    switch (status) {
      case KEY_EXISTS:
      case KEY_NOT_FOUND:
      case ITEM_NOT_STORED:
      case NO_ERROR:
        break;
      default:
        errors[index] = Responses.error(response, node, frames[index].value().length, itemSizeLimit.getAsLong());
    }
  }
}
