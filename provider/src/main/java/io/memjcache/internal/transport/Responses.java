package io.memjcache.internal.transport;

import io.memjcache.internal.protocol.Response;
import io.memjcache.internal.protocol.Status;

/** Turns error statuses into typed exceptions. */
public final class Responses {
  private Responses() {}

  /** Throws unless the response is NO_ERROR. */
  public static void requireOk(Response response, String node) {
    if (response.status() != Status.NO_ERROR) {
      throw error(response, node, -1, -1);
    }
  }

  /**
   * The exception for an unexpected status. {@code valueSize} and {@code limit} describe the value
   * sent, for a clear VALUE_TOO_LARGE message (-1 if not a storage request).
   */
  public static MemcachedException error(Response response, String node, int valueSize, long limit) {
    if (response.status() == Status.VALUE_TOO_LARGE) {
      return new ValueTooLargeException(node, valueSize, limit);
    }
    return new MemcachedServerException(node, response.opcode(), response.statusCode(), response.valueAsString());
  }
}
