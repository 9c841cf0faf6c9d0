package io.memjcache.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.memjcache.testing.MemcachedCluster;
import io.memjcache.testing.MemcachedTest;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code @CacheResult} through Weld against memcached: a hit skips the method (counted), a miss runs
 * it and caches a non-null result; skipGet; keys; the exception cache and its include/exclude rules.
 */
@MemcachedTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CacheResultIT {
  private static CdiContainer container;
  private ResultBean bean;

  @BeforeAll
  static void start(MemcachedCluster cluster) {
    container = CdiContainer.start(cluster, ResultBean.class);
  }

  @AfterAll
  static void stop() {
    container.close();
  }

  @BeforeEach
  void setUp() {
    bean = container.bean(ResultBean.class);
    bean.reset();
    CdiContainer.clearCaches();
  }

  @Test
  void cacheResult_secondCall_servedFromTheCacheWithoutInvoking() throws Exception {
    assertEquals("a#1", bean.get("a"));
    assertEquals("a#1", bean.get("a"));
    assertEquals(1, bean.calls());
    assertEquals("b#2", bean.get("b"), "another key misses");
    assertEquals("a#1", CdiContainer.cache("cdi.result").get(new DefaultCacheKey("a")), "stored in memcached");
  }

  @Test
  void cacheResult_unannotatedMethod_alwaysInvoked() throws Exception {
    int before = bean.calls();
    bean.uncached("a");
    bean.uncached("a");
    assertEquals(before + 2, bean.calls());
  }

  @Test
  void cacheResult_entryRemovedFromTheCache_invokedAgain() throws Exception {
    bean.get("a");
    CdiContainer.cache("cdi.result").remove(new DefaultCacheKey("a"));
    assertEquals("a#2", bean.get("a"));
  }

  @Test
  void cacheResult_entryPutDirectly_returnedWithoutInvoking() throws Exception {
    bean.get("warm-up"); // creates the cache
    CdiContainer.cache("cdi.result").put(new DefaultCacheKey("z"), "from the cache");
    int before = bean.calls();
    assertEquals("from the cache", bean.get("z"));
    assertEquals(before, bean.calls());
  }

  @Test
  void cacheName_notSet_packageClassMethodAndParameterTypes() throws Exception {
    assertEquals("a/2#1", bean.byDefaultName("a", 2));
    assertEquals("a/2#1", bean.byDefaultName("a", 2));
    assertEquals(1, bean.calls());
    assertEquals("a/2#1", CdiContainer.cache("io.memjcache.cdi.ResultBean.byDefaultName(java.lang.String,int)")
        .get(new DefaultCacheKey("a", 2)));
  }

  @Test
  void key_cacheKeyParameters_otherParametersIgnored() throws Exception {
    assertEquals("k#1", bean.keyed("x", "k", 1));
    assertEquals("k#1", bean.keyed("y", "k", 2));
    assertEquals(1, bean.calls());
    assertEquals("k#1", CdiContainer.cache("cdi.result.keyed").get(new DefaultCacheKey("k")));
  }

  @Test
  void key_arrayParameter_equalContentHits() throws Exception {
    assertEquals("p+q#1", bean.joined(new String[] {"p", "q"}));
    assertEquals("p+q#1", bean.joined(new String[] {"p", "q"}));
    assertEquals("q+p#2", bean.joined(new String[] {"q", "p"}));
  }

  @Test
  void cacheResult_nullResult_notCached() {
    assertNull(bean.nothing("n"));
    assertNull(bean.nothing("n"));
    assertEquals(2, bean.calls());
    assertNull(CdiContainer.cache("cdi.result.null").get(new DefaultCacheKey("n")));
  }

  @Test
  void skipGet_true_alwaysInvokedAndLatestResultCached() throws Exception {
    assertEquals("s#1", bean.refresh("s"));
    assertEquals("s#2", bean.refresh("s"));
    assertEquals(2, bean.calls());
    assertEquals("s#2", CdiContainer.cache("cdi.result.skip").get(new DefaultCacheKey("s")));
  }

  @Test
  void exceptionCache_noRules_everyExceptionCachedAndRethrownWithoutInvoking() throws Exception {
    bean.failWith(new IllegalStateException("first"));
    assertEquals("first", assertThrows(IllegalStateException.class, () -> bean.cachingAllExceptions("e")).getMessage());
    bean.failWith(null);
    IllegalStateException cached = assertThrows(IllegalStateException.class, () -> bean.cachingAllExceptions("e"));
    assertEquals("first", cached.getMessage());
    assertEquals(1, bean.calls(), "the cached exception was thrown without invoking the method");
    assertEquals("f#2", bean.cachingAllExceptions("f"), "another key is not affected");
  }

  @Test
  void exceptionCache_cachedExceptionRemoved_methodRunsAndResultCached() throws Exception {
    bean.failWith(new IllegalStateException("first"));
    assertThrows(IllegalStateException.class, () -> bean.cachingAllExceptions("e"));
    bean.failWith(null);
    CdiContainer.cache("cdi.result.all.failures").remove(new DefaultCacheKey("e"));
    assertEquals("e#2", bean.cachingAllExceptions("e"));
    assertEquals("e#2", bean.cachingAllExceptions("e"));
  }

  @Test
  void exceptionCache_notConfigured_exceptionsNeverCached() throws Exception {
    bean.failWith(new IllegalStateException("boom"));
    assertThrows(IllegalStateException.class, () -> bean.cachingNoExceptions("e"));
    bean.failWith(null);
    assertEquals("e#2", bean.cachingNoExceptions("e"));
  }

  @Test
  void exceptionCache_cachedAndNonCachedExceptions_onlyIncludedNotExcludedCached() throws Exception {
    bean.failWith(new IllegalArgumentException("included"));
    assertThrows(IllegalArgumentException.class, () -> bean.cachingSomeExceptions("in"));
    bean.failWith(new NumberFormatException("included but excluded"));
    assertThrows(NumberFormatException.class, () -> bean.cachingSomeExceptions("excluded"));
    bean.failWith(new IllegalStateException("not included"));
    assertThrows(IllegalStateException.class, () -> bean.cachingSomeExceptions("other"));
    bean.failWith(null);
    assertEquals("included", assertThrows(IllegalArgumentException.class,
        () -> bean.cachingSomeExceptions("in")).getMessage());
    assertEquals("excluded#4", bean.cachingSomeExceptions("excluded"));
    assertEquals("other#5", bean.cachingSomeExceptions("other"));
  }

  @Test
  void exceptionCache_nonCachedExceptionsOnly_allButExcludedCached() throws Exception {
    bean.failWith(new IllegalStateException("excluded"));
    assertThrows(IllegalStateException.class, () -> bean.cachingAllButExcluded("x"));
    bean.failWith(new UnsupportedOperationException("cached"));
    assertThrows(UnsupportedOperationException.class, () -> bean.cachingAllButExcluded("y"));
    bean.failWith(null);
    assertEquals("x#3", bean.cachingAllButExcluded("x"));
    assertThrows(UnsupportedOperationException.class, () -> bean.cachingAllButExcluded("y"));
    assertEquals(3, bean.calls());
  }

  @Test
  void exceptionCache_checkedException_rethrownAsItself() throws Exception {
    IOException original = new IOException("disk");
    bean.failWith(original);
    assertThrows(IOException.class, () -> bean.cachingChecked("c"));
    bean.failWith(null);
    IOException cached = assertThrows(IOException.class, () -> bean.cachingChecked("c"));
    assertEquals("disk", cached.getMessage());
    assertNotSame(original, cached, "a copy read back from memcached");
    assertEquals(1, bean.calls());
  }

  @Test
  void exceptionCache_skipGet_cachedExceptionNotConsultedButNewOneStored() throws Exception {
    bean.failWith(new IllegalStateException("old"));
    assertThrows(IllegalStateException.class, () -> bean.refreshWithFailures("r"));
    bean.failWith(null);
    assertEquals("r#2", bean.refreshWithFailures("r"), "skipGet ignores the cached exception too");
    assertEquals(2, bean.calls());
    assertEquals("old", ((Throwable) CdiContainer.cache("cdi.result.skipfailures.failures")
        .get(new DefaultCacheKey("r"))).getMessage(), "the exception was cached all the same");
  }
}
