package io.memjcache.internal.jcache;

import io.memjcache.internal.jcache.store.KeyCodec;

/**
 * What memcached holds for one cache key at the moment it was read: the item's CAS token (0 when
 * there is no item), the serialized value (null when there is no usable entry) and its absolute
 * expiry time. An item that is corrupt, foreign or another key's hash collision has a CAS token
 * but no value, so a write can replace it.
 */
final class Slot {
  /** The key's id in memcached (see {@link EntryCodec#id}). */
  final byte[] id;
  /** The serialized key; null for an indexed id whose entry could not be read. */
  final byte[] serializedKey;
  /** The item's memcached key; null until first asked for when the read sent it as prefix and id. */
  private byte[] memcachedKey;
  /** The key generation the entry was read in, which makes {@link #memcachedKey} when it is null. */
  private final KeyCodec.Generation generation;
  final long cas;
  final byte[] value;
  final long expiresAt;
  /** The deserialized value, set by the cache when it reads the slot. */
  Object decoded;

  Slot(byte[] id, byte[] serializedKey, byte[] memcachedKey, KeyCodec.Generation generation, long cas, byte[] value,
      long expiresAt) {
    if (memcachedKey == null && generation == null) {
      throw new IllegalArgumentException("a slot needs its memcached key or the generation that makes it");
    }
    this.id = id;
    this.serializedKey = serializedKey;
    this.memcachedKey = memcachedKey;
    this.generation = generation;
    this.cas = cas;
    this.value = value;
    this.expiresAt = expiresAt;
  }

  /** This slot with its value dropped: what an undecodable entry looks like to the cache. */
  Slot withoutValue() {
    return new Slot(id, serializedKey, memcachedKey, generation, cas, null, 0L);
  }

  /** The same entry's item in another state: {@code cas} 0 and {@code value} null for no item. */
  Slot withState(long cas, byte[] value, long expiresAt) {
    return new Slot(id, serializedKey, memcachedKey(), generation, cas, value, expiresAt);
  }

  /** The item's memcached key (made from the read's generation and the id on first use). */
  byte[] memcachedKey() {
    byte[] key = memcachedKey;
    if (key == null) {
      key = generation.entryKey(id);
      memcachedKey = key; // a race makes two equal arrays, which is harmless
    }
    return key;
  }

  /** Whether an unexpired entry is present at {@code nowMillis}. */
  boolean present(long nowMillis) {
    return value != null && expiresAt > nowMillis;
  }

  /** Whether an entry is present but expired at {@code nowMillis}. */
  boolean expired(long nowMillis) {
    return value != null && expiresAt <= nowMillis;
  }
}
