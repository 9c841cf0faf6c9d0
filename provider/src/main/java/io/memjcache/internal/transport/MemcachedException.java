package io.memjcache.internal.transport;

/** Base of every error the memcached client reports. Messages never contain values or secrets. */
public class MemcachedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MemcachedException(String message) {
    super(message);
  }

  public MemcachedException(String message, Throwable cause) {
    super(message, cause);
  }
}
