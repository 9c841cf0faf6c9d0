package io.memjcache.internal.jcache;

import io.memjcache.internal.jcache.store.CorruptEntryException;
import io.memjcache.internal.protocol.Response;

/**
 * How one cache's entries look in memcached: the id that stands for a serialized key in memcached
 * keys and in the key index, and the bytes stored for an entry. The plain codec uses the serialized
 * key itself and a clear envelope; the encrypting codec uses a keyed hash and sealed envelopes.
 */
interface EntryCodec {
  /** The id of a serialized key: what memcached keys and index records are built from. */
  byte[] id(byte[] serializedKey);

  /** The bytes to store for an entry. */
  byte[] encode(byte[] id, byte[] serializedKey, byte[] serializedValue, long expiresAt);

  /** How many bytes {@link #encode} returns for this key and value, whatever the expiry. */
  int encodedLength(byte[] serializedKey, byte[] serializedValue);

  /**
   * Runs on the caller's thread before each read, so that what may block (such as re-reading a
   * key ring after a long idle time) happens there rather than on the I/O thread.
   */
  default void beforeRead() {}

  /**
   * Reads a hit found under {@code id} while its bytes are in the receive buffer. Every read decodes
   * this way, on the I/O thread as the hit arrives: it must be cheap and must never block (what
   * may block belongs in {@link #beforeRead()}).
   *
   * @throws CorruptEntryException if the hit is not a valid entry for that id (garbage, truncated,
   *     failed authentication, another key's entry)
   */
  Decoded decode(byte[] id, Response hit) throws CorruptEntryException;

  /** A decoded entry; the value is an array of its own, referenced by nothing else. */
  record Decoded(byte[] serializedKey, byte[] serializedValue, long expiresAt) {}
}
