package io.memjcache.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The key space every client works on: {@value #KEYS} keys, pre-populated, with values whose
 * first four bytes and last byte name the key they belong to, so a reader can tell the value it
 * asked for from another key's value or from a miss.
 */
public final class KeySpace {
  /** Keys per client and value size. */
  public static final int KEYS = 10_000;
  /** Keys per {@code getAll}. */
  public static final int BATCH = 100;
  /** Disjoint batches of {@link #BATCH} consecutive keys that cover the key space. */
  public static final int BATCHES = KEYS / BATCH;

  private KeySpace() {}

  /** "key:00042": the logical key; clients put their own prefix in front of it. */
  public static String key(String prefix, int index) {
    StringBuilder sb = new StringBuilder(prefix.length() + 9).append(prefix).append("key:");
    String digits = Integer.toString(index);
    for (int i = digits.length(); i < 5; i++) {
      sb.append('0');
    }
    return sb.append(digits).toString();
  }

  public static String[] keys(String prefix) {
    String[] keys = new String[KEYS];
    for (int i = 0; i < KEYS; i++) {
      keys[i] = key(prefix, i);
    }
    return keys;
  }

  /** Batch {@code b}: keys {@code b*BATCH .. b*BATCH+BATCH-1}. */
  public static List<String> batch(String[] keys, int b) {
    List<String> list = new ArrayList<>(BATCH);
    for (int i = 0; i < BATCH; i++) {
      list.add(keys[b * BATCH + i]);
    }
    return Collections.unmodifiableList(list);
  }

  /** The value of key {@code index}: its index in the first four bytes and last byte, filler between. */
  public static byte[] value(int index, int size) {
    if (size < 5) {
      throw new IllegalArgumentException("values must have at least 5 bytes: " + size);
    }
    byte[] v = new byte[size];
    v[0] = (byte) (index >>> 24);
    v[1] = (byte) (index >>> 16);
    v[2] = (byte) (index >>> 8);
    v[3] = (byte) index;
    for (int i = 4; i < size - 1; i++) {
      v[i] = (byte) ('a' + (i + index) % 26);
    }
    v[size - 1] = (byte) index;
    return v;
  }

  public static byte[][] values(int size) {
    byte[][] values = new byte[KEYS][];
    for (int i = 0; i < KEYS; i++) {
      values[i] = value(i, size);
    }
    return values;
  }

  /**
   * Fails unless {@code v} is the value of key {@code index}: a miss (null), a short or long value,
   * or another key's value all throw, which makes JMH fail the benchmark.
   */
  public static byte[] check(byte[] v, int index, int size, String client) {
    if (v == null) {
      throw new IllegalStateException(client + ": miss for key " + index + " (the key space is pre-populated)");
    }
    if (v.length != size
        || v[0] != (byte) (index >>> 24) || v[1] != (byte) (index >>> 16)
        || v[2] != (byte) (index >>> 8) || v[3] != (byte) index
        || v[size - 1] != (byte) index) {
      throw new IllegalStateException(client + ": wrong value for key " + index + " (" + v.length
          + " bytes, expected " + size + ")");
    }
    return v;
  }
}
