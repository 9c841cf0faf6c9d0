package io.memjcache.internal.jcache;

import io.memjcache.internal.jcache.store.CorruptEntryException;
import io.memjcache.internal.jcache.store.Envelope;
import io.memjcache.internal.protocol.Response;

/**
 * Entries in a clear envelope, found under their serialized key. Hits are decoded in place: only
 * the value is copied out of the receive buffer.
 */
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
    checkFormat(envelope.formatId());
    if (!envelope.keyEquals(id)) {
      // another key whose long form hashed to the same memcached key: never return its value
      throw new CorruptEntryException("the entry belongs to another key");
    }
    return new Decoded(id, envelope.value(), envelope.expiresAt());
  }

  @Override
  public Decoded decode(byte[] id, Response hit) throws CorruptEntryException {
    // checks the key as decode(byte[], byte[]) does, and refuses encrypted entries
    Envelope.Value value = Envelope.decodeValue(hit.valueBuffer(), hit.valueIndex(), hit.valueLength(), id);
    checkFormat(value.formatId());
    return new Decoded(id, value.value(), value.expiresAt());
  }

  private void checkFormat(int stored) throws CorruptEntryException {
    if (stored != formatId) {
      throw new CorruptEntryException("the entry was written in value format " + stored + ", not " + formatId);
    }
  }
}
