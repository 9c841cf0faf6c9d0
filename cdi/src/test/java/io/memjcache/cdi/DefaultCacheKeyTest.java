package io.memjcache.cdi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.reflect.Method;
import java.util.concurrent.TimeUnit;
import javax.cache.annotation.CacheKey;
import javax.cache.annotation.CacheResult;
import javax.cache.annotation.GeneratedCacheKey;
import org.junit.jupiter.api.Test;

class DefaultCacheKeyTest {

  @Test
  void equals_sameValues_equalWithEqualHashCodes() {
    DefaultCacheKey a = new DefaultCacheKey("x", 1, null);
    DefaultCacheKey b = new DefaultCacheKey("x", 1, null);
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
  }

  @Test
  void equals_arraysCompareByContent_deepEquality() {
    DefaultCacheKey a = new DefaultCacheKey(new String[] {"p", "q"}, new int[] {1, 2});
    DefaultCacheKey b = new DefaultCacheKey(new String[] {"p", "q"}, new int[] {1, 2});
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(a, new DefaultCacheKey(new String[] {"p", "q"}, new int[] {2, 1}));
  }

  @Test
  void equals_differentValuesOrOrder_notEqual() {
    assertNotEquals(new DefaultCacheKey("x", "y"), new DefaultCacheKey("y", "x"));
    assertNotEquals(new DefaultCacheKey("x"), new DefaultCacheKey("x", null));
    assertNotEquals(new DefaultCacheKey(1), new DefaultCacheKey(1L));
  }

  @Test
  void constructor_callerChangesItsArray_keyUnchanged() {
    Object[] values = {"x"};
    DefaultCacheKey key = new DefaultCacheKey(values);
    values[0] = "changed";
    assertEquals(new DefaultCacheKey("x"), key);
  }

  @Test
  void serialize_roundTrip_equalKeyAndSameBytes() throws Exception {
    DefaultCacheKey key = new DefaultCacheKey("x", 7, TimeUnit.SECONDS, new long[] {3});
    byte[] once = serialize(key);
    DefaultCacheKey copy = (DefaultCacheKey) deserialize(once);
    assertEquals(key, copy);
    assertEquals(key.hashCode(), copy.hashCode());
    // A provider that derives the stored key from these bytes must get the same ones again: the
    // cached hash (an enum's differs between JVMs) is not part of them.
    assertArrayEquals(once, serialize(copy));
    key.hashCode();
    assertArrayEquals(once, serialize(key));
  }

  @Test
  void toString_showsValues() {
    assertEquals("DefaultCacheKey[a, [1, 2]]", new DefaultCacheKey("a", new int[] {1, 2}).toString());
  }

  @Test
  void generateCacheKey_keyParameters_keyOfTheirValuesInOrder() throws Exception {
    Method method = Sample.class.getDeclaredMethod("find", String.class, int.class, String.class);
    @SuppressWarnings("unchecked")
    CacheMethod<CacheResult> details = (CacheMethod<CacheResult>) CacheMethod.read(method, Sample.class);
    CacheInvocation<CacheResult> invocation =
        new CacheInvocation<>(details, new Sample(), new Object[] {"a", 2, "b"}, null);
    GeneratedCacheKey key = DefaultKeyGenerator.INSTANCE.generateCacheKey(invocation);
    assertEquals(new DefaultCacheKey("a", "b"), key);
  }

  static class Sample {
    @CacheResult
    String find(@CacheKey String a, int ignored, @CacheKey String b) {
      return a + b;
    }
  }

  private static byte[] serialize(Object o) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    return bytes.toByteArray();
  }

  private static Object deserialize(byte[] bytes) throws Exception {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      return in.readObject();
    }
  }
}
