package io.memjcache.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.annotation.CacheResult;

/** Methods naming their own key generator or resolver factory. */
@ApplicationScoped
public class CustomBean {
  private final AtomicInteger calls = new AtomicInteger();
  private volatile RuntimeException failure;

  public void reset() {
    calls.set(0);
    failure = null;
  }

  public void failWith(RuntimeException e) {
    failure = e;
  }

  public int calls() {
    return calls.get();
  }

  private String answer(String id) {
    int call = calls.incrementAndGet();
    RuntimeException e = failure;
    if (e != null) {
      throw e;
    }
    return id + "#" + call;
  }

  @CacheResult(cacheName = "cdi.custom.upper", cacheKeyGenerator = UpperCaseKeys.class)
  public String upper(String id) {
    return answer(id);
  }

  @CacheResult(cacheName = "cdi.custom.prefixed", cacheKeyGenerator = PrefixedKeys.class)
  public String prefixed(String id) {
    return answer(id);
  }

  @CacheResult(cacheName = "cdi.custom.named", exceptionCacheName = "cdi.custom.named.failures",
      cacheResolverFactory = SideCacheResolverFactory.class)
  public String side(String id) {
    return answer(id);
  }

  @CacheResult(cacheName = "cdi.custom.beanfactory", cacheResolverFactory = BeanResolverFactory.class)
  public String fromBeanFactory(String id) {
    return answer(id);
  }
}
