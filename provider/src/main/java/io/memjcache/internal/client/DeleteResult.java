package io.memjcache.internal.client;

/** The outcome of a delete. */
public enum DeleteResult {
  /** The item was removed. */
  DELETED,
  /** There was no item. */
  NOT_FOUND,
  /** The item's CAS token did not match; nothing was removed. */
  EXISTS
}
