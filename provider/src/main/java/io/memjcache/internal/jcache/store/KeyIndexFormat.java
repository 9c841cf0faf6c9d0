package io.memjcache.internal.jcache.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The records of a key-index segment, which many clients extend with memcached APPEND: {@code '+'}
 * (a key was added) or {@code '-'} (a key was removed), each followed by the serialized key's
 * length as an unsigned varint and the key. Replaying a segment yields the keys whose last record
 * is {@code '+'}; a compacted segment holds only {@code '+'} records.
 */
public final class KeyIndexFormat {
  /** Tag of a record saying a key was added. */
  public static final byte ADD = '+';
  /** Tag of a record saying a key was removed. */
  public static final byte REMOVE = '-';
  /** The longest serialized key a record may hold; longer keys cannot be indexed. */
  public static final int MAX_KEY_LENGTH = 64 * 1024;

  private KeyIndexFormat() {}

  /** One {@code '+'} record. */
  public static byte[] addRecord(byte[] serializedKey) {
    return record(ADD, serializedKey);
  }

  /** One {@code '-'} record. */
  public static byte[] removeRecord(byte[] serializedKey) {
    return record(REMOVE, serializedKey);
  }

  /**
   * {@code '+'} records of all the keys, in order: one batched append, or the whole content of a
   * compacted segment.
   */
  public static byte[] addRecords(Collection<byte[]> serializedKeys) {
    long total = 0;
    for (byte[] key : serializedKeys) {
      total += recordLength(key);
    }
    if (total > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("segment too large: " + total + " bytes");
    }
    byte[] out = new byte[(int) total];
    int pos = 0;
    for (byte[] key : serializedKeys) {
      pos = write(ADD, key, out, pos);
    }
    return out;
  }

  /** The encoded length of one record of {@code serializedKey}. */
  public static int recordLength(byte[] serializedKey) {
    checkLength(serializedKey);
    return 1 + Varints.size(serializedKey.length) + serializedKey.length;
  }

  /**
   * Replays a segment. Stops at the first record that is truncated, has an unknown tag or a
   * malformed or too large length (the rest of a damaged segment cannot be framed); what was
   * replayed until then stands.
   */
  public static Replay replay(byte[] segment) {
    Objects.requireNonNull(segment, "segment");
    Set<ByteArrayKey> live = new LinkedHashSet<>();
    int pos = 0;
    int records = 0;
    int end = segment.length;
    while (pos < end) {
      byte tag = segment[pos];
      if (tag != ADD && tag != REMOVE) {
        break;
      }
      long varint = Varints.read(segment, pos + 1, end);
      if (varint < 0) {
        break;
      }
      int length = (int) (varint >>> 8);
      int keyOffset = pos + 1 + (int) (varint & 0xFF);
      if (length > MAX_KEY_LENGTH || length > end - keyOffset) {
        break;
      }
      byte[] key = new byte[length];
      System.arraycopy(segment, keyOffset, key, 0, length);
      ByteArrayKey wrapped = ByteArrayKey.of(key);
      if (tag == ADD) {
        live.add(wrapped);
      } else {
        live.remove(wrapped);
      }
      records++;
      pos = keyOffset + length;
    }
    List<byte[]> keys = new ArrayList<>(live.size());
    for (ByteArrayKey key : live) {
      keys.add(key.bytes());
    }
    return new Replay(List.copyOf(keys), records, pos, pos == end);
  }

  private static byte[] record(byte tag, byte[] key) {
    byte[] out = new byte[recordLength(key)];
    write(tag, key, out, 0);
    return out;
  }

  private static int write(byte tag, byte[] key, byte[] out, int pos) {
    out[pos] = tag;
    pos = Varints.write(key.length, out, pos + 1);
    System.arraycopy(key, 0, out, pos, key.length);
    return pos + key.length;
  }

  private static void checkLength(byte[] key) {
    if (key.length > MAX_KEY_LENGTH) {
      throw new IllegalArgumentException(
          "a serialized key of " + key.length + " bytes is longer than an index record allows (" + MAX_KEY_LENGTH + ")");
    }
  }

  /**
   * The result of replaying a segment.
   *
   * @param liveKeys the serialized keys present, each once, in order of first addition (arrays
   *     owned by the caller)
   * @param records how many records were replayed; {@code records - liveKeys.size()} is a measure of
   *     how much compaction would save
   * @param consumedBytes bytes replayed; equal to the segment's length when {@code complete}
   * @param complete false if replay stopped at a damaged or truncated record
   */
  public record Replay(List<byte[]> liveKeys, int records, int consumedBytes, boolean complete) {}
}
