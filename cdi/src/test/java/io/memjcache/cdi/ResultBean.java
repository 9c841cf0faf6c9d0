package io.memjcache.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.annotation.CacheKey;
import javax.cache.annotation.CacheResult;

/** {@link CacheResult} in every variant; each result names the call that made it ("id#3"). */
@ApplicationScoped
public class ResultBean {
  private final AtomicInteger calls = new AtomicInteger();
  private volatile Exception failure;

  public int calls() {
    return calls.get();
  }

  /** Starts counting again and stops failing. */
  public void reset() {
    calls.set(0);
    failure = null;
  }

  /** The next calls of the failing methods throw this; null: they return normally. */
  public void failWith(Exception e) {
    failure = e;
  }

  private String answer(String id) throws Exception {
    int call = calls.incrementAndGet();
    Exception e = failure;
    if (e != null) {
      throw e;
    }
    return id + "#" + call;
  }

  @CacheResult
  public String byDefaultName(String id, int version) throws Exception {
    return answer(id + "/" + version);
  }

  @CacheResult(cacheName = "cdi.result")
  public String get(String id) throws Exception {
    return answer(id);
  }

  @CacheResult(cacheName = "cdi.result.keyed")
  public String keyed(String ignored, @CacheKey String id, long alsoIgnored) throws Exception {
    return answer(id);
  }

  @CacheResult(cacheName = "cdi.result.array")
  public String joined(String[] parts) throws Exception {
    return answer(String.join("+", parts));
  }

  @CacheResult(cacheName = "cdi.result.null")
  public String nothing(String id) {
    calls.incrementAndGet();
    return null;
  }

  @CacheResult(cacheName = "cdi.result.skip", skipGet = true)
  public String refresh(String id) throws Exception {
    return answer(id);
  }

  @CacheResult(cacheName = "cdi.result.all", exceptionCacheName = "cdi.result.all.failures")
  public String cachingAllExceptions(String id) throws Exception {
    return answer(id);
  }

  @CacheResult(cacheName = "cdi.result.noexceptions")
  public String cachingNoExceptions(String id) throws Exception {
    return answer(id);
  }

  @CacheResult(cacheName = "cdi.result.selective", exceptionCacheName = "cdi.result.selective.failures",
      cachedExceptions = IllegalArgumentException.class, nonCachedExceptions = NumberFormatException.class)
  public String cachingSomeExceptions(String id) throws Exception {
    return answer(id);
  }

  @CacheResult(cacheName = "cdi.result.excluding", exceptionCacheName = "cdi.result.excluding.failures",
      nonCachedExceptions = IllegalStateException.class)
  public String cachingAllButExcluded(String id) throws Exception {
    return answer(id);
  }

  @CacheResult(cacheName = "cdi.result.checked", exceptionCacheName = "cdi.result.checked.failures",
      cachedExceptions = IOException.class)
  public String cachingChecked(String id) throws Exception {
    return answer(id);
  }

  @CacheResult(cacheName = "cdi.result.skipfailures", exceptionCacheName = "cdi.result.skipfailures.failures",
      skipGet = true)
  public String refreshWithFailures(String id) throws Exception {
    return answer(id);
  }

  /** Not annotated: never cached. */
  public String uncached(String id) throws Exception {
    return answer(id);
  }
}
