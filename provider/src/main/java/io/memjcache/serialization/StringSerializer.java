package io.memjcache.serialization;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** Strings as UTF-8 bytes, with no header. Malformed input decodes with replacement characters. */
final class StringSerializer implements Serializer<String> {
  static final StringSerializer INSTANCE = new StringSerializer();

  private StringSerializer() {}

  @Override
  public byte[] serialize(String value) {
    Objects.requireNonNull(value, "value");
    return value.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String deserialize(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public String deserialize(byte[] bytes, int offset, int length) {
    return new String(bytes, offset, length, StandardCharsets.UTF_8);
  }

  @Override
  public int formatId() {
    return FORMAT_STRING;
  }

  @Override
  public String toString() {
    return "Serializers.string()";
  }
}
