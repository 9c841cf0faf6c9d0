package io.memjcache.cdi;

import javax.cache.Cache;

/** What a bean's method body sees in a cache: how tests tell "before" from "after" invocation. */
final class Peek {
  private Peek() {}

  /** The value under the default key of {@code key} in the named cache; null if none or no cache. */
  static Object value(String cacheName, Object... key) {
    Cache<Object, Object> cache = CdiContainer.manager().getCache(cacheName);
    return cache == null ? null : cache.get(new DefaultCacheKey(key));
  }

  /** Whether the named cache has any entry. */
  static boolean anyEntry(String cacheName) {
    Cache<Object, Object> cache = CdiContainer.manager().getCache(cacheName);
    return cache != null && cache.iterator().hasNext();
  }
}
