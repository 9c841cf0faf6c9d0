package io.memjcache.internal.jcache;

import io.memjcache.internal.jcache.store.CorruptEntryException;
import io.memjcache.internal.jcache.store.Envelope;

/** Entries in a clear envelope, found under their serialized key. */
final class PlainEntryCodec implements EntryCodec {
  private final int formatId;

  PlainEntryCodec(int formatId) {
    this.formatId = formatId;
  }

  @Override
  public byte[] id(byte[] serializedKey) {
    return serializedKey;
  }

  @Override
  public byte[] encode(byte[] id, byte[] serializedKey, byte[] serializedValue, long expiresAt) {
    return Envelope.encode(formatId, expiresAt, serializedKey, serializedValue);
  }

  @Override
  public Decoded decode(byte[] id, byte[] stored) throws CorruptEntryException {
    Envelope envelope = Envelope.decode(stored);
    if (envelope.encrypted()) {
      throw new CorruptEntryException("an encrypted entry in a cache without encryption");
    }
    if (envelope.formatId() != formatId) {
      throw new CorruptEntryException("the entry was written in value format " + envelope.formatId() + ", not " + formatId);
    }
    if (!envelope.keyEquals(id)) {
      // another key whose long form hashed to the same memcached key: never return its value
      throw new CorruptEntryException("the entry belongs to another key");
    }
    return new Decoded(id, envelope.value(), envelope.expiresAt());
  }
}
