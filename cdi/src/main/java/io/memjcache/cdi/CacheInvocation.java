package io.memjcache.cdi;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Set;
import javax.cache.annotation.CacheInvocationParameter;
import javax.cache.annotation.CacheKeyInvocationContext;

/**
 * One intercepted call as the JSR-107 SPI sees it: the method's details, the target and the
 * arguments, split into key parameters and the value parameter. {@link #unwrap} gives the
 * container's {@link jakarta.interceptor.InvocationContext}.
 */
final class CacheInvocation<A extends Annotation> implements CacheKeyInvocationContext<A> {
  private final CacheMethod<A> method;
  private final Object target;
  private final Object context;
  private final CacheInvocationParameter[] all;
  private final CacheInvocationParameter[] keys;
  private final CacheInvocationParameter value;

  /**
   * @param context the container's invocation context, for {@link #unwrap}; may be null
   */
  CacheInvocation(CacheMethod<A> method, Object target, Object[] arguments, Object context) {
    this.method = method;
    this.target = target;
    this.context = context;
    Class<?>[] types = method.getMethod().getParameterTypes();
    Annotation[][] annotations = method.getMethod().getParameterAnnotations();
    if (arguments.length != types.length) {
      throw new IllegalArgumentException(arguments.length + " arguments for " + method.getMethod());
    }
    all = new CacheInvocationParameter[types.length];
    for (int i = 0; i < types.length; i++) {
      all[i] = new InvocationParameter(types[i], arguments[i], Set.of(annotations[i]), i);
    }
    int[] positions = method.keyPositions();
    keys = new CacheInvocationParameter[positions.length];
    for (int i = 0; i < positions.length; i++) {
      keys[i] = all[positions[i]];
    }
    value = method.valuePosition() < 0 ? null : all[method.valuePosition()];
  }

  @Override
  public Method getMethod() {
    return method.getMethod();
  }

  @Override
  public Set<Annotation> getAnnotations() {
    return method.getAnnotations();
  }

  @Override
  public A getCacheAnnotation() {
    return method.getCacheAnnotation();
  }

  @Override
  public String getCacheName() {
    return method.getCacheName();
  }

  @Override
  public Object getTarget() {
    return target;
  }

  @Override
  public CacheInvocationParameter[] getAllParameters() {
    return all.clone();
  }

  @Override
  public CacheInvocationParameter[] getKeyParameters() {
    return keys.clone();
  }

  @Override
  public CacheInvocationParameter getValueParameter() {
    return value;
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    if (type.isInstance(context)) {
      return type.cast(context);
    }
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new IllegalArgumentException("cannot unwrap to " + type.getName());
  }
}
