package io.memjcache.internal.cluster;

import io.memjcache.internal.protocol.Opcode;
import io.memjcache.internal.protocol.Request;
import io.memjcache.internal.protocol.Response;
import io.memjcache.internal.protocol.Status;
import io.memjcache.internal.transport.Command;
import io.memjcache.internal.transport.MemcachedServerException;
import java.util.List;

/**
 * Quiet deletes of many keys closed by a NOOP, for clearing the copies a failover left behind. A
 * key that is not there is fine; any other refusal fails the command.
 */
final class DeleteKeysCommand extends Command<Void> {
  private final Request[] frames;
  private MemcachedServerException refused;

  DeleteKeysCommand(List<byte[]> keys) {
    frames = new Request[keys.size() + 1];
    for (int i = 0; i < keys.size(); i++) {
      frames[i] = Request.delete(Opcode.DELETEQ, keys.get(i), 0L);
    }
    frames[keys.size()] = Request.bare(Opcode.NOOP);
  }

  @Override
  public Request[] frames() {
    return frames;
  }

  @Override
  protected void onResponse(int index, Response response, String node) {
    if (index == frames.length - 1) {
      if (refused != null) {
        fail(refused);
      } else {
        complete(null);
      }
      return;
    }
    if (response.status() != Status.KEY_NOT_FOUND && response.status() != Status.NO_ERROR && refused == null) {
      refused = new MemcachedServerException(node, Opcode.DELETEQ, response.statusCode(), response.valueAsString());
    }
  }
}
