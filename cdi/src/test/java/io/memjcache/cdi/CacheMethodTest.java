package io.memjcache.cdi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import javax.cache.annotation.CacheDefaults;
import javax.cache.annotation.CacheInvocationParameter;
import javax.cache.annotation.CacheKey;
import javax.cache.annotation.CacheKeyGenerator;
import javax.cache.annotation.CacheKeyInvocationContext;
import javax.cache.annotation.CacheMethodDetails;
import javax.cache.annotation.CachePut;
import javax.cache.annotation.CacheRemove;
import javax.cache.annotation.CacheRemoveAll;
import javax.cache.annotation.CacheResolver;
import javax.cache.annotation.CacheResolverFactory;
import javax.cache.annotation.CacheResult;
import javax.cache.annotation.CacheValue;
import javax.cache.annotation.GeneratedCacheKey;
import org.junit.jupiter.api.Test;

/** Reading the annotations of one method: names, key and value parameters, helpers, rules, errors. */
class CacheMethodTest {

  private static CacheMethod<?> read(Class<?> type, String name) {
    Method method = Arrays.stream(type.getDeclaredMethods()).filter(m -> m.getName().equals(name))
        .findFirst().orElseThrow();
    return CacheMethod.read(method, type);
  }

  @Test
  void cacheName_notSet_packageClassMethodAndParameterTypes() {
    assertEquals("io.memjcache.cdi.CacheMethodTest.Plain.find(java.lang.String,int,java.lang.String[],long[])",
        read(Plain.class, "find").getCacheName());
  }

  @Test
  void cacheName_classDefaults_usedWhenMethodSetsNone() {
    assertEquals("defaults", read(WithDefaults.class, "get").getCacheName());
    assertEquals("own", read(WithDefaults.class, "own").getCacheName());
  }

  @Test
  void keyParameters_noCacheKey_allButTheValue() {
    CacheMethod<?> put = read(Plain.class, "store");
    assertArrayEquals(new int[] {0, 2}, put.keyPositions());
    assertEquals(1, put.valuePosition());
  }

  @Test
  void keyParameters_cacheKeyPresent_onlyThose() {
    CacheMethod<?> put = read(Plain.class, "storeKeyed");
    assertArrayEquals(new int[] {1}, put.keyPositions());
    assertEquals(2, put.valuePosition());
  }

  @Test
  void keyParameters_noParameters_emptyKey() {
    assertArrayEquals(new int[0], read(Plain.class, "all").keyPositions());
    assertEquals(-1, read(Plain.class, "all").valuePosition());
  }

  @Test
  void attributes_cacheResult_readFromTheAnnotation() {
    CacheMethod<?> m = read(Plain.class, "failing");
    assertTrue(m.skipGet());
    assertEquals("failures", m.exceptionCacheName());
    assertEquals(new ExceptionRule(List.of(IOException.class), List.of(IllegalStateException.class), true),
        m.exceptionRule());
    assertNull(m.keyGeneratorType(), "the default generator");
    assertNull(m.resolverFactoryType(), "the default factory");
  }

  @Test
  void attributes_putRemoveRemoveAll_afterInvocationAndRules() {
    CacheMethod<?> put = read(Plain.class, "store");
    assertTrue(put.afterInvocation());
    assertEquals(new ExceptionRule(List.of(IOException.class), List.of(), false), put.exceptionRule());
    CacheMethod<?> remove = read(Plain.class, "remove");
    assertFalse(remove.afterInvocation());
    assertEquals(new ExceptionRule(List.of(), List.of(IOException.class), false), remove.exceptionRule());
    CacheMethod<?> removeAll = read(Plain.class, "all");
    assertTrue(removeAll.afterInvocation());
    assertEquals(new ExceptionRule(List.of(RuntimeException.class), List.of(), false), removeAll.exceptionRule());
  }

  @Test
  void helpers_methodOverClassDefaults_overDefault() {
    CacheMethod<?> fromDefaults = read(WithDefaults.class, "get");
    assertEquals(KeyGen.class, fromDefaults.keyGeneratorType());
    assertEquals(Factory.class, fromDefaults.resolverFactoryType());
    CacheMethod<?> own = read(WithDefaults.class, "own");
    assertEquals(OtherKeyGen.class, own.keyGeneratorType());
    assertEquals(Factory.class, own.resolverFactoryType());
  }

  @Test
  void classLevelAnnotation_appliesToMethods_methodLevelWins() {
    CacheMethod<?> inherited = read(ClassLevel.class, "get");
    assertInstanceOf(CacheResult.class, inherited.getCacheAnnotation());
    assertEquals("class", inherited.getCacheName());
    assertInstanceOf(CacheRemoveAll.class, read(ClassLevel.class, "clear").getCacheAnnotation());
    assertNull(read(ClassLevel.class, "touch"), "a class-level @CacheResult caches no void method");
  }

  @Test
  void classLevelAnnotation_subclassOfTheBean_foundOnTheBeanClass() throws Exception {
    // What a container's intercepting subclass looks like: no annotations of its own.
    class ContainerSubclass extends ClassLevel {}
    CacheMethod<?> m = CacheMethod.read(ClassLevel.class.getDeclaredMethod("get", String.class),
        ContainerSubclass.class);
    assertEquals("class", m.getCacheName());
  }

  @Test
  void read_noCachingAnnotation_null() {
    assertNull(read(Plain.class, "notCached"));
  }

