package io.memjcache.internal.jcache.store;

import io.memjcache.internal.protocol.Frames;
import io.netty.buffer.ByteBuf;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * The bytes stored in memcached for one cache entry, and a decoded view of them that points into
 * the buffer it was read from instead of copying the key and value.
 *
 * <pre>
 *   offset  size  field
 *        0     1  format version, {@value #VERSION}
 *        1     1  flags: bits 0-3 value format id (Serializer.formatId()), bit 7 encrypted,
 *                 bits 4-6 reserved (zero)
 *        2     8  absolute expiry, epoch millis, big-endian; Long.MAX_VALUE = eternal
 *       10     n  body: serialized key length (unsigned varint), serialized key,
 *                 serialized value length (unsigned varint), serialized value
 * </pre>
 *
 * <p>Both lengths are explicit, so a truncated or extended entry is detected and never decoded
 * into a shorter or longer value.
 *
 * <p>The key is stored in full so that iteration can recover it and so that two keys sharing a
 * hashed memcached key are told apart. With the encrypted bit set, the body is ciphertext that the
 * encryption layer (a later issue) opens with the header as associated data; it then parses the
 * plaintext with {@link #decodeBody}. {@link #decode} rejects such entries.
 */
public final class Envelope {
  private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  /** The format version written by {@link #encode}. */
  public static final int VERSION = 1;
  /** Version, flags and expiry. */
  public static final int HEADER_LENGTH = 10;
  /** The flag bit saying that the body is encrypted. */
  public static final int FLAG_ENCRYPTED = 0x80;
  /** The flag bits holding the value's format id. */
  public static final int FORMAT_MASK = 0x0F;
  /** Flag bits no version-1 writer sets; a reader rejects entries that have them. */
  static final int RESERVED_MASK = 0x70;
  /** The expiry of an entry that never expires. */
  public static final long ETERNAL = Long.MAX_VALUE;

  private final byte[] buffer;
  private final boolean wholeEnvelope;
  private final int flags;
  private final long expiresAt;
  private final int keyOffset;
  private final int keyLength;
  private final int valueOffset;
  private final int valueLength;

  private Envelope(byte[] buffer, boolean wholeEnvelope, int flags, long expiresAt,
      int keyOffset, int keyLength, int valueOffset, int valueLength) {
    this.buffer = buffer;
    this.wholeEnvelope = wholeEnvelope;
    this.flags = flags;
    this.expiresAt = expiresAt;
    this.keyOffset = keyOffset;
    this.keyLength = keyLength;
    this.valueOffset = valueOffset;
    this.valueLength = valueLength;
  }

  /**
   * Encodes an unencrypted entry in one allocation.
   *
   * @param formatId the value serializer's format id, 0 to 15
   * @param expiresAt absolute expiry in epoch millis, {@link #ETERNAL} for none; not negative
   */
  public static byte[] encode(int formatId, long expiresAt, byte[] key, byte[] value) {
    if ((formatId & ~FORMAT_MASK) != 0) {
      throw new IllegalArgumentException("format id must be 0-15: " + formatId);
    }
    byte[] header = encodeHeader(formatId, expiresAt);
    byte[] out = new byte[HEADER_LENGTH + bodyLength(key, value)];
    System.arraycopy(header, 0, out, 0, HEADER_LENGTH);
    writeBody(key, value, out, HEADER_LENGTH);
    return out;
  }

  /**
   * The 10-byte header alone: for the encryption layer, which authenticates it as associated data
   * and appends the ciphertext of {@link #encodeBody}.
   *
   * @param flags format id in bits 0-3, optionally {@link #FLAG_ENCRYPTED}
   */
  public static byte[] encodeHeader(int flags, long expiresAt) {
    if ((flags & ~(FORMAT_MASK | FLAG_ENCRYPTED)) != 0) {
      throw new IllegalArgumentException("flags must hold a format id 0-15 and the encrypted bit only: " + flags);
    }
    if (expiresAt < 0) {
      throw new IllegalArgumentException("expiresAt must not be negative: " + expiresAt);
    }
    byte[] header = new byte[HEADER_LENGTH];
    header[0] = VERSION;
    header[1] = (byte) flags;
    for (int i = 0; i < 8; i++) {
      header[2 + i] = (byte) (expiresAt >>> (56 - 8 * i));
    }
    return header;
  }

  /** The body alone (key length, key, value): the plaintext the encryption layer encrypts. */
  public static byte[] encodeBody(byte[] key, byte[] value) {
    byte[] out = new byte[bodyLength(key, value)];
    writeBody(key, value, out, 0);
    return out;
  }

  /** Bytes of the body of an entry with this key and value. */
  public static int bodyLength(byte[] key, byte[] value) {
    long total = (long) Varints.size(key.length) + key.length + Varints.size(value.length) + value.length;
    if (total > Integer.MAX_VALUE - 64) {
      throw new IllegalArgumentException("entry too large: " + total + " bytes");
    }
    return (int) total;
  }

  /** Writes the body ({@link #bodyLength} bytes) into {@code out} at {@code offset}. */
  public static void writeBody(byte[] key, byte[] value, byte[] out, int offset) {
    int pos = Varints.write(key.length, out, offset);
    System.arraycopy(key, 0, out, pos, key.length);
    pos = Varints.write(value.length, out, pos + key.length);
    System.arraycopy(value, 0, out, pos, value.length);
  }

  /**
   * Decodes an unencrypted entry without copying: the result points into {@code bytes}, which the
   * caller must not change afterwards.
   *
   * @throws CorruptEntryException if the bytes are not a complete version-1 unencrypted envelope
   */
  public static Envelope decode(byte[] bytes) throws CorruptEntryException {
    Header header = decodeHeader(bytes);
    if (header.encrypted()) {
      throw new CorruptEntryException("entry is encrypted and this cache has no encryption configured");
    }
    return parseBody(header, bytes, HEADER_LENGTH, bytes.length - HEADER_LENGTH, true);
  }

  /**
   * Decodes an unencrypted entry that lies in {@code in} at {@code index} for {@code length} bytes
   * (a receive buffer) and copies out only its value, into an array of exactly the value's size.
   * Reads {@code in} with absolute gets only.
   *
   * @param expectedKey the serialized key the entry must carry
   * @throws CorruptEntryException if the bytes are not a complete version-1 unencrypted envelope,
   *     or carry another key
   */
  public static Value decodeValue(ByteBuf in, int index, int length, byte[] expectedKey) throws CorruptEntryException {
    if (length < HEADER_LENGTH) {
      throw new CorruptEntryException("entry of " + length + " bytes is shorter than the header");
    }
    // One bulk read of everything before the value (header, key length, key, value length) when
    // the key is the expected one; it is parsed from the array, then the value is copied out once.
    int headLength = Math.min(length, HEADER_LENGTH + 2 * Varints.MAX_LENGTH + expectedKey.length);
    byte[] head = Frames.scratch(headLength);
    in.getBytes(index, head, 0, headLength);
    Header header = checkHeader(head[0] & 0xFF, head[1] & 0xFF, (long) LONG_BE.get(head, 2));
    if (header.encrypted()) {
      throw new CorruptEntryException("entry is encrypted and this cache has no encryption configured");
    }
    long varint = Varints.read(head, HEADER_LENGTH, headLength);
    if (varint < 0) {
      throw new CorruptEntryException("entry has a truncated or malformed key length");
    }
    int keyLength = (int) (varint >>> 8);
    int keyOffset = HEADER_LENGTH + (int) (varint & 0xFF);
    if (keyLength > length - keyOffset) {
      throw new CorruptEntryException("entry key length " + keyLength + " exceeds the " + (length - keyOffset) + " bytes left");
    }
    if (keyLength != expectedKey.length
        || !Arrays.equals(head, keyOffset, keyOffset + keyLength, expectedKey, 0, keyLength)) {
      throw new CorruptEntryException("the entry belongs to another key");
    }
    int keyEnd = keyOffset + keyLength;
    varint = Varints.read(head, keyEnd, headLength);
    if (varint < 0) {
      throw new CorruptEntryException("entry has a truncated or malformed value length");
    }
    int valueLength = (int) (varint >>> 8);
    int valueOffset = keyEnd + (int) (varint & 0xFF);
    if (valueLength != length - valueOffset) {
      throw new CorruptEntryException(
          "entry value length " + valueLength + " does not match the " + (length - valueOffset) + " bytes left");
    }
    byte[] value = new byte[valueLength];
    in.getBytes(index + valueOffset, value);
    return new Value(header.flags(), header.expiresAt(), value);
  }

  /**
   * Decodes and checks the header only; the body starts at {@link #HEADER_LENGTH}.
   *
   * @throws CorruptEntryException if the header is short, of another version, has reserved flag
   *     bits set or a negative expiry
   */
  public static Header decodeHeader(byte[] bytes) throws CorruptEntryException {
    if (bytes.length < HEADER_LENGTH) {
      throw new CorruptEntryException("entry of " + bytes.length + " bytes is shorter than the header");
    }
    long expiresAt = 0;
    for (int i = 0; i < 8; i++) {
      expiresAt = expiresAt << 8 | (bytes[2 + i] & 0xFF);
    }
    return checkHeader(bytes[0] & 0xFF, bytes[1] & 0xFF, expiresAt);
  }

  private static Header checkHeader(int version, int flags, long expiresAt) throws CorruptEntryException {
    if (version != VERSION) {
      throw new CorruptEntryException("unknown entry format version " + version);
    }
    if ((flags & RESERVED_MASK) != 0) {
      throw new CorruptEntryException("entry has reserved flag bits set: 0x" + Integer.toHexString(flags));
    }
    if (expiresAt < 0) {
      throw new CorruptEntryException("entry has a negative expiry");
    }
    return new Header(flags, expiresAt);
  }

  /**
   * Decodes a body (for example decrypted plaintext) that belongs to {@code header}; the result
   * points into {@code body}.
   *
   * @throws CorruptEntryException if a length is malformed or does not match the body's size
   */
  public static Envelope decodeBody(Header header, byte[] body, int offset, int length) throws CorruptEntryException {
    Objects.requireNonNull(header, "header");
    Objects.checkFromIndexSize(offset, length, body.length);
    return parseBody(header, body, offset, length, false);
  }

  private static Envelope parseBody(Header header, byte[] bytes, int offset, int length, boolean whole)
      throws CorruptEntryException {
    int limit = offset + length;
    long varint = Varints.read(bytes, offset, limit);
    if (varint < 0) {
      throw new CorruptEntryException("entry has a truncated or malformed key length");
    }
    int keyLength = (int) (varint >>> 8);
    int keyOffset = offset + (int) (varint & 0xFF);
    if (keyLength > limit - keyOffset) {
      throw new CorruptEntryException(
          "entry key length " + keyLength + " exceeds the " + (limit - keyOffset) + " bytes left");
    }
    int keyEnd = keyOffset + keyLength;
    varint = Varints.read(bytes, keyEnd, limit);
    if (varint < 0) {
      throw new CorruptEntryException("entry has a truncated or malformed value length");
    }
    int valueLength = (int) (varint >>> 8);
    int valueOffset = keyEnd + (int) (varint & 0xFF);
    if (valueLength != limit - valueOffset) {
      throw new CorruptEntryException(
          "entry value length " + valueLength + " does not match the " + (limit - valueOffset) + " bytes left");
    }
    return new Envelope(bytes, whole, header.flags(), header.expiresAt(),
        keyOffset, keyLength, valueOffset, valueLength);
  }

  /** The buffer the offsets refer to (not a copy). */
  public byte[] buffer() {
    return buffer;
  }

  /** The value's format id, compared by the cache with its value serializer's. */
  public int formatId() {
    return flags & FORMAT_MASK;
  }

  /** Whether the entry was stored encrypted (only after {@link #decodeBody}). */
  public boolean encrypted() {
    return (flags & FLAG_ENCRYPTED) != 0;
  }

  /** Absolute expiry in epoch millis; {@link #ETERNAL} if none. */
  public long expiresAt() {
    return expiresAt;
  }

  /** Whether the entry has expired at {@code nowMillis}. */
  public boolean isExpired(long nowMillis) {
    return ExpiryMath.isExpired(expiresAt, nowMillis);
  }

  public int keyOffset() {
    return keyOffset;
  }

  public int keyLength() {
    return keyLength;
  }

  public int valueOffset() {
    return valueOffset;
  }

  public int valueLength() {
    return valueLength;
  }

  /** Whether the stored key equals {@code serializedKey}, without copying. */
  public boolean keyEquals(byte[] serializedKey) {
    return Arrays.equals(buffer, keyOffset, keyOffset + keyLength, serializedKey, 0, serializedKey.length);
  }

  /** A copy of the serialized key. */
  public byte[] key() {
    return Arrays.copyOfRange(buffer, keyOffset, keyOffset + keyLength);
  }

  /** A copy of the serialized value. */
  public byte[] value() {
    return Arrays.copyOfRange(buffer, valueOffset, valueOffset + valueLength);
  }

  /**
   * A copy of this unencrypted envelope with another expiry, so that an access or update that
   * only moves the expiry needs no re-serialization.
   *
   * @throws IllegalStateException if this came from {@link #decodeBody} (its header is
   *     authenticated: re-encode instead)
   */
  public byte[] encodeWithExpiresAt(long newExpiresAt) {
    if (!wholeEnvelope) {
      throw new IllegalStateException("only an envelope decoded by decode(byte[]) can be re-stamped");
    }
    byte[] header = encodeHeader(flags, newExpiresAt);
    byte[] out = buffer.clone();
    System.arraycopy(header, 0, out, 0, HEADER_LENGTH);
    return out;
  }

  @Override
  public String toString() {
    return "Envelope{format=" + formatId() + ", encrypted=" + encrypted() + ", expiresAt=" + expiresAt
        + ", key=" + keyLength + "B, value=" + valueLength + "B}";
  }

  /**
   * An entry's value, copied out of the bytes it was read from, with its header's fields.
   *
   * @param flags the flags byte (format id, encrypted bit)
   * @param expiresAt absolute expiry in epoch millis
   * @param value the serialized value, an array of its own
   */
  public record Value(int flags, long expiresAt, byte[] value) {
    public int formatId() {
      return flags & FORMAT_MASK;
    }
  }

  /**
   * A checked envelope header.
   *
   * @param flags the flags byte (format id, encrypted bit)
   * @param expiresAt absolute expiry in epoch millis
   */
  public record Header(int flags, long expiresAt) {
    public int formatId() {
      return flags & FORMAT_MASK;
    }

    public boolean encrypted() {
      return (flags & FLAG_ENCRYPTED) != 0;
    }
  }
}
