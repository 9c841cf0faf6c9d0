package io.memjcache.internal.transport;

/** A request got no answer within its timeout. Its late answer, if any, is discarded. */
public final class MemcachedTimeoutException extends MemcachedException {
  private static final long serialVersionUID = 1L;

  public MemcachedTimeoutException(String message) {
    super(message);
  }
}
