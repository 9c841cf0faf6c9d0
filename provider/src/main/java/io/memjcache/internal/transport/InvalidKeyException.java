package io.memjcache.internal.transport;

/** A key that memcached cannot store (empty, or longer than 250 bytes). Nothing was sent. */
public final class InvalidKeyException extends MemcachedException {
  private static final long serialVersionUID = 1L;

  public InvalidKeyException(String message) {
    super(message);
  }
}
