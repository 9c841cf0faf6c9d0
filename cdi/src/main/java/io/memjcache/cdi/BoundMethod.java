package io.memjcache.cdi;

import jakarta.interceptor.InvocationContext;
import java.lang.annotation.Annotation;
import javax.cache.Cache;
import javax.cache.annotation.CacheKeyGenerator;
import javax.cache.annotation.CacheResolver;
import javax.cache.annotation.GeneratedCacheKey;

/**
 * A {@link CacheMethod} with the helpers it resolved to: its key generator and its cache resolvers
 * (the second only for a {@link javax.cache.annotation.CacheResult} with an exception cache).
 */
record BoundMethod<A extends Annotation>(CacheMethod<A> method, CacheKeyGenerator keyGenerator,
    CacheResolver resolver, CacheResolver exceptionResolver) {

  CacheInvocation<A> invocation(InvocationContext context) {
    return new CacheInvocation<>(method, context.getTarget(), context.getParameters(), context);
  }

  GeneratedCacheKey key(CacheInvocation<A> invocation) {
    GeneratedCacheKey key = keyGenerator.generateCacheKey(invocation);
    if (key == null) {
      throw new IllegalStateException(keyGenerator.getClass().getName() + " returned a null key for "
          + method.getMethod());
    }
    return key;
  }

  Cache<Object, Object> cache(CacheInvocation<A> invocation) {
    return resolved(resolver, invocation, method.getCacheName());
  }

  /** The exception cache, or null when this method caches no exceptions. */
  Cache<Object, Object> exceptionCache(CacheInvocation<A> invocation) {
    return exceptionResolver == null
        ? null
        : resolved(exceptionResolver, invocation, method.exceptionCacheName());
  }

  private Cache<Object, Object> resolved(CacheResolver r, CacheInvocation<A> invocation, String name) {
    Cache<Object, Object> cache = r.resolveCache(invocation);
    if (cache == null) {
      throw new IllegalStateException(r.getClass().getName() + " resolved no cache named '" + name
          + "' for " + method.getMethod());
    }
    return cache;
  }

  /**
   * Runs the method with {@code change} (a put, remove or removeAll) before it, or after it
   * returns, or after it throws an exception the method's exception rule selects, as
   * {@code afterInvocation} says.
   */
  Object proceedWith(InvocationContext context, Runnable change) throws Exception {
    if (!method.afterInvocation()) {
      change.run();
      return context.proceed();
    }
    Object result;
    try {
      result = context.proceed();
    } catch (Throwable thrown) {
      if (method.exceptionRule().selects(thrown)) {
        change.run();
      }
      throw thrown;
    }
    change.run();
    return result;
  }
}
