package io.memjcache.internal.jcache;

import io.memjcache.internal.crypto.RejectedValueException;
import io.memjcache.internal.crypto.ValueSealer;
import io.memjcache.internal.jcache.store.CorruptEntryException;

/**
 * Entries sealed with authenticated encryption, found under a keyed hash of their serialized key
 * (unless key hashing is off), so memcached holds neither application keys nor values in clear.
 */
final class EncryptedEntryCodec implements EntryCodec {
  private final ValueSealer sealer;
  private final int formatId;

  EncryptedEntryCodec(ValueSealer sealer, int formatId) {
    this.sealer = sealer;
    this.formatId = formatId;
  }

  @Override
  public byte[] id(byte[] serializedKey) {
    return sealer.lookupKey(serializedKey);
  }

  @Override
  public byte[] encode(byte[] id, byte[] serializedKey, byte[] serializedValue, long expiresAt) {
    return sealer.seal(id, serializedKey, formatId, expiresAt, serializedValue);
  }

  @Override
  public Decoded decode(byte[] id, byte[] stored) throws CorruptEntryException {
    ValueSealer.Opened opened;
    try {
      opened = sealer.open(stored, id);
    } catch (RejectedValueException e) {
      throw new CorruptEntryException(e.getMessage());
    }
    if (opened.formatId() != formatId) {
      throw new CorruptEntryException("the entry was written in value format " + opened.formatId() + ", not " + formatId);
    }
    return new Decoded(opened.serializedKey(), opened.serializedValue(), opened.expiresAt());
  }

  ValueSealer sealer() {
    return sealer;
  }
}
