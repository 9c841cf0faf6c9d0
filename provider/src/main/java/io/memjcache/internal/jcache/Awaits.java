package io.memjcache.internal.jcache;

import io.memjcache.internal.client.MemcachedClient;
import io.memjcache.internal.transport.MemcachedException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.cache.CacheException;

/** Waits for client operations on behalf of the JCache layer: client errors become {@link CacheException}s. */
final class Awaits {
  private Awaits() {}

  /** {@code future} with the errors {@link #await} would throw, for callers that do not wait. */
  static <T> CompletableFuture<T> mapped(CompletableFuture<T> future) {
    return future.handle((value, error) -> {
      if (error == null) {
        return value;
      }
      throw failure(error);
    });
  }

  /** The exception a failed client future stands for, as {@link #await} would throw it. */
  static RuntimeException failure(Throwable error) {
    Throwable cause = error;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof MemcachedException) {
      return new CacheException(cause.getMessage(), cause);
    }
    if (cause instanceof RuntimeException) {
      return (RuntimeException) cause;
    }
    if (cause instanceof Error) {
      throw (Error) cause;
    }
    return new CacheException(String.valueOf(cause.getMessage()), cause);
  }

  static <T> T await(CompletableFuture<T> future) {
    try {
      return MemcachedClient.await(future);
    } catch (MemcachedException e) {
      throw new CacheException(e.getMessage(), e);
    }
  }
}
