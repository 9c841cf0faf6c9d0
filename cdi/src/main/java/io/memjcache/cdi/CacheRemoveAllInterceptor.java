package io.memjcache.cdi;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import java.io.Serializable;
import javax.cache.Cache;
import javax.cache.annotation.CacheRemoveAll;

/**
 * {@link CacheRemoveAll}: empty the cache, before the method runs or after it returns (or throws an
 * exception that {@code evictFor} selects).
 */
@CacheRemoveAll
@Interceptor
@Priority(Interceptor.Priority.LIBRARY_BEFORE)
class CacheRemoveAllInterceptor implements Serializable {
  private static final long serialVersionUID = 1L;

  private final CacheMethods methods;

  @Inject
  CacheRemoveAllInterceptor(CacheMethods methods) {
    this.methods = methods;
  }

  @AroundInvoke
  Object cacheRemoveAll(InvocationContext context) throws Exception {
    BoundMethod<CacheRemoveAll> bound = methods.bind(context, CacheRemoveAll.class);
    if (bound == null) {
      return context.proceed();
    }
    Cache<Object, Object> cache = bound.cache(bound.invocation(context));
    return bound.proceedWith(context, cache::removeAll);
  }
}
