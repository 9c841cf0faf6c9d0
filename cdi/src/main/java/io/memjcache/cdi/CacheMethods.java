package io.memjcache.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.interceptor.InvocationContext;
import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.annotation.CacheKeyGenerator;
import javax.cache.annotation.CacheResolver;
import javax.cache.annotation.CacheResolverFactory;
import javax.cache.annotation.CacheResult;

/**
 * What the interceptors share: each intercepted method's {@link BoundMethod}, built on its first call
 * and kept, and the helpers it needs. Custom key generators and resolver factories are taken from
 * the container when they are beans, else created with their no-argument constructor, once per
 * type. The default {@link CacheManager} is the application's bean of that type if there is one,
 * else {@code Caching.getCachingProvider().getCacheManager()}.
 */
@ApplicationScoped
class CacheMethods {
  private final ConcurrentMap<MethodKey, Optional<BoundMethod<?>>> bound = new ConcurrentHashMap<>();
  private final ConcurrentMap<Class<?>, Object> helpers = new ConcurrentHashMap<>();
  private final BeanManager beans;
  private final Instance<CacheManager> managers;
  private final DefaultResolverFactory defaultFactory;
  private volatile CacheManager manager;

  /** For the container's client proxy only. */
  CacheMethods() {
    this.beans = null;
    this.managers = null;
    this.defaultFactory = null;
  }

  @Inject
  CacheMethods(BeanManager beans, Instance<CacheManager> managers) {
    this.beans = beans;
    this.managers = managers;
    this.defaultFactory = new DefaultResolverFactory(this::cacheManager);
  }

  /**
   * The intercepted method bound to its helpers, or null when the caching annotation that applies
   * to it is not {@code type} (a class-level binding overridden by the method's own annotation).
   */
  @SuppressWarnings("unchecked")
  <A extends Annotation> BoundMethod<A> bind(InvocationContext context, Class<A> type) {
    Method method = context.getMethod();
    Class<?> beanClass = context.getTarget() == null ? method.getDeclaringClass() : context.getTarget().getClass();
    BoundMethod<?> b = bound.computeIfAbsent(new MethodKey(beanClass, method), this::bind).orElse(null);
    return b != null && b.method().getCacheAnnotation().annotationType() == type ? (BoundMethod<A>) b : null;
  }

  private Optional<BoundMethod<?>> bind(MethodKey key) {
    CacheMethod<?> method = CacheMethod.read(key.method(), key.beanClass());
    return method == null ? Optional.empty() : Optional.of(bind(method));
  }

  @SuppressWarnings("unchecked")
  private <A extends Annotation> BoundMethod<A> bind(CacheMethod<A> method) {
    CacheKeyGenerator keys = method.keyGeneratorType() == null
        ? DefaultKeyGenerator.INSTANCE
        : helper(method.keyGeneratorType());
    CacheResolverFactory factory = method.resolverFactoryType() == null
        ? defaultFactory
        : helper(method.resolverFactoryType());
    CacheResolver resolver = factory.getCacheResolver(method);
    CacheResolver exceptionResolver = null;
    if (!method.exceptionCacheName().isEmpty()) {
      exceptionResolver = factory.getExceptionCacheResolver((CacheMethod<CacheResult>) method);
    }
    return new BoundMethod<>(method, keys, resolver, exceptionResolver);
  }

  private <T> T helper(Class<T> type) {
    return type.cast(helpers.computeIfAbsent(type, this::create));
  }

  private Object create(Class<?> type) {
    Instance<?> bean = beans.createInstance().select(type);
    if (bean.isResolvable()) {
      return bean.get();
    }
    try {
      Constructor<?> constructor = type.getDeclaredConstructor();
      constructor.setAccessible(true);
      return constructor.newInstance();
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(type.getName()
          + " is neither a CDI bean nor a class with a no-argument constructor", e);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create " + type.getName(), e);
    }
  }

  private CacheManager cacheManager() {
    CacheManager m = manager;
    if (m == null || m.isClosed()) {
      m = managers.isResolvable() ? managers.get() : Caching.getCachingProvider().getCacheManager();
      manager = m;
    }
    return m;
  }

  private record MethodKey(Class<?> beanClass, Method method) {}
}
