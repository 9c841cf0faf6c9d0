package io.memjcache.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * {@code @CacheRemove} and {@code @CacheRemoveAll} through Weld against memcached: after the method
 * by default (the method body still saw the entry), before it with afterInvocation=false, and on
 * exceptions only as evictFor/noEvictFor say.
 */
@MemcachedTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CacheRemoveIT {
  private static CdiContainer container;
  private WriteBean bean;
  private Cache<Object, Object> cache;

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
    bean.putFirst("a", "va"); // creates the cache through the interceptors
    bean.putFirst("b", "vb");
    bean.reset();
    cache = CdiContainer.cache(WriteBean.CACHE);
  }

  private Object cached(Object... key) {
    return cache.get(new DefaultCacheKey(key));
  }

  @Test
  void cacheRemove_afterInvocation_removedAfterTheMethodRan() {
    bean.remove("a");
    assertEquals(List.of("va"), bean.seen());
    assertNull(cached("a"));
    assertEquals("vb", cached("b"), "other keys stay");
  }

  @Test
  void cacheRemove_beforeInvocation_removedBeforeTheMethodRan() {
    bean.removeFirst("a");
    assertEquals(List.of("nothing"), bean.seen());
    assertNull(cached("a"));
  }

  @Test
  void cacheRemove_afterInvocationMethodThrows_notRemoved() {
    bean.failWith(new IllegalStateException("no"));
    assertThrows(IllegalStateException.class, () -> bean.remove("a"));
    assertEquals("va", cached("a"));
  }

  @Test
  void cacheRemove_beforeInvocationMethodThrows_removedAnyway() {
    bean.failWith(new IllegalStateException("no"));
    assertThrows(IllegalStateException.class, () -> bean.removeFirst("a"));
    assertNull(cached("a"));
  }

  @Test
  void cacheRemove_evictForAndNoEvictFor_removedOnlyForIncludedNotExcluded() {
    bean.failWith(new IllegalArgumentException("included"));
    assertThrows(IllegalArgumentException.class, () -> bean.removeForSome("a"));
    bean.failWith(new NumberFormatException("excluded"));
    assertThrows(NumberFormatException.class, () -> bean.removeForSome("b"));
    assertNull(cached("a"));
    assertEquals("vb", cached("b"));
  }

  @Test
  void cacheRemove_cacheKeyParameter_onlyItMakesTheKey() {
    bean.removeKeyed("a note", "a");
    assertNull(cached("a"));
    assertEquals("vb", cached("b"));
  }

  @Test
  void cacheRemoveAll_afterInvocation_everyEntryRemovedAfterTheMethodRan() {
    bean.removeAll();
    assertEquals(List.of(true), bean.seen(), "the method ran while the entries were there");
    assertNull(cached("a"));
    assertNull(cached("b"));
    assertFalse(cache.iterator().hasNext());
  }

  @Test
  void cacheRemoveAll_beforeInvocation_emptyWhileTheMethodRan() {
    bean.removeAllFirst();
    assertEquals(List.of(false), bean.seen());
    assertNull(cached("a"));
  }

  @Test
  void cacheRemoveAll_afterInvocationMethodThrows_nothingRemoved() {
    bean.failWith(new IllegalStateException("no"));
    assertThrows(IllegalStateException.class, () -> bean.removeAll());
    assertEquals("va", cached("a"));
    assertEquals("vb", cached("b"));
  }

  @Test
  void cacheRemoveAll_evictFor_removedOnlyForIncluded() {
    bean.failWith(new IllegalStateException("not included"));
    assertThrows(IllegalStateException.class, () -> bean.removeAllFor());
    assertEquals("va", cached("a"));
    bean.failWith(new IllegalArgumentException("included"));
    assertThrows(IllegalArgumentException.class, () -> bean.removeAllFor());
    assertNull(cached("a"));
    assertNull(cached("b"));
  }

  @Test
  void cacheRemoveAll_noEvictForOnly_removedForAllButExcluded() {
    bean.failWith(new IllegalStateException("excluded"));
    assertThrows(IllegalStateException.class, () -> bean.removeAllUnless());
    assertTrue(cache.iterator().hasNext());
    bean.failWith(new UnsupportedOperationException("not excluded"));
    assertThrows(UnsupportedOperationException.class, () -> bean.removeAllUnless());
    assertFalse(cache.iterator().hasNext());
  }
}
