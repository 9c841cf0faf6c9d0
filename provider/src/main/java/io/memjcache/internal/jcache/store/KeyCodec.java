package io.memjcache.internal.jcache.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * Builds the memcached keys of one cache: entries, the generation item and key-index segments.
 *
 * <pre>
 *   entry, raw     mj:&lt;ns&gt;:&lt;gen&gt;:&lt;serialized key bytes&gt;         when it fits in 250 bytes
 *   entry, hashed  mj:&lt;ns&gt;:&lt;gen&gt;#&lt;base64url(SHA-256(serialized key))&gt;
 *   generation     mj:&lt;ns&gt;!gen
 *   index segment  mj:&lt;ns&gt;:&lt;gen&gt;!idx:&lt;segment, decimal&gt;
 * </pre>
 *
 * <p>{@code <ns>} is the first 12 characters of base64url(SHA-256(UTF-8 cache name)), so any cache
 * name fits, and contains none of {@code : ! #}; {@code <gen>} is the generation as unsigned
 * lowercase hex without leading zeros. No entry key can equal a metadata key: the byte after the
 * namespace is {@code ':'} in entry and segment keys but {@code '!'} in the generation key, and
 * the byte after the generation's hex digits (which never include those bytes) is {@code ':'} or
 * {@code '#'} in entry keys but {@code '!'} in segment keys. memcached's binary protocol takes any
 * bytes in a key, so serialized keys are used as they are.
 */
public final class KeyCodec {
  /** memcached's limit on key length. */
  public static final int MAX_KEY_LENGTH = 250;
  /** Characters of the namespace. */
  public static final int NAMESPACE_LENGTH = 12;

  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private final String cacheName;
  private final String namespace;

  private KeyCodec(String cacheName) {
    this.cacheName = cacheName;
    byte[] digest = sha256(cacheName.getBytes(StandardCharsets.UTF_8));
    // 9 bytes are exactly 12 base64 characters (72 bits).
    this.namespace = BASE64URL.encodeToString(Arrays.copyOf(digest, 9));
  }

  /** The key builder of the cache named {@code cacheName}. */
  public static KeyCodec forCache(String cacheName) {
    return new KeyCodec(Objects.requireNonNull(cacheName, "cacheName"));
  }

  public String cacheName() {
    return cacheName;
  }

  /** The 12-character namespace derived from the cache name. */
  public String namespace() {
    return namespace;
  }

  /** The key of the item holding the cache's current generation: {@code mj:<ns>!gen}. */
  public byte[] generationKey() {
    return ascii("mj:" + namespace + "!gen");
  }

  /** The keys of one generation, with the entry key prefix computed once. */
  public Generation generation(long generation) {
    return new Generation(generation);
  }

  /**
   * The key-index segment of a serialized key, 0 to {@code segmentCount - 1}. The hash (64-bit
   * FNV-1a, then the MurmurHash3 finalizer) is part of the stored format: every JVM must agree on
   * it, so it must never change.
   */
  public static int segmentFor(byte[] serializedKey, int segmentCount) {
    if (segmentCount < 1) {
      throw new IllegalArgumentException("segmentCount must be at least 1, was " + segmentCount);
    }
    long h = 0xcbf29ce484222325L;
    for (byte b : serializedKey) {
      h ^= b & 0xFF;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return (int) Long.remainderUnsigned(h, segmentCount);
  }

  @Override
  public String toString() {
    return "KeyCodec{" + cacheName + " -> " + namespace + "}";
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** The memcached keys of one generation of the cache. Immutable and thread-safe. */
  public final class Generation {
    private final long generation;
    private final byte[] entryPrefix; // mj:<ns>:<gen>:
    private final String hex;

    private Generation(long generation) {
      this.generation = generation;
      this.hex = Long.toHexString(generation);
      this.entryPrefix = ascii("mj:" + namespace + ":" + hex + ":");
    }

    public long generation() {
      return generation;
    }

    /**
     * The first bytes of every unhashed entry key ({@code mj:<ns>:<gen>:}), which a read may send
     * followed by the serialized key instead of joining them. Callers must not change it.
     */
    public byte[] entryPrefix() {
      return entryPrefix;
    }

    /** Whether a serialized key of this length is too long to be used raw and will be hashed. */
    public boolean isHashed(int serializedKeyLength) {
      return serializedKeyLength > MAX_KEY_LENGTH - entryPrefix.length;
    }

    /**
     * The memcached key of an entry: the prefix and the serialized key when that fits in
     * {@value KeyCodec#MAX_KEY_LENGTH} bytes, otherwise the hashed form.
     */
    public byte[] entryKey(byte[] serializedKey) {
      if (!isHashed(serializedKey.length)) {
        byte[] key = Arrays.copyOf(entryPrefix, entryPrefix.length + serializedKey.length);
        System.arraycopy(serializedKey, 0, key, entryPrefix.length, serializedKey.length);
        return key;
      }
      return ascii("mj:" + namespace + ":" + hex + "#" + BASE64URL.encodeToString(sha256(serializedKey)));
    }

    /** The key of a key-index segment: {@code mj:<ns>:<gen>!idx:<segment>}. */
    public byte[] indexSegmentKey(int segment) {
      if (segment < 0) {
        throw new IllegalArgumentException("segment must not be negative, was " + segment);
      }
      return ascii("mj:" + namespace + ":" + hex + "!idx:" + segment);
    }

    @Override
    public String toString() {
      return "KeyCodec.Generation{" + cacheName + ", " + hex + "}";
    }
  }
}
