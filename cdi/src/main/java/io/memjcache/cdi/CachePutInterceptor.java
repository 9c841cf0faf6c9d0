package io.memjcache.cdi;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import java.io.Serializable;
import javax.cache.Cache;
import javax.cache.annotation.CachePut;
import javax.cache.annotation.GeneratedCacheKey;

/**
 * {@link CachePut}: store the {@link javax.cache.annotation.CacheValue} argument under the key,
 * before the method runs or after it returns (or throws an exception that {@code cacheFor} selects).
 * A null value removes the key, since a JCache cache holds no nulls.
 */
@CachePut
@Interceptor
@Priority(Interceptor.Priority.LIBRARY_BEFORE)
class CachePutInterceptor implements Serializable {
  private static final long serialVersionUID = 1L;

  private final CacheMethods methods;

  @Inject
  CachePutInterceptor(CacheMethods methods) {
    this.methods = methods;
  }

  @AroundInvoke
  Object cachePut(InvocationContext context) throws Exception {
    BoundMethod<CachePut> bound = methods.bind(context, CachePut.class);
    if (bound == null) {
      return context.proceed();
    }
    CacheInvocation<CachePut> invocation = bound.invocation(context);
    GeneratedCacheKey key = bound.key(invocation);
    Object value = invocation.getValueParameter().getValue();
    Cache<Object, Object> cache = bound.cache(invocation);
    return bound.proceedWith(context, () -> put(cache, key, value));
  }

  private static void put(Cache<Object, Object> cache, GeneratedCacheKey key, Object value) {
    if (value == null) {
      cache.remove(key);
    } else {
      cache.put(key, value);
    }
  }
}
