package io.memjcache.cdi;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.WithAnnotations;
import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.Interceptor;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import javax.cache.annotation.CachePut;
import javax.cache.annotation.CacheRemove;
import javax.cache.annotation.CacheRemoveAll;
import javax.cache.annotation.CacheResult;

/**
 * Makes the JSR-107 caching annotations work in a Jakarta CDI container: registers
 * {@link CacheResult}, {@link CachePut}, {@link CacheRemove} and {@link CacheRemoveAll} as interceptor
 * bindings (all their members non-binding) and adds their interceptors, which are enabled by
 * {@code @Priority}, so no {@code beans.xml} entry is needed. The container finds this class through
 * {@code META-INF/services/jakarta.enterprise.inject.spi.Extension}.
 *
 * <p>Annotated methods are checked while the container starts: inconsistent annotations (two
 * {@code @CacheValue} parameters, a {@code @CachePut} without one, two caching annotations on one
 * method) are definition errors that name the method, so deployment fails instead of the first call.
 */
public final class CacheAnnotationsExtension implements Extension {
  private final List<Throwable> problems = new ArrayList<>();

  /** Registers the bindings and adds the interceptors and the bean they share. */
  void registerBindings(@Observes BeforeBeanDiscovery discovery) {
    for (Class<? extends Annotation> binding : CacheMethod.CACHING_ANNOTATIONS) {
      discovery.configureInterceptorBinding(binding).methods()
          .forEach(member -> member.add(Nonbinding.Literal.INSTANCE));
    }
    for (Class<?> type : List.of(CacheMethods.class, CacheResultInterceptor.class, CachePutInterceptor.class,
        CacheRemoveInterceptor.class, CacheRemoveAllInterceptor.class)) {
      discovery.addAnnotatedType(type, CacheAnnotationsExtension.class.getName() + "/" + type.getSimpleName());
    }
  }

  /** Reads the annotations of every type that uses them, keeping what is wrong for later. */
  <T> void checkAnnotations(@Observes @WithAnnotations({CacheResult.class, CachePut.class,
      CacheRemove.class, CacheRemoveAll.class}) ProcessAnnotatedType<T> event) {
    Class<T> type = event.getAnnotatedType().getJavaClass();
    if (type.isInterface() || type.isAnnotation() || type.isAnnotationPresent(Interceptor.class)) {
      return;
    }
    for (Method method : type.getDeclaredMethods()) {
      if (CacheMethod.interceptable(method)) {
        try {
          CacheMethod.read(method, type);
        } catch (IllegalArgumentException e) {
          problems.add(e);
        }
      }
    }
  }

  /** Reports the problems found as definition errors: the container refuses to start. */
  void reportProblems(@Observes AfterBeanDiscovery event) {
    problems.forEach(event::addDefinitionError);
    problems.clear();
  }
}
