package io.memjcache.internal.jcache;

import io.memjcache.internal.client.MemcachedClient;
import io.memjcache.internal.transport.MemcachedException;
import java.util.concurrent.CompletableFuture;
import javax.cache.CacheException;

/** Waits for client operations on behalf of the JCache layer: client errors become {@link CacheException}s. */
final class Awaits {
  private Awaits() {}

  static <T> T await(CompletableFuture<T> future) {
    try {
      return MemcachedClient.await(future);
    } catch (MemcachedException e) {
      throw new CacheException(e.getMessage(), e);
    }
  }
}
