package io.memjcache.internal.client;

import io.memjcache.internal.transport.MemcachedException;

/**
 * Per-key outcomes of a quiet batch, aligned with the keys given: for each key either a status
 * (STORED also stands for "deleted") or an error.
 */
public record BatchResult(StoreResult.Status[] statuses, MemcachedException[] errors) {
  /** The first error, or null if every key has a status. */
  public MemcachedException firstError() {
    for (MemcachedException e : errors) {
      if (e != null) {
        return e;
      }
    }
    return null;
  }
}
