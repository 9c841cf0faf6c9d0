package io.memjcache.serialization;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.PolymorphicTypeValidator;
import java.io.IOException;
import java.util.Objects;

/**
 * JSON through Jackson, with polymorphic typing off: a class name in the JSON is never resolved,
 * even where a user class asks for it with {@code @JsonTypeInfo(use = CLASS)}. This is the only
 * class that refers to Jackson, so Jackson is needed only when JSON is used.
 */
final class JsonSerializer<T> implements Serializer<T> {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .polymorphicTypeValidator(new DenyAllTypes())
      .enable(MapperFeature.BLOCK_UNSAFE_POLYMORPHIC_BASE_TYPES)
      // Tolerate fields added by a newer writer of the same cache (rolling upgrades).
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private final Class<T> type;
  private final ObjectReader reader;
  private final ObjectWriter writer;

  private JsonSerializer(Class<T> type) {
    this.type = type;
    this.reader = MAPPER.readerFor(type);
    this.writer = MAPPER.writerFor(type);
  }

  /** Fails with {@link NoClassDefFoundError} when Jackson is not on the class path. */
  static <T> Serializer<T> create(Class<T> type) {
    return new JsonSerializer<>(Objects.requireNonNull(type, "type"));
  }

  @Override
  public byte[] serialize(T value) {
    Objects.requireNonNull(value, "value");
    try {
      return writer.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new SerializationException("cannot write a " + value.getClass().getName() + " as JSON", e);
    }
  }

  @Override
  public T deserialize(byte[] bytes) {
    return deserialize(bytes, 0, bytes.length);
  }

  @Override
  public T deserialize(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    T value;
    try {
      value = reader.readValue(bytes, offset, length);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("cannot read a " + type.getName() + " from JSON: " + e.getMessage(), e);
    }
    if (value == null) {
      throw new SerializationException("JSON null where a " + type.getName() + " was expected");
    }
    return value;
  }

  @Override
  public int formatId() {
    return FORMAT_JSON;
  }

  @Override
  public String toString() {
    return "Serializers.json(" + type.getName() + ")";
  }

  /** Resolves no subtype from a class name in the input. */
  private static final class DenyAllTypes extends PolymorphicTypeValidator.Base {
    private static final long serialVersionUID = 1L;

    @Override
    public Validity validateBaseType(MapperConfig<?> config, JavaType baseType) {
      return Validity.DENIED;
    }

    @Override
    public Validity validateSubClassName(MapperConfig<?> config, JavaType baseType, String subClassName) {
      return Validity.DENIED;
    }

    @Override
    public Validity validateSubType(MapperConfig<?> config, JavaType baseType, JavaType subType) {
      return Validity.DENIED;
    }
  }
}
