package io.memjcache.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.annotation.CacheKey;
import javax.cache.annotation.CachePut;
import javax.cache.annotation.CacheRemove;
import javax.cache.annotation.CacheRemoveAll;
import javax.cache.annotation.CacheValue;

/**
 * {@link CachePut}, {@link CacheRemove} and {@link CacheRemoveAll} on cache "cdi.write". Each method
 * records what the cache held while it ran (so a test sees whether the cache operation happened
 * before or after) and then throws the configured failure, if any.
 */
@ApplicationScoped
public class WriteBean {
  static final String CACHE = "cdi.write";

  private final AtomicInteger calls = new AtomicInteger();
  private final List<Object> seen = new ArrayList<>();
  private volatile RuntimeException failure;

  public void reset() {
    calls.set(0);
    synchronized (seen) {
      seen.clear();
    }
    failure = null;
  }

  public void failWith(RuntimeException e) {
    failure = e;
  }

  public int calls() {
    return calls.get();
  }

  /** What the cache held under the key (or whether it had any entry) during each call. */
  public List<Object> seen() {
    synchronized (seen) {
      return new ArrayList<>(seen);
    }
  }

  private void run(Object seenNow) {
    calls.incrementAndGet();
    synchronized (seen) {
      seen.add(seenNow == null ? "nothing" : seenNow);
    }
    RuntimeException e = failure;
    if (e != null) {
      throw e;
    }
  }

  @CachePut(cacheName = CACHE)
  public void put(String id, @CacheValue String value) {
    run(Peek.value(CACHE, id));
  }

  @CachePut(cacheName = CACHE, afterInvocation = false)
  public void putFirst(String id, @CacheValue String value) {
    run(Peek.value(CACHE, id));
  }

  @CachePut(cacheName = CACHE, cacheFor = IllegalArgumentException.class,
      noCacheFor = NumberFormatException.class)
  public void putForSome(String id, @CacheValue String value) {
    run(Peek.value(CACHE, id));
  }

  @CachePut(cacheName = CACHE, noCacheFor = IllegalStateException.class)
  public void putUnless(String id, @CacheValue String value) {
    run(Peek.value(CACHE, id));
  }

  @CachePut(cacheName = CACHE)
  public void putKeyed(@CacheKey String id, String note, @CacheValue String value) {
    run(Peek.value(CACHE, id));
  }

  @CachePut(cacheName = CACHE)
  public void putComposite(@CacheValue Integer value, String a, int b) {
    run(Peek.value(CACHE, a, b));
  }

  @CacheRemove(cacheName = CACHE)
  public void remove(String id) {
    run(Peek.value(CACHE, id));
  }

  @CacheRemove(cacheName = CACHE, afterInvocation = false)
  public void removeFirst(String id) {
    run(Peek.value(CACHE, id));
  }

  @CacheRemove(cacheName = CACHE, evictFor = IllegalArgumentException.class,
      noEvictFor = NumberFormatException.class)
  public void removeForSome(String id) {
    run(Peek.value(CACHE, id));
  }

  @CacheRemove(cacheName = CACHE)
  public void removeKeyed(String note, @CacheKey String id) {
    run(Peek.value(CACHE, id));
  }

  @CacheRemoveAll(cacheName = CACHE)
  public void removeAll() {
    run(Peek.anyEntry(CACHE));
  }

  @CacheRemoveAll(cacheName = CACHE, afterInvocation = false)
  public void removeAllFirst() {
    run(Peek.anyEntry(CACHE));
  }

  @CacheRemoveAll(cacheName = CACHE, evictFor = IllegalArgumentException.class)
  public void removeAllFor() {
    run(Peek.anyEntry(CACHE));
  }

  @CacheRemoveAll(cacheName = CACHE, noEvictFor = IllegalStateException.class)
  public void removeAllUnless() {
    run(Peek.anyEntry(CACHE));
  }
}
