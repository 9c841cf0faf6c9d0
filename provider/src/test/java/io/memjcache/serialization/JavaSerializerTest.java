package io.memjcache.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.memjcache.testing.IsolatingClassLoader;
import java.io.InvalidClassException;
import java.io.Serializable;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.AbstractMap;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.management.BadAttributeValueExpException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JavaSerializerTest {
  private static final String TRIPWIRE = "io.memjcache.serialization.Tripwire";
  private static final ClassLoader LOADER = JavaSerializerTest.class.getClassLoader();
  private static final Serializer<Object> DEFAULT = Serializers.java(LOADER);

  /** A user type that is not in the default allow-list. */
  record Person(String name, int age) implements Serializable {}

  /** Another user type. */
  record Address(String city) implements Serializable {}

  @AfterEach
  void clearLog() {
    TripwireLog.clear();
  }

  @Test
  void deserialize_defaultAllowedTypes_roundTrip() {
    List<Object> values = List.of(
        true, (byte) 1, 'c', (short) 2, 3, 4L, 5.5f, 6.5d, "text", "",
        new BigInteger("123456789012345678901234567890"), new BigDecimal("-1.000000000000000000001"),
        Instant.ofEpochSecond(1_700_000_000L, 5), LocalDate.of(2024, 2, 29), LocalDateTime.of(2024, 1, 1, 0, 0),
        ZonedDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneId.of("Europe/Paris")), Duration.ofMillis(1500), Month.MAY,
        new ArrayList<>(List.of(1, 2, 3)), new LinkedList<>(List.of("a", "b")),
        new HashMap<>(Map.of("k", 1)), new LinkedHashMap<>(Map.of("k", List.of(1))), new TreeMap<>(Map.of("b", 2, "a", 1)),
        new HashSet<>(Set.of(1, 2)), new LinkedHashSet<>(List.of(3, 1)), new TreeSet<>(Set.of("x", "y")),
        List.of(1, 2, 3), List.of(), Set.of("s"), Map.of("a", 1, "b", 2), Map.of(),
        Collections.unmodifiableList(new ArrayList<>(List.of(1))), Collections.unmodifiableMap(new HashMap<>(Map.of(1, 2))),
        Collections.synchronizedList(new ArrayList<>(List.of(1))), Collections.emptyList(), Collections.emptyMap(),
        Collections.singletonList(1), Collections.singletonMap("k", "v"), Collections.singleton(1), Arrays.asList(1, 2),
        new EnumMap<>(Map.of(Month.JUNE, 1)), EnumSet.of(Month.APRIL, Month.MAY),
        new Date(1_700_000_000_000L), new UUID(1, 2), Locale.CANADA_FRENCH, new AbstractMap.SimpleEntry<>("k", 1),
        new CopyOnWriteArrayList<>(List.of(1)));
    for (Object value : values) {
      Object back = assertDoesNotThrow(() -> DEFAULT.deserialize(DEFAULT.serialize(value)), () -> value.getClass().getName());
      assertEquals(value, back, () -> value.getClass().getName());
    }
    // ArrayDeque has no equals().
    Object deque = DEFAULT.deserialize(DEFAULT.serialize(new ArrayDeque<>(List.of(1, 2))));
    assertEquals(List.of(1, 2), List.copyOf((ArrayDeque<?>) deque));
  }

  @Test
  void deserialize_primitiveAndStringArrays_roundTrip() {
    assertArrayEquals(new int[] {1, 2, 3}, (int[]) DEFAULT.deserialize(DEFAULT.serialize(new int[] {1, 2, 3})));
    assertArrayEquals(new long[][] {{1}, {2, 3}}, (long[][]) DEFAULT.deserialize(DEFAULT.serialize(new long[][] {{1}, {2, 3}})));
    assertArrayEquals(new String[] {"a", null}, (String[]) DEFAULT.deserialize(DEFAULT.serialize(new String[] {"a", null})));
    assertArrayEquals(new byte[1000], (byte[]) DEFAULT.deserialize(DEFAULT.serialize(new byte[1000])));
  }

  @Test
  void deserialize_treeWithComparators_roundTrip() {
    TreeSet<String> caseInsensitive = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    caseInsensitive.addAll(List.of("b", "A"));
    TreeMap<Integer, String> reversed = new TreeMap<>(Collections.reverseOrder());
    reversed.putAll(Map.of(1, "a", 2, "b"));
    assertEquals(caseInsensitive, DEFAULT.deserialize(DEFAULT.serialize(caseInsensitive)));
    assertEquals(List.of(2, 1), List.copyOf(((TreeMap<?, ?>) DEFAULT.deserialize(DEFAULT.serialize(reversed))).keySet()));
  }

  @Test
  void deserialize_classNotAllowed_rejected() {
    byte[] bytes = DEFAULT.serialize(new Person("ann", 30));
    SerializationException e = assertThrows(SerializationException.class, () -> DEFAULT.deserialize(bytes));
    assertInstanceOf(InvalidClassException.class, e.getCause());
  }

  @Test
  void deserialize_notAllowedInsideAllowedCollection_rejected() {
    byte[] bytes = DEFAULT.serialize(new HashMap<>(Map.of("k", new ArrayList<>(List.of(new Person("ann", 30))))));
    assertThrows(SerializationException.class, () -> DEFAULT.deserialize(bytes));
  }

  @Test
  void deserialize_allowedByPattern_roundTrips() {
    Serializer<Object> serializer = Serializers.java(LOADER,
        JavaSerializationSettings.DEFAULTS.withAllowedPatterns("io.memjcache.serialization.JavaSerializerTest$*"));
    Map<String, Object> value = new HashMap<>(Map.of("p", new Person("ann", 30), "a", new Address("Oslo")));
    assertEquals(value, serializer.deserialize(serializer.serialize(value)));
  }

  @Test
  void deserialize_userDenyPattern_rejectsDefaultType() {
    Serializer<Object> serializer = Serializers.java(LOADER,
        JavaSerializationSettings.DEFAULTS.withAllowedPatterns("!java.util.LinkedList"));
    byte[] bytes = serializer.serialize(new LinkedList<>(List.of(1)));
    assertThrows(SerializationException.class, () -> serializer.deserialize(bytes));
  }

  /**
   * The filter must reject a class before any of its code runs: neither its static initializer
   * nor its readObject. Tripwire is written by one class loader's copy and read by another's, so
   * that writing it does not initialize the copy the reader would use.
   */
  @Test
  void deserialize_classNotAllowed_noneOfItsCodeRuns() throws Exception {
    byte[] bytes = tripwireBytes();
    ClassLoader reader = new IsolatingClassLoader(LOADER, TRIPWIRE::equals);
    Serializer<Object> serializer = Serializers.java(reader);
    assertThrows(SerializationException.class, () -> serializer.deserialize(bytes));
    byte[] allowed = Serializers.java(reader).serialize(new ArrayList<>(List.of(1)));
    assertEquals(List.of(1), serializer.deserialize(allowed));
    assertEquals(List.of(), TripwireLog.events(), "no code of a rejected class may run");

    // The control: once allowed, the same bytes do run its code, so the tripwire works.
    Serializer<Object> allowing = Serializers.java(reader, JavaSerializationSettings.DEFAULTS.withAllowedPatterns(TRIPWIRE));
    Object tripwire = allowing.deserialize(bytes);
    assertEquals(List.of("static initializer", "readObject"), TripwireLog.events());
    assertSame(reader, tripwire.getClass().getClassLoader());
  }

  @Test
  void deserialize_forTypeOfOtherClass_doesNotAllowTripwire() throws Exception {
    byte[] bytes = tripwireBytes();
    ClassLoader reader = new IsolatingClassLoader(LOADER, TRIPWIRE::equals);
    Serializer<Person> serializer = Serializers.forType(Person.class, reader);
    assertThrows(SerializationException.class, () -> serializer.deserialize(bytes));
    assertEquals(List.of(), TripwireLog.events());
  }

  @Test
  void deserialize_cacheClassLoader_resolvesThroughItNotTheCallers() throws Exception {
    byte[] bytes = tripwireBytes();
    TripwireLog.clear();
    ClassLoader cacheLoader = new IsolatingClassLoader(LOADER, TRIPWIRE::equals);
    Serializer<Object> serializer = Serializers.java(cacheLoader, JavaSerializationSettings.DEFAULTS.withAllowedPatterns(TRIPWIRE));
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(new IsolatingClassLoader(LOADER, TRIPWIRE::equals));
    try {
      Object value = serializer.deserialize(bytes);
      assertSame(cacheLoader, value.getClass().getClassLoader());
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  @Test
  void deserialize_classLoaderWithoutTheClass_serializationException() {
    byte[] bytes = Serializers.java(LOADER).serialize(new Person("ann", 1));
    ClassLoader platform = ClassLoader.getPlatformClassLoader();
    Serializer<Object> serializer = Serializers.java(platform,
        JavaSerializationSettings.DEFAULTS.withAllowedPatterns("io.memjcache.**"));
    SerializationException e = assertThrows(SerializationException.class, () -> serializer.deserialize(bytes));
    assertInstanceOf(ClassNotFoundException.class, e.getCause());
  }

  @Test
  void deserialize_deepNesting_rejected() {
    assertThrows(SerializationException.class, () -> DEFAULT.deserialize(DEFAULT.serialize(nested(300))));
    assertEquals(nested(8), DEFAULT.deserialize(DEFAULT.serialize(nested(8))));
  }

  @Test
  void deserialize_hugePrimitiveArrayLengthInShortPayload_rejectedBeforeAllocation() {
    byte[] bytes = DEFAULT.serialize(new long[] {1, 2, 3, 4});
    // The stream ends with the array: length (4 bytes), then 4 longs.
    int lengthAt = bytes.length - 32 - 4;
    assertEquals(4, readInt(bytes, lengthAt));
    // Five longs fit in the payload's size: allowed, then the read fails at the end of the input.
    writeInt(bytes, lengthAt, 5);
    assertThrows(SerializationException.class, () -> DEFAULT.deserialize(bytes));
    // A million longs (8 MB) cannot come from a payload of a few dozen bytes: never allocated.
    for (int lying : new int[] {1_000_000, Integer.MAX_VALUE}) {
      writeInt(bytes, lengthAt, lying);
      SerializationException e = assertThrows(SerializationException.class, () -> DEFAULT.deserialize(bytes));
      assertInstanceOf(InvalidClassException.class, e.getCause(), "rejected by the filter, not a failed read: " + lying);
    }
  }

  @Test
  void deserialize_hugeReferenceArrayLength_rejected() {
    byte[] bytes = DEFAULT.serialize(new String[] {"a", "b"});
    int lengthAt = indexOf(bytes, new byte[] {0, 0, 0, 2, 0x74, 0, 1, 'a'});
    for (int lying : new int[] {1_000_000, Integer.MAX_VALUE}) {
      writeInt(bytes, lengthAt, lying);
      SerializationException e = assertThrows(SerializationException.class, () -> DEFAULT.deserialize(bytes));
      assertInstanceOf(InvalidClassException.class, e.getCause());
    }
  }

  @Test
  void deserialize_arrayOverConfiguredMaximum_rejected() {
    Serializer<Object> serializer = Serializers.java(LOADER, JavaSerializationSettings.DEFAULTS.withLimits(100, 1000, 1 << 20, 10));
    assertArrayEquals(new int[10], (int[]) serializer.deserialize(serializer.serialize(new int[10])));
    byte[] bytes = serializer.serialize(new int[11]);
    assertThrows(SerializationException.class, () -> serializer.deserialize(bytes));
  }

  @Test
  void deserialize_tooManyReferencesOrBytes_rejected() {
    // The filter sees references and bytes whenever a class or back-reference is read, as for
    // each Integer here.
    ArrayList<Integer> integers = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      integers.add(1000 + i);
    }
    Serializer<Object> fewRefs = Serializers.java(LOADER, JavaSerializationSettings.DEFAULTS.withLimits(100, 50, 1 << 20, 1000));
    byte[] bytes = fewRefs.serialize(integers);
    assertEquals(integers, DEFAULT.deserialize(bytes));
    assertThrows(SerializationException.class, () -> fewRefs.deserialize(bytes));
    Serializer<Object> fewBytes = Serializers.java(LOADER, JavaSerializationSettings.DEFAULTS.withLimits(100, 1000, 100, 1000));
    assertThrows(SerializationException.class, () -> fewBytes.deserialize(bytes));
  }

  @Test
  void deserialize_gadgetClassUnderBroadPattern_rejected() {
    Serializer<Object> everything = Serializers.java(LOADER, JavaSerializationSettings.DEFAULTS.withAllowedPatterns("*"));
    assertEquals(new Person("a", 1), everything.deserialize(everything.serialize(new Person("a", 1))));
    byte[] jmx = everything.serialize(new BadAttributeValueExpException("x"));
    assertThrows(SerializationException.class, () -> everything.deserialize(jmx));
    Runnable lambda = (Runnable & Serializable) () -> {};
    byte[] serializedLambda = everything.serialize(lambda);
    assertThrows(SerializationException.class, () -> everything.deserialize(serializedLambda));
  }

  @Test
  void deserialize_dynamicProxy_rejectedEvenWhenEverythingAllowed() {
    Serializer<Object> everything = Serializers.java(LOADER, JavaSerializationSettings.DEFAULTS.withAllowedPatterns("*"));
    Object proxy = Proxy.newProxyInstance(LOADER, new Class<?>[] {Comparable.class, Serializable.class}, new Handler());
    byte[] bytes = everything.serialize(proxy);
    SerializationException e = assertThrows(SerializationException.class, () -> everything.deserialize(bytes));
    assertTrue(e.getMessage().contains("proxy"), e.getMessage());
  }

  @Test
  void deserialize_withOffset_readsOnlyTheRange() {
    byte[] value = DEFAULT.serialize(List.of("x"));
    byte[] buffer = new byte[value.length + 7];
    System.arraycopy(value, 0, buffer, 5, value.length);
    assertEquals(List.of("x"), DEFAULT.deserialize(buffer, 5, value.length));
    assertThrows(IndexOutOfBoundsException.class, () -> DEFAULT.deserialize(buffer, 5, buffer.length));
  }

  @Test
  void deserialize_garbage_serializationException() {
    assertThrows(SerializationException.class, () -> DEFAULT.deserialize(new byte[0]));
    assertThrows(SerializationException.class, () -> DEFAULT.deserialize(new byte[] {1, 2, 3}));
  }

  @Test
  void deserialize_mutatedPayloads_onlySerializationException() {
    SplittableRandom random = new SplittableRandom(21);
    Map<String, Object> value = new HashMap<>();
    value.put("list", new ArrayList<>(List.of(1, 2L, "three", new BigDecimal("4.5"))));
    value.put("set", new HashSet<>(Set.of("a", "b")));
    value.put("map", new TreeMap<>(Map.of("x", List.of(1, 2))));
    value.put("time", Instant.ofEpochSecond(1_000));
    value.put("array", new int[] {1, 2, 3});
    byte[] original = DEFAULT.serialize(value);
    for (int i = 0; i < 5_000; i++) {
      byte[] bytes = original.clone();
      for (int m = random.nextInt(1, 4); m > 0; m--) {
        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
      }
      if (random.nextInt(5) == 0) {
        bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length));
      }
      try {
        DEFAULT.deserialize(bytes);
      } catch (SerializationException expected) {
        // the only allowed failure
      } catch (Throwable t) {
        fail("mutation " + i + " threw " + t, t);
      }
    }
  }

  @Test
  void forType_typeMismatch_serializationException() {
    Serializer<Integer> integers = Serializers.forType(Integer.class, LOADER);
    byte[] bytes = DEFAULT.serialize(5L);
    assertThrows(SerializationException.class, () -> integers.deserialize(bytes));
    assertEquals(7, integers.deserialize(integers.serialize(7)));
  }

  @Test
  void forType_userClass_allowsExactlyThatClass() {
    Serializer<Person> people = Serializers.forType(Person.class, LOADER);
    assertEquals(new Person("b", 2), people.deserialize(people.serialize(new Person("b", 2))));
    Serializer<Object> objects = Serializers.forType(Object.class, LOADER);
    byte[] bytes = objects.serialize(new Address("Rome"));
    assertThrows(SerializationException.class, () -> Serializers.forType(Person.class, LOADER).deserialize(bytes));
    assertThrows(SerializationException.class, () -> objects.deserialize(bytes));
  }

  @Test
  void serialize_notSerializable_serializationException() {
    assertThrows(SerializationException.class, () -> DEFAULT.serialize(new Object()));
    assertThrows(NullPointerException.class, () -> DEFAULT.serialize(null));
  }

  @Test
  void formatId_java_one() {
    assertEquals(Serializer.FORMAT_JAVA, DEFAULT.formatId());
    assertEquals(Serializer.FORMAT_JAVA, Serializers.forType(Person.class, LOADER).formatId());
  }

  private static byte[] tripwireBytes() throws Exception {
    ClassLoader writer = new IsolatingClassLoader(LOADER, TRIPWIRE::equals);
    Object tripwire = Class.forName(TRIPWIRE, true, writer).getConstructor().newInstance();
    byte[] bytes = Serializers.java(writer).serialize(tripwire);
    TripwireLog.clear();
    return bytes;
  }

  private static List<Object> nested(int depth) {
    List<Object> list = new ArrayList<>();
    for (int i = 0; i < depth; i++) {
      List<Object> outer = new ArrayList<>();
      outer.add(list);
      list = outer;
    }
    return list;
  }

  private static int indexOf(byte[] bytes, byte[] pattern) {
    outer:
    for (int i = 0; i <= bytes.length - pattern.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (bytes[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("pattern not found");
  }

  private static int readInt(byte[] b, int at) {
    return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
  }

  private static void writeInt(byte[] b, int at, int value) {
    b[at] = (byte) (value >>> 24);
    b[at + 1] = (byte) (value >>> 16);
    b[at + 2] = (byte) (value >>> 8);
    b[at + 3] = (byte) value;
  }

  /** A serializable invocation handler, so that a proxy can be written at all. */
  static final class Handler implements InvocationHandler, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) {
      return 0;
    }
  }
}
