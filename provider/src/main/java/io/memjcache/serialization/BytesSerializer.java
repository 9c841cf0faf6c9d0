package io.memjcache.serialization;

import java.util.Arrays;
import java.util.Objects;

/**
 * Byte arrays stored as they are. Both directions copy, so neither the caller's array nor a
 * buffer the cache reuses can be changed through the other.
 */
final class BytesSerializer implements Serializer<byte[]> {
  static final BytesSerializer INSTANCE = new BytesSerializer();

  private BytesSerializer() {}

  @Override
  public byte[] serialize(byte[] value) {
    Objects.requireNonNull(value, "value");
    return value.clone();
  }

  @Override
  public byte[] deserialize(byte[] bytes) {
    return bytes.clone();
  }

  @Override
  public byte[] deserialize(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    return Arrays.copyOfRange(bytes, offset, offset + length);
  }

  @Override
  public int formatId() {
    return FORMAT_BYTES;
  }

  @Override
  public String toString() {
    return "Serializers.bytes()";
  }
}
