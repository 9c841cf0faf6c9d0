package io.memjcache.internal.transport;

import io.memjcache.internal.protocol.Opcode;
import io.memjcache.internal.protocol.Status;

/** The server answered a request with an error status that the operation does not expect. */
public class MemcachedServerException extends MemcachedException {
  private static final long serialVersionUID = 1L;

  private final int statusCode;

  public MemcachedServerException(String node, byte opcode, int statusCode, String serverMessage) {
    super(Opcode.name(opcode) + " on " + node + " failed with status " + Status.of(statusCode)
        + String.format(" (0x%04x)", statusCode)
        + (serverMessage == null || serverMessage.isEmpty() ? "" : ": " + serverMessage));
    this.statusCode = statusCode;
  }

  protected MemcachedServerException(String message, int statusCode) {
    super(message);
    this.statusCode = statusCode;
  }

  public Status status() {
    return Status.of(statusCode);
  }

  public int statusCode() {
    return statusCode;
  }
}
