package io.memjcache.serialization;

import java.util.Objects;

/**
 * The built-in serializers. {@link #forType} picks what a cache uses by default: raw bytes for
 * {@code String} and {@code byte[]}, filtered Java serialization for everything else.
 */
public final class Serializers {
  private Serializers() {}

  /**
   * Java serialization with the default allow-list, resolving classes through {@code classLoader}.
   * The result is not type-checked; prefer {@link #forType} when the type is known.
   */
  public static <T> Serializer<T> java(ClassLoader classLoader) {
    return java(classLoader, JavaSerializationSettings.DEFAULTS);
  }

  /**
   * Java serialization that deserializes only what {@code settings} allows, resolving classes
   * through {@code classLoader} (a cache passes its own class loader). The result is not
   * type-checked; prefer {@link #forType} when the type is known.
   */
  public static <T> Serializer<T> java(ClassLoader classLoader, JavaSerializationSettings settings) {
    return new JavaSerializer<>(Object.class, classLoader, settings);
  }

  /** Strings as UTF-8, with no header. */
  public static Serializer<String> string() {
    return StringSerializer.INSTANCE;
  }

  /** Byte arrays as they are; copies in both directions, so callers may reuse their arrays. */
  public static Serializer<byte[]> bytes() {
    return BytesSerializer.INSTANCE;
  }

  /**
   * JSON through Jackson for values of {@code type}, with polymorphic typing off (no class name in
   * the input is ever resolved) and unknown properties ignored.
   *
   * @throws IllegalStateException if jackson-databind is not on the class path
   */
  public static <T> Serializer<T> json(Class<T> type) {
    Objects.requireNonNull(type, "type");
    try {
      return JsonSerializer.create(type);
    } catch (NoClassDefFoundError e) {
      throw new IllegalStateException(
          "JSON serialization needs com.fasterxml.jackson.core:jackson-databind on the class path", e);
    }
  }

  /** {@link #forType(Class, ClassLoader, JavaSerializationSettings)} with default Java settings. */
  public static <T> Serializer<T> forType(Class<T> type, ClassLoader classLoader) {
    return forType(type, classLoader, JavaSerializationSettings.DEFAULTS);
  }

  /**
   * The default serializer for a cache's key or value type: {@link #string()} for {@code String},
   * {@link #bytes()} for {@code byte[]}, otherwise Java serialization allowing {@code settings}
   * plus {@code type} itself (unless it is {@code Object}), and checking that what it reads is a
   * {@code type}.
   */
  @SuppressWarnings("unchecked")
  public static <T> Serializer<T> forType(Class<T> type, ClassLoader classLoader, JavaSerializationSettings settings) {
    Objects.requireNonNull(type, "type");
    if (type == String.class) {
      return (Serializer<T>) string();
    }
    if (type == byte[].class) {
      return (Serializer<T>) bytes();
    }
    return new JavaSerializer<>(type, classLoader, settings.withAllowedClasses(type));
  }
}
