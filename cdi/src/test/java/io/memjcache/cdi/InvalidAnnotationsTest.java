package io.memjcache.cdi;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javax.cache.annotation.CachePut;
import javax.cache.annotation.CacheResult;
import javax.cache.annotation.CacheValue;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;

/**
 * Inconsistent annotations stop the container at start-up with a message naming the method, rather
 * than failing at the first call. Needs no memcached: nothing is cached.
 */
class InvalidAnnotationsTest {

  private static WeldContainer start(Class<?>... beans) {
    return new Weld("invalid-" + System.nanoTime()).disableDiscovery().addBeanClasses(beans)
        .addExtension(new CacheAnnotationsExtension()).initialize();
  }

  private static String failure(Class<?>... beans) {
    RuntimeException e = assertThrows(RuntimeException.class, () -> start(beans).shutdown());
    StringBuilder messages = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      messages.append(t.getMessage()).append('\n');
    }
    return messages.toString();
  }

  @Test
  void start_twoCacheValueParameters_definitionErrorNamingTheMethod() {
    String message = failure(TwoValues.class);
    assertTrue(message.contains("io.memjcache.cdi.InvalidAnnotationsTest.TwoValues.save(java.lang.String,java.lang.String,java.lang.String)"), message);
    assertTrue(message.contains("one @CacheValue parameter, found two"), message);
  }

  @Test
  void start_cachePutWithoutCacheValue_definitionError() {
    String message = failure(NoValue.class);
    assertTrue(message.contains("@CachePut needs one parameter annotated @CacheValue"), message);
  }

  @Test
  void start_twoCachingAnnotationsOnAMethod_definitionError() {
    String message = failure(TwoAnnotations.class);
    assertTrue(message.contains("found @CacheResult and @CachePut"), message);
  }

  @Test
  void start_classLevelCachePutOnMethodsWithoutValue_definitionError() {
    String message = failure(ClassLevelPut.class);
    assertTrue(message.contains("ClassLevelPut.find"), message);
  }

  @Test
  void start_validAnnotations_containerStarts() {
    start(Valid.class).shutdown();
  }

  static class TwoValues {
    @CachePut(cacheName = "c")
    public void save(String id, @CacheValue String a, @CacheValue String b) {}
  }

  static class NoValue {
    @CachePut(cacheName = "c")
    public void save(String id) {}
  }

  static class TwoAnnotations {
    @CacheResult(cacheName = "c")
    @CachePut(cacheName = "c")
    public String both(String id, @CacheValue String value) {
      return value;
    }
  }

  @CachePut(cacheName = "c")
  static class ClassLevelPut {
    public void save(String id, @CacheValue String value) {}

    public String find(String id) {
      return id;
    }
  }

  static class Valid {
    @CachePut(cacheName = "c")
    public void save(String id, @CacheValue String value) {}

    @CacheResult(cacheName = "c")
    public String find(String id) {
      return id;
    }
  }
}
