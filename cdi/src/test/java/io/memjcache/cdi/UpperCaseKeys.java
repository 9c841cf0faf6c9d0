package io.memjcache.cdi;

import java.lang.annotation.Annotation;
import java.util.Arrays;
import javax.cache.annotation.CacheKeyGenerator;
import javax.cache.annotation.CacheKeyInvocationContext;
import javax.cache.annotation.GeneratedCacheKey;

/** A key generator that is no CDI bean (created with its constructor): keys ignore case. */
public class UpperCaseKeys implements CacheKeyGenerator {
  @Override
  public GeneratedCacheKey generateCacheKey(CacheKeyInvocationContext<? extends Annotation> context) {
    return new DefaultCacheKey(Arrays.stream(context.getKeyParameters())
        .map(p -> String.valueOf(p.getValue()).toUpperCase()).toArray());
  }
}
