package io.memjcache.internal.tls;

import io.memjcache.internal.protocol.Opcode;
import io.memjcache.internal.protocol.Request;
import io.memjcache.internal.protocol.Response;
import io.memjcache.internal.protocol.Status;
import io.memjcache.internal.transport.Command;
import io.memjcache.internal.transport.MemcachedServerException;

/**
 * A SET and a GET of the same key written in one burst (one command, so nothing can come between
 * them): the shape that strands the GET inside the server's TLS buffer when the guard is off.
 * Completes with the value read back.
 */
final class SetThenGetCommand extends Command<byte[]> {
  private final Request[] frames;

  SetThenGetCommand(byte[] key, byte[] value) {
    this.frames = new Request[] {Request.store(Opcode.SET, key, value, 0, 0, 0L), Request.keyOnly(Opcode.GET, key)};
  }

  @Override
  public Request[] frames() {
    return frames;
  }

  @Override
  protected void onResponse(int index, Response response, String node) {
    if (response.status() != Status.NO_ERROR) {
      fail(new MemcachedServerException(node, response.opcode(), response.statusCode(), response.valueAsString()));
    } else if (index == 1) {
      complete(response.value());
    }
  }
}
