package io.memjcache.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.annotation.CacheDefaults;
import javax.cache.annotation.CacheResult;

/** The key generator and resolver factory come from {@link CacheDefaults}. */
@ApplicationScoped
@CacheDefaults(cacheKeyGenerator = UpperCaseKeys.class, cacheResolverFactory = SideCacheResolverFactory.class)
public class CustomDefaultsBean {
  static final AtomicInteger CALLS = new AtomicInteger();

  @CacheResult(cacheName = "cdi.customdefaults")
  public String get(String id) {
    return id + "#" + CALLS.incrementAndGet();
  }
}
