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
  public int encodedLength(byte[] serializedKey, byte[] serializedValue) {
    return Envelope.HEADER_LENGTH + Envelope.bodyLength(serializedKey, serializedValue);
  }

  @Override
  public Decoded decode(byte[] id, Response hit) throws CorruptEntryException {
    // refuses another key's entry (whose long form hashed to the same memcached key) and encrypted ones
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
