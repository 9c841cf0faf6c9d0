package io.memjcache.config;

import io.memjcache.serialization.JavaSerializationSettings;
import io.memjcache.serialization.SerializationException;
import io.memjcache.serialization.Serializer;
import io.memjcache.serialization.Serializers;
import java.util.Objects;

/**
 * How a cache turns its keys or its values into bytes: chosen per cache with
 * {@link MemcachedConfiguration#setKeyFormat} and {@link MemcachedConfiguration#setValueFormat}, or
 * for many caches in the configuration file ({@code "keyFormat"}, {@code "valueFormat"}).
 */
public enum SerializationFormat {
  /** By type, the default: {@link #STRING} for {@code String}, {@link #BYTES} for {@code byte[]}, else {@link #JAVA}. */
  AUTO,
  /** Java serialization behind the cache's allow-list filter ({@code ObjectInputFilter}). */
  JAVA,
  /** UTF-8 text; the type must be {@code String} or a supertype such as {@code Object} (then only strings are accepted). */
  STRING,
  /** Byte arrays as they are; the type must be {@code byte[]} or {@code Object} (then only byte arrays are accepted). */
  BYTES,
  /** JSON through Jackson ({@link Serializers#json}); needs jackson-databind on the class path. */
  JSON;

  /**
   * The serializer of this format for objects of {@code type}.
   *
   * @param classLoader resolves classes for {@link #JAVA} (and {@link #AUTO})
   * @param settings what Java deserialization may create, for {@link #JAVA} (and {@link #AUTO})
   * @throws IllegalArgumentException if this format cannot hold a {@code type}
   * @throws IllegalStateException for {@link #JSON} without jackson-databind on the class path
   */
  @SuppressWarnings("unchecked")
  public <T> Serializer<T> serializer(Class<T> type, ClassLoader classLoader, JavaSerializationSettings settings) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(classLoader, "classLoader");
    Objects.requireNonNull(settings, "settings");
    switch (this) {
      case AUTO:
        return Serializers.forType(type, classLoader, settings);
      case JAVA:
        if (type == String.class || type == byte[].class) {
          // Serializers.forType would pick the raw formats for these two types.
          return checked(Serializers.java(classLoader, settings), type);
        }
        return Serializers.forType(type, classLoader, settings);
      case STRING:
        return raw((Serializer<Object>) (Serializer<?>) Serializers.string(), String.class, type);
      case BYTES:
        return raw((Serializer<Object>) (Serializer<?>) Serializers.bytes(), byte[].class, type);
      case JSON:
        return Serializers.json(type);
      default:
        throw new AssertionError(this);
    }
  }

  @SuppressWarnings("unchecked")
  private <T> Serializer<T> raw(Serializer<Object> serializer, Class<?> held, Class<T> type) {
    if (type == held) {
      return (Serializer<T>) serializer;
    }
    if (!type.isAssignableFrom(held)) {
      throw new IllegalArgumentException("the " + name() + " format holds only " + held.getSimpleName()
          + " objects, not " + type.getName());
    }
    return checked(serializer, held);
  }

  /** A serializer that accepts and returns only instances of {@code held}. */
  private static <T> Serializer<T> checked(Serializer<Object> serializer, Class<?> held) {
    return new Serializer<T>() {
      @Override
      public byte[] serialize(T value) {
        Objects.requireNonNull(value, "value");
        if (!held.isInstance(value)) {
          throw new SerializationException("this cache stores only " + held.getSimpleName() + " objects, not a "
              + value.getClass().getName());
        }
        return serializer.serialize(value);
      }

      @Override
      public T deserialize(byte[] bytes) {
        return deserialize(bytes, 0, bytes.length);
      }

      @Override
      @SuppressWarnings("unchecked")
      public T deserialize(byte[] bytes, int offset, int length) {
        Object value = serializer.deserialize(bytes, offset, length);
        if (!held.isInstance(value)) {
          throw new SerializationException("read a " + (value == null ? "null" : value.getClass().getName())
              + " where a " + held.getSimpleName() + " was expected");
        }
        return (T) value;
      }

      @Override
      public int formatId() {
        return serializer.formatId();
      }
    };
  }
}
