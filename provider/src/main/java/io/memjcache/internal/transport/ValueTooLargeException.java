package io.memjcache.internal.transport;

import io.memjcache.internal.protocol.Status;

/** A value (with its key and item overhead) does not fit in the server's item size limit. */
public final class ValueTooLargeException extends MemcachedServerException {
  private static final long serialVersionUID = 1L;

  private final int size;
  private final long limit;

  public ValueTooLargeException(String node, int size, long limit) {
    super("value of " + size + " bytes is too large for " + node
        + (limit > 0 ? " (item size limit " + limit + " bytes, including key and item overhead)" : ""),
        Status.VALUE_TOO_LARGE.code());
    this.size = size;
    this.limit = limit;
  }

  public int size() {
    return size;
  }

  /** The server's item size limit, or -1 if unknown. */
  public long limit() {
    return limit;
  }
}
