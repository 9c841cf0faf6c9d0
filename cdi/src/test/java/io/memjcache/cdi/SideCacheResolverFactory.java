package io.memjcache.cdi;

import java.lang.annotation.Annotation;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.annotation.CacheInvocationContext;
import javax.cache.annotation.CacheMethodDetails;
import javax.cache.annotation.CacheResolver;
import javax.cache.annotation.CacheResolverFactory;
import javax.cache.annotation.CacheResult;
import javax.cache.configuration.MutableConfiguration;

/**
 * A resolver factory that is no CDI bean: whatever the annotation names, results go to cache
 * "cdi.side" and exceptions to "cdi.side.failures". It records the details it was asked about.
 */
public class SideCacheResolverFactory implements CacheResolverFactory {
  static final String SIDE = "cdi.side";
  static final String SIDE_FAILURES = "cdi.side.failures";
  static final List<String> ASKED = new CopyOnWriteArrayList<>();

  @Override
  public CacheResolver getCacheResolver(CacheMethodDetails<? extends Annotation> details) {
    ASKED.add("cache " + details.getCacheName() + " for " + details.getMethod().getName());
    return resolverOf(SIDE);
  }

  @Override
  public CacheResolver getExceptionCacheResolver(CacheMethodDetails<CacheResult> details) {
    ASKED.add("exceptions " + details.getCacheAnnotation().exceptionCacheName() + " for "
        + details.getMethod().getName());
    return resolverOf(SIDE_FAILURES);
  }

  private static CacheResolver resolverOf(String name) {
    return new CacheResolver() {
      @Override
      public <K, V> Cache<K, V> resolveCache(CacheInvocationContext<? extends Annotation> context) {
        CacheManager manager = Caching.getCachingProvider().getCacheManager();
        Cache<K, V> cache = manager.getCache(name);
        return cache != null ? cache : manager.createCache(name, new MutableConfiguration<K, V>());
      }
    };
  }
}
