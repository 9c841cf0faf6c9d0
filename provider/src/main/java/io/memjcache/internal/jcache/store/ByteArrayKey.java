package io.memjcache.internal.jcache.store;

import java.util.Arrays;
import java.util.Objects;

/**
 * A byte array with value equality, for sets and map keys of serialized keys. Wraps without
 * copying: the array must not change while the wrapper is in use.
 */
public final class ByteArrayKey implements Comparable<ByteArrayKey> {
  private final byte[] bytes;
  private final int hash;

  private ByteArrayKey(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /** Wraps {@code bytes} (not copied). */
  public static ByteArrayKey of(byte[] bytes) {
    return new ByteArrayKey(Objects.requireNonNull(bytes, "bytes"));
  }

  /** The wrapped array itself (not a copy). */
  public byte[] bytes() {
    return bytes;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ByteArrayKey that && hash == that.hash && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** Unsigned lexicographic order. */
  @Override
  public int compareTo(ByteArrayKey other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public String toString() {
    return "ByteArrayKey[" + bytes.length + " bytes]";
  }
}