  @Test
  void details_methodAndAnnotations_exposed() {
    CacheMethodDetails<?> details = read(Plain.class, "find");
    assertEquals("find", details.getMethod().getName());
    assertTrue(details.getAnnotations().contains(details.getCacheAnnotation()));
  }

  @Test
  void read_twoCacheValues_errorNamesTheMethodAndParameters() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(Invalid.class, "twoValues"));
    assertTrue(e.getMessage().contains("Invalid.twoValues"), e.getMessage());
    assertTrue(e.getMessage().contains("one @CacheValue parameter, found two (parameters 1 and 2)"), e.getMessage());
  }

  @Test
  void read_putWithoutValue_error() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(Invalid.class, "noValue"));
    assertTrue(e.getMessage().contains("@CachePut needs one parameter annotated @CacheValue"), e.getMessage());
  }

  @Test
  void read_twoCachingAnnotations_error() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(Invalid.class, "both"));
    assertTrue(e.getMessage().contains("found @CacheResult and @CacheRemove"), e.getMessage());
  }

  @Test
  void read_valueWithoutPut_error() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> read(Invalid.class, "valueOnRemove"));
    assertTrue(e.getMessage().contains("@CacheValue is only meaningful with @CachePut"), e.getMessage());
  }

  @Test
  void read_keyAndValueOnOneParameter_error() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> read(Invalid.class, "keyAndValue"));
    assertTrue(e.getMessage().contains("both @CacheKey and @CacheValue"), e.getMessage());
  }

  @Test
  void read_voidCacheResult_error() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(Invalid.class, "nothing"));
    assertTrue(e.getMessage().contains("void method"), e.getMessage());
  }

  @Test
  void invocation_parameters_typesValuesAnnotationsPositions() {
    @SuppressWarnings("unchecked")
    CacheMethod<CachePut> put = (CacheMethod<CachePut>) read(Plain.class, "storeKeyed");
    Plain target = new Plain();
    CacheInvocation<CachePut> invocation = new CacheInvocation<>(put, target, new Object[] {"n", "k", 5}, "ctx");
    assertEquals(target, invocation.getTarget());
    CacheInvocationParameter[] all = invocation.getAllParameters();
    assertEquals(3, all.length);
    assertEquals(Integer.class, all[2].getRawType());
    assertEquals(5, all[2].getValue());
    assertInstanceOf(CacheValue.class, all[2].getAnnotations().iterator().next());
    assertEquals(2, invocation.getValueParameter().getParameterPosition());
    assertEquals(1, invocation.getKeyParameters().length);
    assertEquals("k", invocation.getKeyParameters()[0].getValue());
    assertEquals("ctx", invocation.unwrap(String.class));
    assertThrows(IllegalArgumentException.class, () -> invocation.unwrap(Long.class));
  }

  static class Plain {
    @CacheResult
    String find(String a, int b, String[] c, long[] d) {
      return a;
    }

    @CacheResult(skipGet = true, exceptionCacheName = "failures", cachedExceptions = IOException.class,
        nonCachedExceptions = IllegalStateException.class)
    String failing(String id) {
      return id;
    }

    @CachePut(cacheName = "c", cacheFor = IOException.class)
    void store(String a, @CacheValue String value, int b) {}

    @CachePut(cacheName = "c")
    void storeKeyed(String note, @CacheKey String id, @CacheValue Integer value) {}

    @CacheRemove(cacheName = "c", afterInvocation = false, noEvictFor = IOException.class)
    void remove(String id) {}

    @CacheRemoveAll(cacheName = "c", evictFor = RuntimeException.class)
    void all() {}

    String notCached(String id) {
      return id;
    }
  }

  @CacheDefaults(cacheName = "defaults", cacheKeyGenerator = KeyGen.class, cacheResolverFactory = Factory.class)
  static class WithDefaults {
    @CacheResult
    String get(String id) {
      return id;
    }

    @CacheResult(cacheName = "own", cacheKeyGenerator = OtherKeyGen.class)
    String own(String id) {
      return id;
    }
  }

  @CacheResult(cacheName = "class")
  static class ClassLevel {
    String get(String id) {
      return id;
    }

    @CacheRemoveAll(cacheName = "class")
    void clear() {}

    void touch() {}
  }

  static class Invalid {
    @CachePut(cacheName = "c")
    void twoValues(String id, @CacheValue String a, @CacheValue String b) {}

    @CachePut(cacheName = "c")
    void noValue(String id) {}

    @CacheResult(cacheName = "c")
    @CacheRemove(cacheName = "c")
    String both(String id) {
      return id;
    }

    @CacheRemove(cacheName = "c")
    void valueOnRemove(String id, @CacheValue String value) {}

    @CachePut(cacheName = "c")
    void keyAndValue(@CacheKey @CacheValue String id) {}

    @CacheResult(cacheName = "c")
    void nothing(String id) {}
  }

  static class KeyGen implements CacheKeyGenerator {
    @Override
    public GeneratedCacheKey generateCacheKey(CacheKeyInvocationContext<? extends Annotation> context) {
      return new DefaultCacheKey();
    }
  }

  static class OtherKeyGen extends KeyGen {}

  static class Factory implements CacheResolverFactory {
    @Override
    public CacheResolver getCacheResolver(CacheMethodDetails<? extends Annotation> details) {
      return null;
    }

    @Override
    public CacheResolver getExceptionCacheResolver(CacheMethodDetails<CacheResult> details) {
      return null;
    }
  }
}
