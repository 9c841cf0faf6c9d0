package io.memjcache.internal.transport;

/** A connection could not be opened, or closed while requests were in flight. */
public class ConnectionException extends MemcachedException {
  private static final long serialVersionUID = 1L;

  public ConnectionException(String message) {
    super(message);
  }

  public ConnectionException(String message, Throwable cause) {
    super(message, cause);
  }
}
