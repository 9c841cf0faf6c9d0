package io.memjcache.internal.client;

/**
 * The outcome of a storage command.
 *
 * @param status what happened
 * @param cas the new CAS token when stored, 0 otherwise
 */
public record StoreResult(Status status, long cas) {
  /** Outcomes a storage command can have without being an error. */
  public enum Status {
    /** The value was written. */
    STORED,
    /** ADD found the key present, or the CAS token did not match. */
    EXISTS,
    /** REPLACE, or a CAS write, found no item. */
    NOT_FOUND,
    /** APPEND/PREPEND found no item to extend. */
    NOT_STORED
  }

  public boolean stored() {
    return status == Status.STORED;
  }
}
