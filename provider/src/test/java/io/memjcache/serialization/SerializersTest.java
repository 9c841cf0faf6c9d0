package io.memjcache.serialization;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Serializable;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SerializersTest {
  private static final ClassLoader LOADER = SerializersTest.class.getClassLoader();

  record Point(int x, int y) {}

  record Shape(String name, List<Point> points, Map<String, Integer> tags) {}

  /** Asks Jackson to resolve a class name from the input: the configuration must refuse. */
  record Holder(@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS) Object content) {}

  static class Gadget {
    static boolean created;

    Gadget() {
      created = true;
    }
  }

  record Money(long cents) implements Serializable {}

  @Test
  void string_unicode_roundTripsAsUtf8() {
    Serializer<String> strings = Serializers.string();
    for (String s : List.of("", "abc", "ünïcødé", "缓存", "😀", "a\u0000b")) {
      byte[] bytes = strings.serialize(s);
      assertArrayEquals(s.getBytes(UTF_8), bytes);
      assertEquals(s, strings.deserialize(bytes));
    }
    byte[] buffer = "xxhelloyy".getBytes(UTF_8);
    assertEquals("hello", strings.deserialize(buffer, 2, 5));
    assertEquals(Serializer.FORMAT_STRING, strings.formatId());
    assertThrows(NullPointerException.class, () -> strings.serialize(null));
  }

  @Test
  void bytes_serializeAndDeserialize_copyDefensively() {
    Serializer<byte[]> bytes = Serializers.bytes();
    byte[] value = {1, 2, 3};
    byte[] stored = bytes.serialize(value);
    assertArrayEquals(value, stored);
    assertNotSame(value, stored);
    value[0] = 9;
    assertEquals(1, stored[0], "changing the caller's array must not change what was serialized");
    byte[] read = bytes.deserialize(stored);
    assertNotSame(stored, read);
    assertArrayEquals(new byte[] {2, 3}, bytes.deserialize(stored, 1, 2));
    assertThrows(IndexOutOfBoundsException.class, () -> bytes.deserialize(stored, 2, 2));
    assertEquals(Serializer.FORMAT_BYTES, bytes.formatId());
  }

  @Test
  void forType_stringAndBytes_fastPaths() {
    assertSame(Serializers.string(), Serializers.forType(String.class, LOADER));
    assertSame(Serializers.bytes(), Serializers.forType(byte[].class, LOADER));
    assertEquals(Serializer.FORMAT_JAVA, Serializers.forType(Object.class, LOADER).formatId());
    assertEquals(Serializer.FORMAT_JAVA, Serializers.forType(Long.class, LOADER).formatId());
    Serializer<Money> money = Serializers.forType(Money.class, LOADER);
    assertEquals(new Money(5), money.deserialize(money.serialize(new Money(5))));
  }

  @Test
  void formatIds_builtIns_distinctAndInRange() {
    Set<Integer> ids = new HashSet<>(List.of(Serializer.FORMAT_CUSTOM, Serializer.FORMAT_JAVA, Serializer.FORMAT_STRING,
        Serializer.FORMAT_BYTES, Serializer.FORMAT_JSON));
    assertEquals(5, ids.size());
    ids.forEach(id -> assertTrue(id >= 0 && id <= Serializer.MAX_FORMAT_ID));
    Serializer<String> custom = new Serializer<>() {
      @Override
      public byte[] serialize(String value) {
        return value.getBytes(UTF_8);
      }

      @Override
      public String deserialize(byte[] bytes) {
        return new String(bytes, UTF_8);
      }
    };
    assertEquals(Serializer.FORMAT_CUSTOM, custom.formatId());
    assertEquals("ell", custom.deserialize("hello".getBytes(UTF_8), 1, 3));
  }

  @Test
  void json_record_roundTrips() {
    Serializer<Shape> shapes = Serializers.json(Shape.class);
    Shape shape = new Shape("tri", List.of(new Point(0, 0), new Point(1, 2)), Map.of("z", 3));
    byte[] bytes = shapes.serialize(shape);
    assertTrue(new String(bytes, UTF_8).contains("\"name\":\"tri\""));
    assertEquals(shape, shapes.deserialize(bytes));
    byte[] buffer = new byte[bytes.length + 4];
    System.arraycopy(bytes, 0, buffer, 2, bytes.length);
    assertEquals(shape, shapes.deserialize(buffer, 2, bytes.length));
    assertEquals(Serializer.FORMAT_JSON, shapes.formatId());
  }

  @Test
  void json_unknownProperty_ignored() {
    Point point = Serializers.json(Point.class).deserialize("{\"x\":1,\"y\":2,\"z\":3}".getBytes(UTF_8));
    assertEquals(new Point(1, 2), point);
  }

  @Test
  void json_malformedNullOrTrailing_serializationException() {
    Serializer<Point> points = Serializers.json(Point.class);
    for (String json : List.of("", "{", "null", "{\"x\":1,\"y\":2} {}", "[1,2]", "{\"x\":\"a\"}")) {
      assertThrows(SerializationException.class, () -> points.deserialize(json.getBytes(UTF_8)), json);
    }
  }

  @Test
  void json_classNameInInput_neverResolved() {
    Serializer<Holder> holders = Serializers.json(Holder.class);
    String gadget = Gadget.class.getName();
    byte[] hostile = ("{\"content\":[\"" + gadget + "\",{}]}").getBytes(UTF_8);
    assertThrows(SerializationException.class, () -> holders.deserialize(hostile));
    byte[] asProperty = ("{\"content\":{\"@class\":\"" + gadget + "\"}}").getBytes(UTF_8);
    assertThrows(SerializationException.class, () -> holders.deserialize(asProperty));
    assertTrue(!Gadget.created, "no instance of a class named in the input was created");

    // The control: Jackson's defaults honour the annotation, so the refusal above is our doing.
    Holder control = assertDoesNotThrow(() -> new ObjectMapper().readValue(hostile, Holder.class));
    assertInstanceOf(Gadget.class, control.content());
    Gadget.created = false;
  }

  @Test
  void json_objectType_readsPlainJsonTypes() {
    Serializer<Object> objects = Serializers.json(Object.class);
    assertEquals(Map.of("a", List.of(1, "b")), objects.deserialize("{\"a\":[1,\"b\"]}".getBytes(UTF_8)));
  }
}
