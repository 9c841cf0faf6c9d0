package io.memjcache.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.memjcache.testing.MemcachedCluster;
import io.memjcache.testing.MemcachedTest;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** An application bean of type {@link CacheManager} replaces the provider's default manager. */
@MemcachedTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CacheManagerBeanIT {

  @Test
  void defaultResolverFactory_cacheManagerBean_cachesCreatedInIt(MemcachedCluster cluster) throws Exception {
    try (CdiContainer container = CdiContainer.start(cluster, ResultBean.class, ManagerProducer.class)) {
      ResultBean bean = container.bean(ResultBean.class);
      assertEquals("a#1", bean.get("a"));
      assertEquals("a#1", bean.get("a"));
      assertEquals(1, bean.calls());
      CacheManager produced = ManagerProducer.PRODUCED.get();
      assertNotNull(produced, "the producer was called");
      assertNotSame(CdiContainer.manager(), produced);
      Cache<Object, Object> cache = produced.getCache("cdi.result");
      assertNotNull(cache, "the cache was created in the bean's manager");
      assertEquals("a#1", cache.get(new DefaultCacheKey("a")));
      assertNull(CdiContainer.manager().getCache("cdi.result"), "the default manager was not used");
    }
  }
}
