package io.memjcache.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.memjcache.testing.MemcachedCluster;
import io.memjcache.testing.MemcachedTest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Cache names from {@code @CacheDefaults} shared by all four annotations (the TCK's blog manager
 * scenarios), a method's own name overriding it, and a class-level caching annotation.
 */
@MemcachedTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DefaultsIT {
  private static CdiContainer container;
  private BlogBean blog;

  @BeforeAll
  static void start(MemcachedCluster cluster) {
    container = CdiContainer.start(cluster, BlogBean.class, ClassLevelBean.class);
  }

  @AfterAll
  static void stop() {
    container.close();
  }

  @BeforeEach
  void setUp() {
    blog = container.bean(BlogBean.class);
    blog.reset();
    CdiContainer.clearCaches();
  }

  @Test
  void cacheResult_entryGoneFromTheStore_stillServedFromTheCache() {
    blog.create("t", "body 1");
    assertEquals("body 1", blog.body("t"));
    blog.forget("t");
    assertEquals("body 1", blog.body("t"));
    assertEquals(1, blog.reads());
    assertEquals("body 1", CdiContainer.cache("cdi.blog").get(new DefaultCacheKey("t")));
  }

  @Test
  void cacheResult_cacheKeyParameter_sameEntryAsTheSingleParameterMethod() {
    blog.create("t", "body 1");
    assertEquals("body 1", blog.body("x", "t", "y"));
    blog.forget("t");
    assertEquals("body 1", blog.body("t"));
    assertEquals(1, blog.reads());
  }

  @Test
  void cacheRemove_classDefaultName_removesWhatCacheResultCached() {
    blog.create("t", "body 1");
    blog.body("t");
    blog.evict("t");
    blog.forget("t");
    assertNull(blog.body("t"));
    assertEquals(2, blog.reads());
  }

  @Test
  void cacheRemoveAll_classDefaultName_emptiesTheCache() {
    blog.create("t", "body 1");
    blog.create("u", "body 2");
    blog.body("t");
    blog.body("u");
    blog.forget("t");
    blog.evictAll();
    assertNull(blog.body("t"));
    assertEquals("body 2", blog.body("u"));
    assertEquals(4, blog.reads());
  }

  @Test
  void cachePut_classDefaultName_nextResultServedWithoutReading() {
    blog.update("t", "new body");
    assertEquals("new body", blog.body("t"));
    assertEquals(0, blog.reads());
  }

  @Test
  void cacheName_methodLevel_overridesTheClassDefault() {
    blog.create("t", "four");
    assertEquals(4, blog.length("t"));
    assertEquals(4, blog.length("t"));
    assertEquals(1, blog.reads());
    assertEquals(4, CdiContainer.cache("cdi.blog.lengths").get(new DefaultCacheKey("t")));
    assertNull(CdiContainer.cache("cdi.blog").get(new DefaultCacheKey("t")));
  }

  @Test
  void classLevelCacheResult_appliesToMethods_methodAnnotationAndVoidExcluded() {
    ClassLevelBean bean = container.bean(ClassLevelBean.class);
    int start = ClassLevelBean.CALLS.get();
    String first = bean.get("a");
    assertEquals(first, bean.get("a"));
    assertEquals(start + 1, ClassLevelBean.CALLS.get());
    bean.touch();
    bean.touch();
    assertEquals(start + 3, ClassLevelBean.CALLS.get(), "void methods always run");
    bean.clear();
    assertEquals(start + 4, ClassLevelBean.CALLS.get());
    assertEquals("a#" + (start + 5), bean.get("a"), "clear() emptied the class's cache");
  }
}
