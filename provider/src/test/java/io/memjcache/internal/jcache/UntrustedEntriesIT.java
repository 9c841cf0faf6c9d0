package io.memjcache.internal.jcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.internal.jcache.store.Envelope;
import io.memjcache.serialization.Serializer;
import io.memjcache.testing.MemcachedTest;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Whatever sits under a cache's memcached keys is untrusted: another key's entry sharing a hashed
 * item key, garbage, another writer's format or a hostile Java serialization payload must read as
 * a miss. Never a wrong value, never an exception, and never a disallowed class's code run.
 */
@MemcachedTest(nodes = 1)
class UntrustedEntriesIT extends TwoManagers {

  private static String longKey(char fill, String suffix) {
    return String.valueOf(fill).repeat(1_000 - suffix.length()) + suffix;
  }

  @BeforeEach
  void resetTripwire() {
    HostilePayload.reset();
  }

  // ------------------------------------------------------------------ long keys

  @Test
  void put_thousandCharKey_sharedThroughItsHashedItemKey() {
    Cache<String, String> inA = createIn(a);
    Cache<String, String> inB = createIn(b);
    String first = longKey('x', "-1");
    String second = longKey('x', "-2"); // the same first 998 characters

    inA.put(first, "one");
    inB.put(second, "two");

    assertTrue(raw.keys(name).isHashed(first.length()));
    assertNotNull(raw.get(raw.entryKey(name, first)), "stored under the hashed memcached key");
    assertEquals("one", inB.get(first));
    assertEquals("two", inA.get(second));
    assertEquals(Map.of(first, "one", second, "two"), contents(inB), "iteration recovers the full keys");
    assertTrue(inB.remove(first));
    assertNull(inA.get(first));
    assertEquals("two", inA.get(second));
  }

  @Test
  void get_entryOfAnotherKeyUnderTheHashedItemKey_isMiss() {
    Cache<String, String> inA = createIn(a);
    Cache<String, String> inB = createIn(b);
    String key = longKey('k', "-mine");
    String other = longKey('k', "-other");
    inA.put(key, "real"); // so the index lists it
    // What a SHA-256 collision (or a forger) would leave: a valid envelope for a different key.
    raw.set(raw.entryKey(name, key),
        Envelope.encode(Serializer.FORMAT_STRING, Envelope.ETERNAL, RawAccess.utf8(other), RawAccess.utf8("forged")));

    assertNull(inB.get(key));
    assertNull(inA.get(key));
    assertFalse(inB.containsKey(key));
    assertEquals(Map.of(), inB.getAll(Set.of(key)));
    assertEquals(Boolean.FALSE, inB.invoke(key, (entry, args) -> entry.exists()));
    assertNull(inB.get(other), "the forged key is not readable either");
    assertEquals(Map.of(), contents(inB));

    // The forged item counts as absent, so a conditional create replaces it.
    assertTrue(inB.putIfAbsent(key, "restored"));
    assertEquals("restored", inA.get(key));
  }

  // ------------------------------------------------------------------ garbage and other formats

  @Test
  void get_garbageUnderItemKey_isMissAndCanBeOverwritten() {
    Cache<String, String> inA = createIn(a);
    Cache<String, String> inB = createIn(b);
    byte[] valid = Envelope.encode(Serializer.FORMAT_STRING, Envelope.ETERNAL, RawAccess.utf8("k"), RawAccess.utf8("v"));
    List<byte[]> garbage = new ArrayList<>();
    garbage.add(new byte[0]);
    garbage.add(new byte[] {1});
    garbage.add(new byte[] {(byte) 0xAC, (byte) 0xED, 0, 5, 0x74, 0, 1, 'x'});
    garbage.add(java.util.Arrays.copyOf(valid, valid.length - 1)); // truncated
    byte[] extended = java.util.Arrays.copyOf(valid, valid.length + 3);
    garbage.add(extended);
    byte[] futureVersion = valid.clone();
    futureVersion[0] = 9;
    garbage.add(futureVersion);
    byte[] reservedFlags = valid.clone();
    reservedFlags[1] |= 0x40;
    garbage.add(reservedFlags);
    byte[] encrypted = valid.clone();
    encrypted[1] |= (byte) Envelope.FLAG_ENCRYPTED;
    garbage.add(encrypted);
    byte[] hugeKeyLength = valid.clone();
    hugeKeyLength[Envelope.HEADER_LENGTH] = (byte) 0x7F;
    garbage.add(hugeKeyLength);

    inA.put("k", "v");
    for (byte[] planted : garbage) {
      raw.set(raw.entryKey(name, "k"), planted);
      String what = planted.length + " planted bytes";
      assertNull(inB.get("k"), what);
      assertFalse(inB.containsKey("k"), what);
      assertEquals(Map.of(), inB.getAll(Set.of("k")), what);
      assertEquals(Map.of(), contents(inB), what);
      assertNull(inB.getAndPut("k", "fresh"), what);
      assertEquals("fresh", inA.get("k"), what);
    }
  }

  @Test
  void get_valueWrittenWithAnotherSerializer_isMissNotWrongValue() {
    // Two applications disagree on the value type of one cache: A stores Java-serialized values,
    // B reads values as UTF-8 strings. The format id in each envelope tells them apart.
    Cache<String, Object> inA = a.createCache(name, new MutableConfiguration<String, Object>().setTypes(String.class, Object.class));
    Cache<String, String> inB = createIn(b);

    inA.put("k", "hello");
    inB.put("s", "plain");

    assertNull(inB.get("k"), "a Java-serialized value is not a UTF-8 string");
    assertNull(inA.get("s"), "UTF-8 bytes are not a Java-serialized value");
  }

