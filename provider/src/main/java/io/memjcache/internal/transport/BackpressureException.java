package io.memjcache.internal.transport;

/** Too many requests are already in flight on a connection; the caller should slow down. */
public final class BackpressureException extends MemcachedException {
  private static final long serialVersionUID = 1L;

  public BackpressureException(String message) {
    super(message);
  }
}
