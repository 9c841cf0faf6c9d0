package io.memjcache.cdi;

import java.lang.annotation.Annotation;
import javax.cache.annotation.CacheInvocationParameter;
import javax.cache.annotation.CacheKeyGenerator;
import javax.cache.annotation.CacheKeyInvocationContext;
import javax.cache.annotation.GeneratedCacheKey;

/** The spec's default key: a {@link DefaultCacheKey} of the key parameters' values. */
final class DefaultKeyGenerator implements CacheKeyGenerator {
  static final DefaultKeyGenerator INSTANCE = new DefaultKeyGenerator();

  @Override
  public GeneratedCacheKey generateCacheKey(CacheKeyInvocationContext<? extends Annotation> context) {
    CacheInvocationParameter[] parameters = context.getKeyParameters();
    Object[] values = new Object[parameters.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = parameters[i].getValue();
    }
    return new DefaultCacheKey(values);
  }
}
