package io.memjcache.internal.protocol;

/**
 * The server sent bytes that are not a valid response, or a response that cannot belong to any
 * pending request. The connection that received it can no longer be trusted and is closed.
 */
public class ProtocolException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ProtocolException(String message) {
    super(message);
  }
}
