package io.memjcache.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.annotation.CacheRemoveAll;
import javax.cache.annotation.CacheResult;

/** A class-level {@link CacheResult}: every method is cached unless its own annotation says otherwise. */
@ApplicationScoped
@CacheResult(cacheName = ClassLevelBean.CACHE)
public class ClassLevelBean {
  static final String CACHE = "cdi.classlevel";
  /** Static: any method of this class, calls() included, would be cached. */
  static final AtomicInteger CALLS = new AtomicInteger();

  public String get(String id) {
    return id + "#" + CALLS.incrementAndGet();
  }

  /** Its own annotation replaces the class's: it empties the cache and caches nothing. */
  @CacheRemoveAll(cacheName = CACHE)
  public void clear() {
    CALLS.incrementAndGet();
  }

  /** Void: the class-level @CacheResult has nothing to cache. */
  public void touch() {
    CALLS.incrementAndGet();
  }
}
