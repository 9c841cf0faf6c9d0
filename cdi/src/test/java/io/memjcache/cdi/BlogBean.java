package io.memjcache.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.annotation.CacheDefaults;
import javax.cache.annotation.CacheKey;
import javax.cache.annotation.CachePut;
import javax.cache.annotation.CacheRemove;
import javax.cache.annotation.CacheRemoveAll;
import javax.cache.annotation.CacheResult;
import javax.cache.annotation.CacheValue;

/**
 * Blog entries kept in a map, with every caching annotation taking its cache name from
 * {@link CacheDefaults} (the shape of the TCK's blog manager): the cache and the map can disagree,
 * which is how the tests see what the cache did.
 */
@ApplicationScoped
@CacheDefaults(cacheName = "cdi.blog")
public class BlogBean {
  private final Map<String, String> entries = new ConcurrentHashMap<>();
  private final AtomicInteger reads = new AtomicInteger();

  public void reset() {
    entries.clear();
    reads.set(0);
  }

  public int reads() {
    return reads.get();
  }

  /** Writes the map only. */
  public void create(String title, String body) {
    entries.put(title, body);
  }

  /** Forgets the map's entry only; the cache keeps its copy. */
  public void forget(String title) {
    entries.remove(title);
  }

  @CacheResult
  public String body(String title) {
    reads.incrementAndGet();
    return entries.get(title);
  }

  /** Shares body()'s cache and key: only the @CacheKey parameter counts. */
  @CacheResult
  public String body(String ignored, @CacheKey String title, String alsoIgnored) {
    reads.incrementAndGet();
    return entries.get(title);
  }

  @CachePut
  public void update(String title, @CacheValue String body) {
    entries.put(title, body);
  }

  @CacheRemove
  public void evict(String title) {}

  @CacheRemoveAll
  public void evictAll() {}

  /** Names its own cache, overriding the class default. */
  @CacheResult(cacheName = "cdi.blog.lengths")
  public Integer length(String title) {
    reads.incrementAndGet();
    String body = entries.get(title);
    return body == null ? null : body.length();
  }
}
