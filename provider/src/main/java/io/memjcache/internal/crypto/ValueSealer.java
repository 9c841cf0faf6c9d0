package io.memjcache.internal.crypto;

import io.memjcache.config.EncryptionKey;
import io.memjcache.config.KeyRing;
import io.memjcache.internal.crypto.RejectedValueException.Reason;
import io.memjcache.internal.jcache.store.CorruptEntryException;
import io.memjcache.internal.jcache.store.Envelope;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and opens the entries of one encrypted cache, and computes the lookup keys that stand for
 * its serialized keys in memcached. Thread-safe; one per cache (each is one "writer" with its own
 * random salt). The format is specified in {@code docs/ENVELOPE.md}:
 *
 * <pre>
 *   offset  size  field (all in the clear, all authenticated)
 *        0     1  format version, 1
 *        1     1  flags: 0x80 (encrypted) | value format id (bits 0-3)
 *        2     8  absolute expiry, epoch millis, big-endian
 *       10     1  algorithm: 1 AES-256-GCM, 2 AES-256-GCM-SIV
 *       11     2  key id, big-endian
 *       13    16  writer salt
 *       29    12  nonce
 *       41     n  ciphertext of the envelope body (key length, key, value length, value)
 *     41+n    16  tag
 *
 *   associated data = bytes 0-40 || be32(len) UTF-8 cache name || be32(len) lookup key
 * </pre>
 *
 * <p>Every rejection is counted ({@link #rejectedCount()}) and logged at most once per minute,
 * without key material.
 */
public final class ValueSealer {
  private static final System.Logger LOG = System.getLogger(ValueSealer.class.getName());

  /** Bytes before the ciphertext: header, algorithm, key id, writer salt, nonce. */
  public static final int PREFIX_LENGTH = Envelope.HEADER_LENGTH + 1 + 2 + WriterKey.SALT_LENGTH
      + AeadAlgorithm.NONCE_LENGTH;
  /** What sealing adds to the envelope body: the prefix and the tag (57 bytes). */
  public static final int OVERHEAD = PREFIX_LENGTH + AeadAlgorithm.TAG_LENGTH;
  /** Bytes of a lookup key when keys are hashed. */
  public static final int LOOKUP_KEY_LENGTH = 32;
  /** At most this many writer keys of other writers are kept derived. */
  static final int READER_CACHE_SIZE = 1024;
  /** Lookup keys remembered per cache (then forgotten all at once): about 100 bytes each. */
  static final int LOOKUP_CACHE_SIZE = 16_384;
  /**
   * Entries up to this size are sealed and opened in a buffer each thread keeps for their
   * plaintext (and clears after each use), larger ones in an array of their own.
   */
  static final int PLAINTEXT_BUFFER_LIMIT = 64 * 1024;
  private static final ThreadLocal<byte[]> PLAINTEXT_BUFFER = ThreadLocal.withInitial(() -> new byte[1024]);
  /** One rejection line per this interval at most. */
  static final long LOG_INTERVAL_NANOS = 60_000_000_000L;

  private static final int ALGORITHM_OFFSET = Envelope.HEADER_LENGTH;
  private static final int KEY_ID_OFFSET = ALGORITHM_OFFSET + 1;
  private static final int SALT_OFFSET = KEY_ID_OFFSET + 2;
  private static final int NONCE_OFFSET = SALT_OFFSET + WriterKey.SALT_LENGTH;
  /** The shortest body: an empty key and an empty value. */
  private static final int MIN_BODY = 2;

  private final String cacheName;
  private final byte[] aadCacheName;
  private final AeadAlgorithm algorithm;
  private final boolean hashKeys;
  private final RefreshingKeyRing ring;
  private final Entropy entropy;
  private final long writerKeyLimit;
  private final ThreadLocal<Mac> lookupMac;
  private final ConcurrentHashMap<SerializedKey, byte[]> lookupKeys = new ConcurrentHashMap<>();
  private final RateLimitedLog rejectionLog;
  private final LongAdder rejected = new LongAdder();
  private final EnumMap<Reason, LongAdder> rejectedBy = new EnumMap<>(Reason.class);
  private final LongAdder writerKeys = new LongAdder();
  private volatile RingKeys keys;

  ValueSealer(String cacheName, AeadAlgorithm algorithm, boolean hashKeys, RefreshingKeyRing ring, Entropy entropy,
      long writerKeyLimit, RateLimitedLog rejectionLog) {
    this.cacheName = Objects.requireNonNull(cacheName, "cacheName");
    byte[] name = cacheName.getBytes(StandardCharsets.UTF_8);
    this.aadCacheName = ByteBuffer.allocate(4 + name.length).putInt(name.length).put(name).array();
    this.algorithm = algorithm;
    this.hashKeys = hashKeys;
    this.ring = ring;
    this.entropy = entropy;
    if (writerKeyLimit < 1) {
      throw new IllegalArgumentException("writerKeyLimit must be positive, was " + writerKeyLimit);
    }
    this.writerKeyLimit = writerKeyLimit;
    this.rejectionLog = rejectionLog != null ? rejectionLog
        : new RateLimitedLog(line -> LOG.log(System.Logger.Level.WARNING, line), LOG_INTERVAL_NANOS, System::nanoTime);
    for (Reason reason : Reason.values()) {
      rejectedBy.put(reason, new LongAdder());
    }
    if (hashKeys) {
      byte[] master = ring.hashingKey().material();
      byte[] lookupKeyKey = KeyDerivation.cacheLookupKey(master, cacheName);
      Arrays.fill(master, (byte) 0);
      SecretKeySpec spec = new SecretKeySpec(lookupKeyKey, "HmacSHA256");
      Arrays.fill(lookupKeyKey, (byte) 0);
      this.lookupMac = ThreadLocal.withInitial(() -> {
        try {
          Mac mac = Mac.getInstance("HmacSHA256");
          mac.init(spec);
          return mac;
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException("the JDK has no HmacSHA256", e);
        }
      });
    } else {
      this.lookupMac = null;
    }
  }

  public String cacheName() {
    return cacheName;
  }

  /** Whether lookup keys are HMACs (otherwise they are the serialized keys themselves). */
  public boolean hashesKeys() {
    return hashKeys;
  }

  /**
   * What stands for {@code serializedKey} in memcached keys and in the key index: with key
   * hashing, the {@value #LOOKUP_KEY_LENGTH}-byte HMAC-SHA256 of it under this cache's lookup key
   * (stable across key rotation); otherwise {@code serializedKey} itself (the same array). The
   * HMACs of the last {@value #LOOKUP_CACHE_SIZE} or so keys are remembered and the same array is
   * returned again: callers must not change it.
   */
  public byte[] lookupKey(byte[] serializedKey) {
    Objects.requireNonNull(serializedKey, "serializedKey");
    if (!hashKeys) {
      return serializedKey;
    }
    SerializedKey known = new SerializedKey(serializedKey);
    byte[] lookupKey = lookupKeys.get(known);
    if (lookupKey == null) {
      lookupKey = lookupMac.get().doFinal(serializedKey);
      if (lookupKeys.size() >= LOOKUP_CACHE_SIZE) {
        lookupKeys.clear();
      }
      lookupKeys.put(new SerializedKey(serializedKey.clone()), lookupKey);
    }
    return lookupKey;
  }

  /**
   * A serialized key as a map key. Hot keys are looked up far more often than they change, and an
   * HMAC costs several times a map lookup; the hashing key never changes for a sealer's lifetime.
   */
  private static final class SerializedKey {
    private final byte[] bytes;
    private final int hash;

    SerializedKey(byte[] bytes) {
      this.bytes = bytes;
      this.hash = Arrays.hashCode(bytes);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof SerializedKey other && other.hash == hash && Arrays.equals(other.bytes, bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /**
   * The complete bytes to store for an entry, sealed with the primary key.
   *
   * @param lookupKey {@code lookupKey(serializedKey)}: bound into the associated data
   * @param formatId the value serializer's format id, 0 to 15
   * @param expiresAt absolute expiry in epoch millis, {@link Envelope#ETERNAL} for none
   */
  public byte[] seal(byte[] lookupKey, byte[] serializedKey, int formatId, long expiresAt, byte[] serializedValue) {
    Objects.requireNonNull(lookupKey, "lookupKey");
    if ((formatId & ~Envelope.FORMAT_MASK) != 0) {
      throw new IllegalArgumentException("format id must be 0-15: " + formatId);
    }
    byte[] header = Envelope.encodeHeader(Envelope.FLAG_ENCRYPTED | formatId, expiresAt);
    WriterKey writer = keys().writer(); // first: reading the key ring may run application code
    int length = Envelope.bodyLength(serializedKey, serializedValue);
    byte[] body = plaintextBuffer(length);
    Envelope.writeBody(serializedKey, serializedValue, body, 0);
    try {
      return sealBody(writer, header, body, length, lookupKey);
    } finally {
      Arrays.fill(body, 0, length, (byte) 0);
    }
  }

  /**
   * The entry {@code opened} with another expiry, sealed again (with a fresh nonce, and the
   * current primary key): the expiry is authenticated, so it cannot be changed in place.
   */
  public byte[] reseal(Opened opened, byte[] lookupKey, long newExpiresAt) {
    Objects.requireNonNull(lookupKey, "lookupKey");
    byte[] header = Envelope.encodeHeader(Envelope.FLAG_ENCRYPTED | opened.formatId(), newExpiresAt);
    byte[] body = Envelope.encodeBody(opened.key, opened.value);
    try {
      return sealBody(keys().writer(), header, body, body.length, lookupKey);
    } finally {
      Arrays.fill(body, (byte) 0);
    }
  }

  /** Seals the first {@code length} bytes of {@code body} with {@code writer}, which has counted this use. */
  private byte[] sealBody(WriterKey writer, byte[] header, byte[] body, int length, byte[] lookupKey) {
    byte[] out = new byte[PREFIX_LENGTH + length + AeadAlgorithm.TAG_LENGTH];
    System.arraycopy(header, 0, out, 0, Envelope.HEADER_LENGTH);
    out[ALGORITHM_OFFSET] = (byte) algorithm.id();
    out[KEY_ID_OFFSET] = (byte) (writer.keyId >>> 8);
    out[KEY_ID_OFFSET + 1] = (byte) writer.keyId;
    System.arraycopy(writer.salt, 0, out, SALT_OFFSET, WriterKey.SALT_LENGTH);
    byte[] nonce = new byte[AeadAlgorithm.NONCE_LENGTH];
    entropy.nextBytes(nonce);
    System.arraycopy(nonce, 0, out, NONCE_OFFSET, nonce.length);
    algorithm.seal(writer.key, nonce, aad(out, lookupKey), body, 0, length, out, PREFIX_LENGTH);
    return out;
  }

  /**
   * Opens stored bytes found under {@code lookupKey}. Does not look at the expiry: the caller
   * does, as for clear entries.
   *
   * @throws RejectedValueException (counted and logged here) if the bytes are not an entry this
   *     cache sealed for this lookup key and expiry with a key the ring still accepts
   */
  public Opened open(byte[] stored, byte[] lookupKey) throws RejectedValueException {
    Objects.requireNonNull(stored, "stored");
    return open(ByteBuffer.wrap(stored), lookupKey, true);
  }

  /**
   * As {@link #open}, for the I/O thread and an entry that is still in the receive buffer: the
   * bytes between {@code stored}'s position and limit, read without moving either. Never reads
   * the key ring source (an overdue ring is re-read in the background; {@link #refreshKeyRing()}
   * on the caller's thread before the read is what keeps a long-idle JVM from opening with a key
   * retired meanwhile).
   */
  public Opened openWithoutBlocking(ByteBuffer stored, byte[] lookupKey) throws RejectedValueException {
    Objects.requireNonNull(stored, "stored");
    return open(stored, lookupKey, false);
  }

  /**
   * Re-reads the key ring now if it has been idle for so long that it must be read before it is
   * used (see {@link RefreshingKeyRing}); starts a background reading if one is merely due.
   */
  public void refreshKeyRing() {
    ring.current();
  }

  /**
   * Copies the entry into this thread's plaintext buffer, decrypts it there in place, copies out
   * the key and value, and clears the buffer: the copies are the only arrays an entry costs (the
   * value's is the one the caller keeps), and no plaintext stays behind in the buffer.
   */
  private Opened open(ByteBuffer stored, byte[] lookupKey, boolean mayRead) throws RejectedValueException {
    Objects.requireNonNull(lookupKey, "lookupKey");
    int length = stored.remaining();
    if (length < Envelope.HEADER_LENGTH) {
      throw reject(Reason.MALFORMED, -1, "entry of " + length + " bytes is shorter than the header");
    }
    // the ring first: reading it may run application code, which may seal or open on this thread
    RingKeys k = keys(mayRead ? ring.current() : ring.currentWithoutReading());
    byte[] buf = plaintextBuffer(length);
    stored.get(stored.position(), buf, 0, length);
    try {
      return openInPlace(buf, length, lookupKey, k);
    } finally {
      Arrays.fill(buf, 0, length, (byte) 0);
    }
  }

  /** This thread's plaintext buffer, at least {@code length} bytes; a fresh array for unusually large entries. */
  static byte[] plaintextBuffer(int length) {
    if (length > PLAINTEXT_BUFFER_LIMIT) {
      return new byte[length];
    }
    byte[] buf = PLAINTEXT_BUFFER.get();
    if (buf.length < length) {
      buf = new byte[Math.min(PLAINTEXT_BUFFER_LIMIT, Math.max(length, 2 * buf.length))];
      PLAINTEXT_BUFFER.set(buf);
    }
    return buf;
  }

  /** Opens the entry in {@code buf[0, length)}, decrypting it in place. */
  private Opened openInPlace(byte[] buf, int length, byte[] lookupKey, RingKeys k) throws RejectedValueException {
    Envelope.Header header;
    try {
      header = Envelope.decodeHeader(buf);
    } catch (CorruptEntryException e) {
      throw reject(Reason.MALFORMED, -1, e.getMessage());
    }
    if (!header.encrypted()) {
      throw reject(Reason.PLAINTEXT, -1, "a clear entry in an encrypted cache");
    }
    if (length < OVERHEAD + MIN_BODY) {
      throw reject(Reason.MALFORMED, -1, "an encrypted entry of " + length + " bytes is too short");
    }
    AeadAlgorithm sealedWith = AeadAlgorithm.byId(buf[ALGORITHM_OFFSET] & 0xFF);
    if (sealedWith == null) {
      throw reject(Reason.MALFORMED, -1, "unknown algorithm id " + (buf[ALGORITHM_OFFSET] & 0xFF));
    }
    int keyId = (buf[KEY_ID_OFFSET] & 0xFF) << 8 | (buf[KEY_ID_OFFSET + 1] & 0xFF);
    EncryptionKey key = k.ring.key(keyId).orElse(null);
    if (key == null) {
      ring.refreshSoon();
      throw reject(Reason.UNKNOWN_KEY, keyId, "sealed by key id " + keyId + ", which the key ring does not list");
    }
    if (key.state() == EncryptionKey.State.RETIRED) {
      throw reject(Reason.RETIRED_KEY, keyId, "sealed by key id " + keyId + ", which is retired");
    }
    byte[] writerKey = k.writerKeyOf(sealedWith, keyId, buf);
    byte[] nonce = Arrays.copyOfRange(buf, NONCE_OFFSET, PREFIX_LENGTH);
    byte[] aad = aad(buf, lookupKey);
    if (!sealedWith.openInPlace(writerKey, nonce, aad, buf, PREFIX_LENGTH, length - PREFIX_LENGTH)) {
      throw reject(Reason.AUTHENTICATION_FAILED, keyId, "failed authentication (sealed by key id " + keyId + ")");
    }
    Envelope body;
    try {
      body = Envelope.decodeBody(header, buf, PREFIX_LENGTH, length - OVERHEAD);
    } catch (CorruptEntryException e) {
      throw reject(Reason.MALFORMED, keyId, "authentic but malformed body: " + e.getMessage());
    }
    return new Opened(body.key(), body.value(), header.flags(), header.expiresAt(), keyId);
  }

  /** bytes 0-40 of the entry, be32 length and UTF-8 cache name, be32 length and lookup key. */
  private byte[] aad(byte[] entry, byte[] lookupKey) {
    byte[] aad = new byte[PREFIX_LENGTH + aadCacheName.length + 4 + lookupKey.length];
    System.arraycopy(entry, 0, aad, 0, PREFIX_LENGTH);
    System.arraycopy(aadCacheName, 0, aad, PREFIX_LENGTH, aadCacheName.length);
    int pos = PREFIX_LENGTH + aadCacheName.length;
    aad[pos] = (byte) (lookupKey.length >>> 24);
    aad[pos + 1] = (byte) (lookupKey.length >>> 16);
    aad[pos + 2] = (byte) (lookupKey.length >>> 8);
    aad[pos + 3] = (byte) lookupKey.length;
    System.arraycopy(lookupKey, 0, aad, pos + 4, lookupKey.length);
    return aad;
  }

  private RejectedValueException reject(Reason reason, int keyId, String detail) {
    rejected.increment();
    rejectedBy.get(reason).increment();
    rejectionLog.log(() -> "memjcache: cache '" + cacheName + "' rejected a stored value (" + detail + "); "
        + rejected.sum() + " rejected so far. Rejected values are misses; further rejections in the next minute"
        + " are counted but not logged.");
    return new RejectedValueException(reason, keyId, "cache '" + cacheName + "': stored value " + detail);
  }

  /** Values rejected so far, for any reason. */
  public long rejectedCount() {
    return rejected.sum();
  }

  /** Values rejected so far for {@code reason}. */
  public long rejectedCount(Reason reason) {
    return rejectedBy.get(reason).sum();
  }

  /** The id of the key that seals new values now. */
  public int primaryKeyId() {
    return keys().ring.primary().id();
  }

  /** Writer keys (salts) this sealer has drawn so far. */
  long writerKeysDrawn() {
    return writerKeys.sum();
  }

  @Override
  public String toString() {
    return "ValueSealer{cache=" + cacheName + ", " + algorithm + ", hashKeys=" + hashKeys + "}";
  }

  private RingKeys keys() {
    return keys(ring.current());
  }

  private RingKeys keys(KeyRing current) {
    RingKeys k = keys;
    if (k != null && k.ring == current) {
      return k;
    }
    synchronized (this) {
      k = keys;
      if (k == null || k.ring != current) {
        k = new RingKeys(current);
        keys = k;
      }
      return k;
    }
  }

  /** The keys derived for this cache from one ring snapshot. */
  private final class RingKeys {
    final KeyRing ring;
    private final Map<Integer, byte[]> cacheValueKeys = new HashMap<>();
    /** Writer keys by (algorithm id, key id, salt): the 19 bytes at offset 10 of an entry. */
    private final ConcurrentHashMap<ByteBuffer, byte[]> writerKeysByPrefix = new ConcurrentHashMap<>();
    private volatile WriterKey writer;

    RingKeys(KeyRing ring) {
      this.ring = ring;
      for (EncryptionKey key : ring.keys()) {
        if (key.state() != EncryptionKey.State.RETIRED) {
          byte[] master = key.material();
          cacheValueKeys.put(key.id(), KeyDerivation.cacheValueKey(master, cacheName));
          Arrays.fill(master, (byte) 0);
        }
      }
    }

    /** A writer key with a use left, drawing a new salt when the current one is used up. */
    WriterKey writer() {
      for (;;) {
        WriterKey w = writer;
        if (w != null && w.tryUse()) {
          return w;
        }
        replaceWriter(w);
      }
    }

    private synchronized void replaceWriter(WriterKey usedUp) {
      if (writer != usedUp) {
        return; // another thread replaced it
      }
      int keyId = ring.primary().id();
      byte[] salt = new byte[WriterKey.SALT_LENGTH];
      entropy.nextBytes(salt);
      byte[] key = KeyDerivation.writerKey(cacheValueKeys.get(keyId), salt, algorithm);
      WriterKey fresh = new WriterKey(keyId, salt, key, writerKeyLimit);
      remember(cacheKey(algorithm.id(), keyId, salt, 0), key);
      writerKeys.increment();
      writer = fresh;
    }

    byte[] writerKeyOf(AeadAlgorithm sealedWith, int keyId, byte[] stored) {
      ByteBuffer id = cacheKey(sealedWith.id(), keyId, stored, SALT_OFFSET);
      byte[] key = writerKeysByPrefix.get(id);
      if (key == null) {
        byte[] salt = Arrays.copyOfRange(stored, SALT_OFFSET, SALT_OFFSET + WriterKey.SALT_LENGTH);
        key = KeyDerivation.writerKey(cacheValueKeys.get(keyId), salt, sealedWith);
        remember(id, key);
      }
      return key;
    }

    private void remember(ByteBuffer id, byte[] key) {
      if (writerKeysByPrefix.size() >= READER_CACHE_SIZE) {
        writerKeysByPrefix.clear();
      }
      writerKeysByPrefix.put(id, key);
    }

    private ByteBuffer cacheKey(int algorithmId, int keyId, byte[] salt, int saltOffset) {
      byte[] id = new byte[3 + WriterKey.SALT_LENGTH];
      id[0] = (byte) algorithmId;
      id[1] = (byte) (keyId >>> 8);
      id[2] = (byte) keyId;
      System.arraycopy(salt, saltOffset, id, 3, WriterKey.SALT_LENGTH);
      return ByteBuffer.wrap(id);
    }
  }

  /**
   * An opened entry: copies of its serialized key and value (from the decrypted envelope body),
   * format id, expiry and the id of the key that sealed it.
   */
  public static final class Opened {
    private final byte[] key;
    private final byte[] value;
    private final int flags;
    private final long expiresAt;
    private final int keyId;

    Opened(byte[] key, byte[] value, int flags, long expiresAt, int keyId) {
      this.key = key;
      this.value = value;
      this.flags = flags;
      this.expiresAt = expiresAt;
      this.keyId = keyId;
    }

    /** The serialized key (this object's copy: the caller may keep it, but not change it). */
    public byte[] serializedKey() {
      return key;
    }

    /** The serialized value (this object's copy: the caller may keep it, but not change it). */
    public byte[] serializedValue() {
      return value;
    }

    /** Whether the serialized key equals {@code serializedKey}. */
    public boolean keyEquals(byte[] serializedKey) {
      return Arrays.equals(key, serializedKey);
    }

    public int formatId() {
      return flags & Envelope.FORMAT_MASK;
    }

    /** Absolute expiry in epoch millis; {@link Envelope#ETERNAL} for none. */
    public long expiresAt() {
      return expiresAt;
    }

    /** The id of the key that sealed the entry. */
    public int keyId() {
      return keyId;
    }

    @Override
    public String toString() {
      return "Opened{keyId=" + keyId + ", format=" + formatId() + ", key=" + key.length + "B, value=" + value.length
          + "B, expiresAt=" + expiresAt + "}";
    }
  }
}
