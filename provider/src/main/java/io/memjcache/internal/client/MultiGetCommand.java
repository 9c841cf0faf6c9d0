package io.memjcache.internal.client;

import io.memjcache.internal.protocol.Opcode;
import io.memjcache.internal.protocol.ProtocolException;
import io.memjcache.internal.protocol.Request;
import io.memjcache.internal.protocol.Response;
import io.memjcache.internal.protocol.Status;
import io.memjcache.internal.transport.Command;
import io.memjcache.internal.transport.Responses;
import java.util.Arrays;

/**
 * A multi-key read on one node: one quiet GETKQ per key, closed by a NOOP. Hits answer, misses stay
 * silent; the NOOP's answer proves every key was looked at. Each hit's key is checked against the
 * key asked for, so a confused server can never hand one key's value to another.
 */
final class MultiGetCommand extends Command<Item[]> {
  private final byte[][] keys;
  private final Request[] frames;
  private final Item[] items;
  private RuntimeException error;

  MultiGetCommand(byte[][] keys) {
    this.keys = keys;
    this.items = new Item[keys.length];
    this.frames = new Request[keys.length + 1];
    for (int i = 0; i < keys.length; i++) {
      frames[i] = Request.keyOnly(Opcode.GETKQ, keys[i]);
    }
    frames[keys.length] = Request.bare(Opcode.NOOP);
  }

  @Override
  public Request[] frames() {
    return frames;
  }

  @Override
  protected void onResponse(int index, Response response, String node) {
    if (index == keys.length) {
      if (error != null) {
        fail(error);
      } else {
        complete(items);
      }
      return;
    }
    Status status = response.status();
    if (status == Status.NO_ERROR) {
      if (!Arrays.equals(response.key(), keys[index])) {
        error = new ProtocolException("GETKQ answer on " + node + " carries a different key than requested");
        return;
      }
      items[index] = new Item(response.value(), response.flags(), response.cas());
    } else if (status != Status.KEY_NOT_FOUND && error == null) {
      error = Responses.error(response, node, -1, -1);
    }
  }
}
