package io.memjcache.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.annotation.Annotation;
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
 * A resolver factory that is a CDI bean: it prefixes every cache name with the injected
 * {@link KeyPrefix}, which only the container can provide.
 */
@ApplicationScoped
public class BeanResolverFactory implements CacheResolverFactory {
  @Inject
  KeyPrefix prefix;

  @Override
  public CacheResolver getCacheResolver(CacheMethodDetails<? extends Annotation> details) {
    return resolverOf(prefix.value() + details.getCacheName());
  }

  @Override
  public CacheResolver getExceptionCacheResolver(CacheMethodDetails<CacheResult> details) {
    return resolverOf(prefix.value() + details.getCacheAnnotation().exceptionCacheName());
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
