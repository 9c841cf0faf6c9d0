package io.memjcache.cdi;

import java.lang.annotation.Annotation;
import java.util.function.Supplier;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.annotation.CacheInvocationContext;
import javax.cache.annotation.CacheMethodDetails;
import javax.cache.annotation.CacheResolver;
import javax.cache.annotation.CacheResolverFactory;
import javax.cache.annotation.CacheResult;
import javax.cache.configuration.MutableConfiguration;

/**
 * The spec's default: caches found by name in one {@link CacheManager} (the application's CDI bean
 * of that type if it has one, else the default provider's default manager), created with a plain
 * {@link MutableConfiguration} when missing.
 */
final class DefaultResolverFactory implements CacheResolverFactory {
  private final Supplier<CacheManager> manager;

  DefaultResolverFactory(Supplier<CacheManager> manager) {
    this.manager = manager;
  }

  @Override
  public CacheResolver getCacheResolver(CacheMethodDetails<? extends Annotation> details) {
    return new NamedCacheResolver(manager, details.getCacheName());
  }

  @Override
  public CacheResolver getExceptionCacheResolver(CacheMethodDetails<CacheResult> details) {
    String name = details.getCacheAnnotation().exceptionCacheName();
    if (name.isEmpty()) {
      throw new IllegalArgumentException("no exceptionCacheName on " + details.getMethod());
    }
    return new NamedCacheResolver(manager, name);
  }

  /** Resolves one cache by name, remembering it until it is closed. */
  static final class NamedCacheResolver implements CacheResolver {
    private final Supplier<CacheManager> manager;
    private final String name;
    private volatile Cache<Object, Object> cache;

    NamedCacheResolver(Supplier<CacheManager> manager, String name) {
      this.manager = manager;
      this.name = name;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> Cache<K, V> resolveCache(CacheInvocationContext<? extends Annotation> context) {
      Cache<Object, Object> c = cache;
      if (c == null || c.isClosed()) {
        c = getOrCreate(manager.get(), name);
        cache = c;
      }
      return (Cache<K, V>) c;
    }

    private static Cache<Object, Object> getOrCreate(CacheManager manager, String name) {
      Cache<Object, Object> existing = manager.getCache(name);
      if (existing != null) {
        return existing;
      }
      try {
        return manager.createCache(name, new MutableConfiguration<>());
      } catch (CacheException e) {
        // Another thread (or client of this manager) created it in between.
        existing = manager.getCache(name);
        if (existing == null) {
          throw e;
        }
        return existing;
      }
    }
  }
}
