package io.memjcache.cdi;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import java.io.Serializable;
import javax.cache.Cache;
import javax.cache.annotation.CacheRemove;
import javax.cache.annotation.GeneratedCacheKey;

/**
 * {@link CacheRemove}: remove the key, before the method runs or after it returns (or throws an
 * exception that {@code evictFor} selects).
 */
@CacheRemove
@Interceptor
@Priority(Interceptor.Priority.LIBRARY_BEFORE)
class CacheRemoveInterceptor implements Serializable {
  private static final long serialVersionUID = 1L;

  private final CacheMethods methods;

  @Inject
  CacheRemoveInterceptor(CacheMethods methods) {
    this.methods = methods;
  }

  @AroundInvoke
  Object cacheRemove(InvocationContext context) throws Exception {
    BoundMethod<CacheRemove> bound = methods.bind(context, CacheRemove.class);
    if (bound == null) {
      return context.proceed();
    }
    CacheInvocation<CacheRemove> invocation = bound.invocation(context);
    GeneratedCacheKey key = bound.key(invocation);
    Cache<Object, Object> cache = bound.cache(invocation);
    return bound.proceedWith(context, () -> cache.remove(key));
  }
}