  @Test
  void get_allowedClassOfTheWrongType_isMissNotClassCastException() {
    Cache<String, Long> inA = a.createCache(name, new MutableConfiguration<String, Long>().setTypes(String.class, Long.class));
    inA.put("k", 1L);
    // An Integer is an allowed class, but not what this cache holds.
    raw.set(raw.entryKey(name, "k"),
        Envelope.encode(Serializer.FORMAT_JAVA, Envelope.ETERNAL, RawAccess.utf8("k"), HostilePayload.serialize(42)));

    Object value = inA.get("k");
    assertNull(value);
    assertEquals(Map.of(), contents(inA));
  }

  // ------------------------------------------------------------------ hostile Java serialization

  @Test
  void get_hostileJavaPayload_neverRunsItsCodeAndReadsAsMiss() {
    Cache<String, Integer> inA = a.createCache(name, new MutableConfiguration<String, Integer>().setTypes(String.class, Integer.class));
    Cache<String, Object> inB = b.createCache(name, new MutableConfiguration<String, Object>().setTypes(String.class, Object.class));
    List<Object> payloads = new ArrayList<>();
    payloads.add(new HostilePayload.Gadget());
    payloads.add(new ArrayList<>(List.of(1, new HostilePayload.Gadget()))); // inside an allowed collection
    Map<String, Object> map = new HashMap<>();
    map.put("innocent", new HostilePayload.Gadget());
    payloads.add(map);

    inA.put("k", 1);
    for (Object payload : payloads) {
      byte[] bytes = HostilePayload.serialize(payload);
      HostilePayload.reset();
      raw.set(raw.entryKey(name, "k"),
          Envelope.encode(Serializer.FORMAT_JAVA, Envelope.ETERNAL, RawAccess.utf8("k"), bytes));

      assertNull(inA.get("k"));
      assertNull(inB.get("k"));
      assertFalse(inB.containsKey("k"));
      assertEquals(Map.of(), inA.getAll(Set.of("k")));
      assertEquals(Map.of(), contents(inA));
      assertEquals(Map.of(), contents(inB));
      assertEquals(Boolean.FALSE, inA.invoke("k", (entry, args) -> entry.exists()));
      assertEquals(0, HostilePayload.TRIGGERED.get(), "code of a disallowed class ran for " + payload.getClass());
    }
    assertTrue(inA.putIfAbsent("k", 7), "the hostile item counts as absent");
    assertEquals(7, inB.get("k"));
  }

  /** A value class that one manager allows by configuration and another does not. */
  record AllowedValue(String text) implements Serializable {}

  @Test
  void allowedPatterns_managerProperty_decidesWhatEachManagerDeserializes() {
    Properties allowing = Managers.properties();
    allowing.setProperty("memjcache.serialization.allowedPatterns",
        "java.util.Optional ; " + AllowedValue.class.getName());
    CacheManager trusting = Managers.open(cluster.serverList(), allowing);
    try {
      MutableConfiguration<String, Object> objects =
          new MutableConfiguration<String, Object>().setTypes(String.class, Object.class);
      Cache<String, Object> inTrusting = trusting.createCache(name, objects);
      Cache<String, Object> inB = b.createCache(name, objects);

      inTrusting.put("k", new AllowedValue("x"));

      assertEquals(new AllowedValue("x"), inTrusting.get("k"));
      assertNull(inB.get("k"), "B was not told to allow " + AllowedValue.class.getName());
      assertEquals(Map.of("k", new AllowedValue("x")), contents(inTrusting));

      raw.set(raw.entryKey(name, "h"), Envelope.encode(Serializer.FORMAT_JAVA, Envelope.ETERNAL,
          RawAccess.utf8("h"), HostilePayload.serialize(new HostilePayload.Gadget())));
      HostilePayload.reset();
      assertNull(inTrusting.get("h"));
      assertEquals(0, HostilePayload.TRIGGERED.get());
      assertNotEquals(null, inTrusting.get("k"));
    } finally {
      Managers.close(trusting);
    }
  }

  /** A key class that one manager allows by configuration and another does not. */
  record AllowedKey(String text) implements Serializable {}

  @Test
  void removeAll_keysThisManagerMayNotDecode_areRemovedToo() {
    Properties allowing = Managers.properties();
    allowing.setProperty("memjcache.serialization.allowedPatterns", AllowedKey.class.getName());
    CacheManager trusting = Managers.open(cluster.serverList(), allowing);
    try {
      MutableConfiguration<Object, String> objects = new MutableConfiguration<Object, String>()
          .setTypes(Object.class, String.class);
      Cache<Object, String> inTrusting = trusting.createCache(name, objects);
      Cache<Object, String> inB = b.createCache(name, objects);
      inTrusting.put(new AllowedKey("x"), "one");
      inTrusting.put("plain", "two");

      inB.removeAll();

      assertNull(inTrusting.get(new AllowedKey("x")), "B could not decode the key but removed its entry");
      assertNull(inTrusting.get("plain"));
      assertEquals(Map.of(), contents(inTrusting));
    } finally {
      Managers.close(trusting);
    }
  }
}
