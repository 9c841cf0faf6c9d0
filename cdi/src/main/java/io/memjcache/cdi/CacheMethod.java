package io.memjcache.cdi;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import javax.cache.annotation.CacheDefaults;
import javax.cache.annotation.CacheKey;
import javax.cache.annotation.CacheKeyGenerator;
import javax.cache.annotation.CacheMethodDetails;
import javax.cache.annotation.CachePut;
import javax.cache.annotation.CacheRemove;
import javax.cache.annotation.CacheRemoveAll;
import javax.cache.annotation.CacheResolverFactory;
import javax.cache.annotation.CacheResult;
import javax.cache.annotation.CacheValue;

/**
 * What the JSR-107 annotations say about one method, read once and checked: the effective caching
 * annotation (the method's own, else its class's), the cache names, which parameters make the key
 * and which is the value, the key generator and resolver factory types (the annotation's, else
 * {@link CacheDefaults}', else none: the defaults), and the exception rule.
 */
final class CacheMethod<A extends Annotation> implements CacheMethodDetails<A> {

  /** The four annotations the interceptors implement. */
  static final List<Class<? extends Annotation>> CACHING_ANNOTATIONS =
      List.of(CacheResult.class, CachePut.class, CacheRemove.class, CacheRemoveAll.class);

  private final Method method;
  private final Set<Annotation> annotations;
  private final A annotation;
  private final String cacheName;
  private final String exceptionCacheName;
  private final int[] keyPositions;
  private final int valuePosition;
  private final Class<? extends CacheKeyGenerator> keyGeneratorType;
  private final Class<? extends CacheResolverFactory> resolverFactoryType;
  private final boolean afterInvocation;
  private final boolean skipGet;
  private final ExceptionRule exceptionRule;

