package io.memjcache.cdi;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import java.io.Serializable;
import javax.cache.Cache;
import javax.cache.annotation.CacheResult;
import javax.cache.annotation.GeneratedCacheKey;

/**
 * {@link CacheResult}: return the cached value (or rethrow the cached exception) for the key if
 * there is one, else run the method and cache a non-null result (or a selected exception).
 */
@CacheResult
@Interceptor
@Priority(Interceptor.Priority.LIBRARY_BEFORE)
class CacheResultInterceptor implements Serializable {
  private static final long serialVersionUID = 1L;

  private final CacheMethods methods;

  @Inject
  CacheResultInterceptor(CacheMethods methods) {
    this.methods = methods;
  }

  @AroundInvoke
  Object cacheResult(InvocationContext context) throws Exception {
    BoundMethod<CacheResult> bound = methods.bind(context, CacheResult.class);
    if (bound == null) {
      return context.proceed();
    }
    CacheInvocation<CacheResult> invocation = bound.invocation(context);
    GeneratedCacheKey key = bound.key(invocation);
    Cache<Object, Object> cache = bound.cache(invocation);
    Cache<Object, Object> exceptions = bound.exceptionCache(invocation);
    if (!bound.method().skipGet()) {
      Object cached = cache.get(key);
      if (cached != null) {
        return cached;
      }
      if (exceptions != null && exceptions.get(key) instanceof Throwable thrown) {
        throw rethrowable(thrown);
      }
    }
    Object result;
    try {
      result = context.proceed();
    } catch (Throwable thrown) {
      if (exceptions != null && bound.method().exceptionRule().selects(thrown)) {
        exceptions.put(key, thrown);
      }
      throw thrown;
    }
    if (result != null) {
      cache.put(key, result);
    }
    return result;
  }

  private static Exception rethrowable(Throwable thrown) {
    if (thrown instanceof Error error) {
      throw error;
    }
    if (thrown instanceof Exception exception) {
      return exception;
    }
    return new java.lang.reflect.UndeclaredThrowableException(thrown);
  }
}
