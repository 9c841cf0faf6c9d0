package io.memjcache.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.memjcache.testing.MemcachedCluster;
import io.memjcache.testing.MemcachedTest;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code @CachePut} through Weld against memcached: the @CacheValue argument stored under the key
 * of the other (or the @CacheKey) arguments, after the method by default (what the method body saw
 * tells), before it with afterInvocation=false, and on exceptions only as cacheFor/noCacheFor say.
 */
@MemcachedTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CachePutIT {
  private static CdiContainer container;
  private WriteBean bean;

  @BeforeAll
  static void start(MemcachedCluster cluster) {
    container = CdiContainer.start(cluster, WriteBean.class);
  }

  @AfterAll
  static void stop() {
    container.close();
  }

  @BeforeEach
  void setUp() {
    bean = container.bean(WriteBean.class);
    bean.reset();
    CdiContainer.clearCaches();
  }

  private static Object cached(Object... key) {
    return CdiContainer.cache(WriteBean.CACHE).get(new DefaultCacheKey(key));
  }

  @Test
  void cachePut_afterInvocation_storedAfterTheMethodRan() {
    bean.put("a", "v1");
    assertEquals("v1", cached("a"));
    bean.put("a", "v2");
    assertEquals("v2", cached("a"));
    assertEquals(List.of("nothing", "v1"), bean.seen(), "each call ran before its own put");
  }

  @Test
  void cachePut_beforeInvocation_storedBeforeTheMethodRan() {
    bean.putFirst("a", "v1");
    assertEquals(List.of("v1"), bean.seen());
    assertEquals("v1", cached("a"));
  }

  @Test
  void cachePut_afterInvocationMethodThrows_notStored() {
    bean.failWith(new IllegalStateException("no"));
    assertThrows(IllegalStateException.class, () -> bean.put("a", "v1"));
    assertNull(cached("a"));
  }

  @Test
  void cachePut_beforeInvocationMethodThrows_storedAnyway() {
    bean.failWith(new IllegalStateException("no"));
    assertThrows(IllegalStateException.class, () -> bean.putFirst("a", "v1"));
    assertEquals("v1", cached("a"));
  }

  @Test
  void cachePut_cacheForAndNoCacheFor_storedOnlyForIncludedNotExcluded() {
    bean.failWith(new IllegalArgumentException("included"));
    assertThrows(IllegalArgumentException.class, () -> bean.putForSome("a", "v"));
    bean.failWith(new NumberFormatException("excluded"));
    assertThrows(NumberFormatException.class, () -> bean.putForSome("b", "v"));
    bean.failWith(new IllegalStateException("not included"));
    assertThrows(IllegalStateException.class, () -> bean.putForSome("c", "v"));
    assertEquals("v", cached("a"));
    assertNull(cached("b"));
    assertNull(cached("c"));
  }

  @Test
  void cachePut_noCacheForOnly_storedForAllButExcluded() {
    bean.failWith(new IllegalStateException("excluded"));
    assertThrows(IllegalStateException.class, () -> bean.putUnless("a", "v"));
    bean.failWith(new UnsupportedOperationException("not excluded"));
    assertThrows(UnsupportedOperationException.class, () -> bean.putUnless("b", "v"));
    assertNull(cached("a"));
    assertEquals("v", cached("b"));
  }

  @Test
  void key_cacheKeyParameter_onlyItMakesTheKey() {
    bean.putKeyed("k", "a note", "v");
    assertEquals("v", cached("k"));
  }

  @Test
  void key_noCacheKey_allParametersButTheValueInOrder() {
    bean.putComposite(42, "x", 7);
    assertEquals(42, cached("x", 7));
  }

  @Test
  void cachePut_nullValue_removesTheEntry() {
    bean.put("a", "v1");
    bean.put("a", null);
    assertNull(cached("a"));
  }

  @Test
  void cachePut_thenValueReadBackThroughTheCacheApi_sameCacheAsResultsUse() {
    bean.put("a", "v1");
    Cache<Object, Object> cache = CdiContainer.cache(WriteBean.CACHE);
    assertEquals("v1", cache.get(new DefaultCacheKey("a")));
    assertEquals(1, bean.calls());
  }
}