  private CacheMethod(Method method, A annotation, CacheDefaults defaults) {
    this.method = method;
    this.annotations = Set.of(method.getAnnotations());
    this.annotation = annotation;
    String defaultName = defaults == null ? "" : defaults.cacheName();
    Class<? extends CacheKeyGenerator> defaultGenerator = defaults == null ? null : defaults.cacheKeyGenerator();
    Class<? extends CacheResolverFactory> defaultFactory =
        defaults == null ? null : defaults.cacheResolverFactory();
    if (annotation instanceof CacheResult a) {
      cacheName = name(a.cacheName(), defaultName, method);
      exceptionCacheName = a.exceptionCacheName();
      keyGeneratorType = choose(CacheKeyGenerator.class, a.cacheKeyGenerator(), defaultGenerator);
      resolverFactoryType = choose(CacheResolverFactory.class, a.cacheResolverFactory(), defaultFactory);
      afterInvocation = true;
      skipGet = a.skipGet();
      exceptionRule = ExceptionRule.of(a.cachedExceptions(), a.nonCachedExceptions(), true);
    } else if (annotation instanceof CachePut a) {
      cacheName = name(a.cacheName(), defaultName, method);
      exceptionCacheName = "";
      keyGeneratorType = choose(CacheKeyGenerator.class, a.cacheKeyGenerator(), defaultGenerator);
      resolverFactoryType = choose(CacheResolverFactory.class, a.cacheResolverFactory(), defaultFactory);
      afterInvocation = a.afterInvocation();
      skipGet = false;
      exceptionRule = ExceptionRule.of(a.cacheFor(), a.noCacheFor(), false);
    } else if (annotation instanceof CacheRemove a) {
      cacheName = name(a.cacheName(), defaultName, method);
      exceptionCacheName = "";
      keyGeneratorType = choose(CacheKeyGenerator.class, a.cacheKeyGenerator(), defaultGenerator);
      resolverFactoryType = choose(CacheResolverFactory.class, a.cacheResolverFactory(), defaultFactory);
      afterInvocation = a.afterInvocation();
      skipGet = false;
      exceptionRule = ExceptionRule.of(a.evictFor(), a.noEvictFor(), false);
    } else if (annotation instanceof CacheRemoveAll a) {
      cacheName = name(a.cacheName(), defaultName, method);
      exceptionCacheName = "";
      keyGeneratorType = null;
      resolverFactoryType = choose(CacheResolverFactory.class, a.cacheResolverFactory(), defaultFactory);
      afterInvocation = a.afterInvocation();
      skipGet = false;
      exceptionRule = ExceptionRule.of(a.evictFor(), a.noEvictFor(), false);
    } else {
      throw new IllegalArgumentException("not a JSR-107 caching annotation: " + annotation);
    }
    Annotation[][] parameterAnnotations = method.getParameterAnnotations();
    List<Integer> keys = new ArrayList<>();
    List<Integer> others = new ArrayList<>();
    int value = -1;
    for (int i = 0; i < parameterAnnotations.length; i++) {
      boolean isKey = has(parameterAnnotations[i], CacheKey.class);
      boolean isValue = has(parameterAnnotations[i], CacheValue.class);
      if (isValue) {
        if (!(annotation instanceof CachePut)) {
          throw invalid(method, "@CacheValue is only meaningful with @CachePut, not with @"
              + annotation.annotationType().getSimpleName() + " (parameter " + i + ")");
        }
        if (value >= 0) {
          throw invalid(method, "@CachePut allows one @CacheValue parameter, found two (parameters "
              + value + " and " + i + ")");
        }
        if (isKey) {
          throw invalid(method, "parameter " + i + " is both @CacheKey and @CacheValue");
        }
        value = i;
      } else if (isKey) {
        keys.add(i);
      } else {
        others.add(i);
      }
    }
    if (annotation instanceof CachePut && value < 0) {
      throw invalid(method, "@CachePut needs one parameter annotated @CacheValue (the value to cache)");
    }
    if (annotation instanceof CacheResult && method.getReturnType() == void.class) {
      throw invalid(method, "@CacheResult on a void method has no result to cache");
    }
    valuePosition = value;
    keyPositions = (keys.isEmpty() ? others : keys).stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * Reads the caching annotation that applies to {@code method} when invoked on an instance of
   * {@code beanClass}: the method's own, else the nearest class-level one from {@code beanClass}
   * upwards (a container's subclass of the bean carries none). Null when none applies.
   *
   * @throws IllegalArgumentException when the annotations are inconsistent; the message says why
   */
  static CacheMethod<?> read(Method method, Class<?> beanClass) {
    Annotation annotation = single(method, method.getAnnotations());
    if (annotation == null) {
      for (Class<?> c = beanClass; c != null && c != Object.class && annotation == null; c = c.getSuperclass()) {
        annotation = single(method, c.getDeclaredAnnotations());
      }
      if (annotation instanceof CacheResult && method.getReturnType() == void.class) {
        return null; // a class-level @CacheResult has nothing to cache for a void method
      }
    }
    if (annotation == null) {
      return null;
    }
    CacheDefaults defaults = null;
    for (Class<?> c = beanClass; c != null && defaults == null; c = c.getSuperclass()) {
      defaults = c.getDeclaredAnnotation(CacheDefaults.class);
    }
    if (defaults == null) {
      defaults = method.getDeclaringClass().getAnnotation(CacheDefaults.class);
    }
    return new CacheMethod<>(method, annotation, defaults);
  }

  /** Whether the container can intercept this method at all: not static, private or synthetic. */
  static boolean interceptable(Method method) {
    int modifiers = method.getModifiers();
    return !Modifier.isStatic(modifiers) && !Modifier.isPrivate(modifiers) && !method.isSynthetic()
        && !method.isBridge();
  }

  /**
   * The name the spec gives a method's cache when no annotation names one:
   * {@code my.app.DomainDao.getDomain(java.lang.String,int)}.
   */
  static String defaultCacheName(Method method) {
    StringJoiner parameters = new StringJoiner(",", "(", ")");
    for (Class<?> type : method.getParameterTypes()) {
      parameters.add(typeName(type));
    }
    return typeName(method.getDeclaringClass()) + "." + method.getName() + parameters;
  }

  private static String typeName(Class<?> type) {
    String canonical = type.getCanonicalName();
    return canonical != null ? canonical : type.getName();
  }

  private static String name(String own, String classDefault, Method method) {
    if (!own.isEmpty()) {
      return own;
    }
    return classDefault.isEmpty() ? defaultCacheName(method) : classDefault;
  }

  /** The annotation's type unless it is the interface itself (the "not set" marker), else the default's. */
  private static <T> Class<? extends T> choose(Class<T> marker, Class<? extends T> own,
      Class<? extends T> classDefault) {
    if (own != marker) {
      return own;
    }
    return classDefault == null || classDefault == marker ? null : classDefault;
  }

  private static Annotation single(Method method, Annotation[] present) {
    Annotation found = null;
    for (Annotation a : present) {
      if (CACHING_ANNOTATIONS.contains(a.annotationType())) {
        if (found != null) {
          throw invalid(method, "one caching annotation per method (and per class), found @"
              + found.annotationType().getSimpleName() + " and @" + a.annotationType().getSimpleName());
        }
        found = a;
      }
    }
    return found;
  }

  private static boolean has(Annotation[] annotations, Class<? extends Annotation> type) {
    return Arrays.stream(annotations).anyMatch(a -> a.annotationType() == type);
  }

  private static IllegalArgumentException invalid(Method method, String problem) {
    return new IllegalArgumentException("JSR-107 annotations on " + defaultCacheName(method) + ": " + problem);
  }

  @Override
  public Method getMethod() {
    return method;
  }

  @Override
  public Set<Annotation> getAnnotations() {
    return annotations;
  }

  @Override
  public A getCacheAnnotation() {
    return annotation;
  }

  @Override
  public String getCacheName() {
    return cacheName;
  }

  /** For {@link CacheResult}: the exception cache's name, empty when exceptions are not cached. */
  String exceptionCacheName() {
    return exceptionCacheName;
  }

  /** Positions of the parameters that make the key, in order. */
  int[] keyPositions() {
    return keyPositions.clone();
  }

  /** Position of the {@link CacheValue} parameter, -1 when there is none. */
  int valuePosition() {
    return valuePosition;
  }

  /** The custom key generator type; null for the default one. */
  Class<? extends CacheKeyGenerator> keyGeneratorType() {
    return keyGeneratorType;
  }

  /** The custom resolver factory type; null for the default one. */
  Class<? extends CacheResolverFactory> resolverFactoryType() {
    return resolverFactoryType;
  }

  /** False when the cache operation happens before the method runs (put/remove/removeAll). */
  boolean afterInvocation() {
    return afterInvocation;
  }

  /** For {@link CacheResult}: whether to skip the look-up and always run the method. */
  boolean skipGet() {
    return skipGet;
  }

  /** Which thrown exceptions are cached (result) or still let the put/removal happen (others). */
  ExceptionRule exceptionRule() {
    return exceptionRule;
  }

  @Override
  public String toString() {
    return "@" + annotation.annotationType().getSimpleName() + " " + method + " -> " + cacheName;
  }
}
