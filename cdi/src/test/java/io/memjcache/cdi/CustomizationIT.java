package io.memjcache.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.testing.MemcachedCluster;
import io.memjcache.testing.MemcachedTest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Custom {@code CacheKeyGenerator}s (a plain class created by constructor, a CDI bean with an
 * injected dependency) and a custom {@code CacheResolverFactory}, named on the method or by
 * {@code @CacheDefaults}.
 */
@MemcachedTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CustomizationIT {
  private static CdiContainer container;
  private CustomBean bean;

  @BeforeAll
  static void start(MemcachedCluster cluster) {
    container = CdiContainer.start(cluster, CustomBean.class, CustomDefaultsBean.class, PrefixedKeys.class,
        KeyPrefix.class, BeanResolverFactory.class);
  }

  @AfterAll
  static void stop() {
    container.close();
  }

  @BeforeEach
  void setUp() {
    bean = container.bean(CustomBean.class);
    bean.reset();
    CdiContainer.clearCaches();
  }

  @Test
  void cacheKeyGenerator_plainClass_itsKeysUsed() {
    assertEquals("a#1", bean.upper("a"));
    assertEquals("a#1", bean.upper("A"), "the generator makes the same key for both");
    assertEquals(1, bean.calls());
    assertEquals("a#1", CdiContainer.cache("cdi.custom.upper").get(new DefaultCacheKey("A")));
  }

  @Test
  void cacheKeyGenerator_cdiBean_takenFromTheContainerWithItsInjections() {
    assertEquals("a#1", bean.prefixed("a"));
    assertEquals("a#1", bean.prefixed("a"));
    assertEquals(1, bean.calls());
    assertEquals("a#1", CdiContainer.cache("cdi.custom.prefixed").get(new DefaultCacheKey("bean:a")));
  }

  @Test
  void cacheResolverFactory_custom_resolvesTheCachesItChooses() {
    assertEquals("a#1", bean.side("a"));
    assertEquals("a#1", bean.side("a"));
    assertEquals(1, bean.calls());
    assertEquals("a#1", CdiContainer.cache(SideCacheResolverFactory.SIDE).get(new DefaultCacheKey("a")));
    assertNull(CdiContainer.manager().getCache("cdi.custom.named"), "the annotation's name was not used");
    assertTrue(SideCacheResolverFactory.ASKED.contains("cache cdi.custom.named for side"),
        SideCacheResolverFactory.ASKED.toString());
    assertTrue(SideCacheResolverFactory.ASKED.contains("exceptions cdi.custom.named.failures for side"),
        SideCacheResolverFactory.ASKED.toString());
  }

  @Test
  void cacheResolverFactory_cdiBean_takenFromTheContainerWithItsInjections() {
    assertEquals("a#1", bean.fromBeanFactory("a"));
    assertEquals("a#1", bean.fromBeanFactory("a"));
    assertEquals(1, bean.calls());
    assertEquals("a#1", CdiContainer.cache("bean:cdi.custom.beanfactory").get(new DefaultCacheKey("a")));
  }

  @Test
  void cacheResolverFactory_customExceptionResolver_exceptionsCachedWhereItSays() {
    bean.failWith(new IllegalStateException("stored aside"));
    assertThrows(IllegalStateException.class, () -> bean.side("e"));
    bean.failWith(null);
    assertEquals("stored aside",
        assertThrows(IllegalStateException.class, () -> bean.side("e")).getMessage());
    assertEquals(1, bean.calls());
    assertEquals("stored aside", ((Throwable) CdiContainer.cache(SideCacheResolverFactory.SIDE_FAILURES)
        .get(new DefaultCacheKey("e"))).getMessage());
  }

  @Test
  void cacheDefaults_keyGeneratorAndResolverFactory_appliedToTheClassMethods() {
    CustomDefaultsBean defaults = container.bean(CustomDefaultsBean.class);
    int start = CustomDefaultsBean.CALLS.get();
    String first = defaults.get("b");
    assertEquals(first, defaults.get("B"));
    assertEquals(start + 1, CustomDefaultsBean.CALLS.get());
    assertEquals(first, CdiContainer.cache(SideCacheResolverFactory.SIDE).get(new DefaultCacheKey("B")));
  }
}
