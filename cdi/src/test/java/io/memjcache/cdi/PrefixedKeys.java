package io.memjcache.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.annotation.Annotation;
import javax.cache.annotation.CacheKeyGenerator;
import javax.cache.annotation.CacheKeyInvocationContext;
import javax.cache.annotation.GeneratedCacheKey;

/** A key generator that is a CDI bean: only the container can inject its prefix. */
@ApplicationScoped
public class PrefixedKeys implements CacheKeyGenerator {
  @Inject
  KeyPrefix prefix;

  @Override
  public GeneratedCacheKey generateCacheKey(CacheKeyInvocationContext<? extends Annotation> context) {
    return new DefaultCacheKey(prefix.value() + context.getKeyParameters()[0].getValue());
  }
}
