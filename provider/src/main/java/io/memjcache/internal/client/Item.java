package io.memjcache.internal.client;

import io.memjcache.internal.protocol.Response;

/**
 * A value read from memcached with its flags and CAS token.
 *
 * @param value the stored bytes (owned by the caller)
 * @param flags the 32-bit flags stored with the value
 * @param cas the item's CAS token, for a later conditional write
 */
public record Item(byte[] value, int flags, long cas) {
  /** Reads a hit into an item, copying its value once. */
  public static final HitReader<Item> READER = (index, hit) -> new Item(hit.value(), hit.flags(), hit.cas());
}
