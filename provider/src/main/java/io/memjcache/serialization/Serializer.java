package io.memjcache.serialization;

import java.util.Arrays;
import java.util.Objects;

/**
 * Turns cache keys or values into bytes and back. Implementations must be thread-safe and
 * deterministic for keys: equal keys must serialize to equal bytes, because the bytes are the
 * memcached key.
 *
 * @param <T> the type of the objects this serializer handles
 */
public interface Serializer<T> {

  /** Format id of a user-supplied serializer; the only id available to custom implementations. */
  int FORMAT_CUSTOM = 0;
  /** Format id of Java serialization behind an allow-list filter. */
  int FORMAT_JAVA = 1;
  /** Format id of strings as UTF-8. */
  int FORMAT_STRING = 2;
  /** Format id of byte arrays stored as they are. */
  int FORMAT_BYTES = 3;
  /** Format id of JSON written by Jackson. */
  int FORMAT_JSON = 4;
  /** The largest format id: it is stored in four bits of each entry's header. */
  int MAX_FORMAT_ID = 15;

  /**
   * Serializes a non-null object.
   *
   * @return bytes the caller owns (a serializer never keeps or reuses the returned array)
   * @throws SerializationException if the object cannot be serialized
   * @throws NullPointerException if value is null
   */
  byte[] serialize(T value);

  /**
   * Deserializes bytes produced by {@link #serialize}. The bytes may come from an untrusted
   * source; an implementation must fail with {@link SerializationException} rather than create
   * objects it was not configured to create.
   *
   * @throws SerializationException if the bytes are not a valid, allowed encoding
   */
  T deserialize(byte[] bytes);

  /**
   * Deserializes {@code length} bytes of {@code bytes} starting at {@code offset}, so that a value
   * inside a larger buffer needs no copy. The default copies the range and calls
   * {@link #deserialize(byte[])}.
   *
   * @throws SerializationException if the bytes are not a valid, allowed encoding
   * @throws IndexOutOfBoundsException if the range is outside {@code bytes}
   */
  default T deserialize(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    return deserialize(Arrays.copyOfRange(bytes, offset, offset + length));
  }

  /**
   * The id of this serializer's format, 0 to {@value #MAX_FORMAT_ID}, recorded with each stored
   * value so that a reader configured with a different format can tell. Custom serializers keep
   * the default, {@link #FORMAT_CUSTOM}.
   */
  default int formatId() {
    return FORMAT_CUSTOM;
  }
}
