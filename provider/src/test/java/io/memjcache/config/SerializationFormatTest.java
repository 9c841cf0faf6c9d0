package io.memjcache.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.memjcache.serialization.JavaSerializationSettings;
import io.memjcache.serialization.SerializationException;
import io.memjcache.serialization.Serializer;
import io.memjcache.serialization.Serializers;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Each format's serializer, and which types a format can hold. */
class SerializationFormatTest {
  private final ClassLoader loader = getClass().getClassLoader();
  private final JavaSerializationSettings java = JavaSerializationSettings.DEFAULTS;

  private <T> Serializer<T> serializer(SerializationFormat format, Class<T> type) {
    return format.serializer(type, loader, java);
  }

  @Test
  void auto_picksByType() {
    assertSame(Serializers.string(), serializer(SerializationFormat.AUTO, String.class));
    assertSame(Serializers.bytes(), serializer(SerializationFormat.AUTO, byte[].class));
    assertEquals(Serializer.FORMAT_JAVA, serializer(SerializationFormat.AUTO, Long.class).formatId());
  }

  @Test
  void java_evenForStringsAndBytes() {
    Serializer<String> strings = serializer(SerializationFormat.JAVA, String.class);
    assertEquals(Serializer.FORMAT_JAVA, strings.formatId());
    assertEquals("hé", strings.deserialize(strings.serialize("hé")));
    Serializer<byte[]> bytes = serializer(SerializationFormat.JAVA, byte[].class);
    assertArrayEquals(new byte[] {1, 2}, bytes.deserialize(bytes.serialize(new byte[] {1, 2})));
    Serializer<Object> any = serializer(SerializationFormat.JAVA, Object.class);
    assertThrows(SerializationException.class, () -> strings.deserialize(any.serialize(42L)),
        "a String cache never returns another type");
  }

  @Test
  void string_forStringAndSupertypes() {
    assertSame(Serializers.string(), serializer(SerializationFormat.STRING, String.class));
    Serializer<Object> objects = serializer(SerializationFormat.STRING, Object.class);
    assertEquals(Serializer.FORMAT_STRING, objects.formatId());
    assertArrayEquals("abc".getBytes(StandardCharsets.UTF_8), objects.serialize("abc"));
    assertEquals("abc", objects.deserialize("abc".getBytes(StandardCharsets.UTF_8)));
    assertThrows(SerializationException.class, () -> objects.serialize(42));
    assertEquals("abc", serializer(SerializationFormat.STRING, CharSequence.class).deserialize("abc".getBytes(StandardCharsets.UTF_8)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> serializer(SerializationFormat.STRING, Long.class));
    assertEquals("the STRING format holds only String objects, not java.lang.Long", e.getMessage());
  }

  @Test
  void bytes_forByteArraysAndObject() {
    assertSame(Serializers.bytes(), serializer(SerializationFormat.BYTES, byte[].class));
    Serializer<Object> objects = serializer(SerializationFormat.BYTES, Object.class);
    assertArrayEquals(new byte[] {7}, (byte[]) objects.deserialize(objects.serialize(new byte[] {7})));
    assertThrows(SerializationException.class, () -> objects.serialize("text"));
    assertThrows(IllegalArgumentException.class, () -> serializer(SerializationFormat.BYTES, String.class));
  }

  @Test
  void json_throughJackson() {
    Serializer<String> strings = serializer(SerializationFormat.JSON, String.class);
    assertEquals(Serializer.FORMAT_JSON, strings.formatId());
    assertArrayEquals("\"hé\"".getBytes(StandardCharsets.UTF_8), strings.serialize("hé"));
    assertEquals("hé", strings.deserialize(strings.serialize("hé")));
  }
}
