package io.memjcache.internal.jcache.store;

/**
 * Bytes read from memcached are not a valid entry (truncated, unknown version, lying length,
 * unsupported flags). Never reaches users: the cache counts it and treats the entry as a miss. It
 * carries no stack trace, since hostile data can make it frequent and the message says enough.
 */
public final class CorruptEntryException extends Exception {
  private static final long serialVersionUID = 1L;

  public CorruptEntryException(String message) {
    super(message, null, false, false);
  }
}
