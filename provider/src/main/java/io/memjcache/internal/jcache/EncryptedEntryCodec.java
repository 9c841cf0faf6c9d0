package io.memjcache.internal.jcache;

import io.memjcache.internal.crypto.RejectedValueException;
import io.memjcache.internal.crypto.ValueSealer;
import io.memjcache.internal.jcache.store.CorruptEntryException;
import io.memjcache.internal.jcache.store.Envelope;
import io.memjcache.internal.protocol.Response;

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
  public int encodedLength(byte[] serializedKey, byte[] serializedValue) {
    return ValueSealer.OVERHEAD + Envelope.bodyLength(serializedKey, serializedValue);
  }

  /** Re-reads the key ring here if it is overdue, so that opening on the I/O thread never does. */
  @Override
  public void beforeRead() {
    sealer.refreshKeyRing();
  }

  /**
   * Opens the hit where it lies in the receive buffer, on the I/O thread as it arrives (about
   * 1.9 µs per 4 KiB and 0.5 µs per 100 B, benchmarks/SealBenchmark): a getAll decrypts each burst
   * of answers while memcached prepares the next, and AsyncCache reads of encrypted caches
   * complete without a worker thread. The key ring is never read here (see {@link #beforeRead()}).
   */
  @Override
  public Decoded decode(byte[] id, Response hit) throws CorruptEntryException {
    ValueSealer.Opened opened;
    try {
      opened = sealer.openWithoutBlocking(hit.valueBuffer().nioBuffer(hit.valueIndex(), hit.valueLength()), id);
    } catch (RejectedValueException e) {
      throw new CorruptEntryException(e.getMessage());
    }
    return decoded(opened);
  }

  private Decoded decoded(ValueSealer.Opened opened) throws CorruptEntryException {
    if (opened.formatId() != formatId) {
      throw new CorruptEntryException("the entry was written in value format " + opened.formatId() + ", not " + formatId);
    }
    return new Decoded(opened.serializedKey(), opened.serializedValue(), opened.expiresAt());
  }

  ValueSealer sealer() {
    return sealer;
  }
}
