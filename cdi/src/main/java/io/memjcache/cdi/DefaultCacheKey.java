package io.memjcache.cdi;

import java.util.Arrays;
import javax.cache.annotation.GeneratedCacheKey;

/**
 * The key the default {@link javax.cache.annotation.CacheKeyGenerator} makes: the values of the key
 * parameters in order, compared with {@link Arrays#deepEquals} and hashed with
 * {@link Arrays#deepHashCode}. It is serializable when the values are, so a provider that stores keys
 * remotely (memcached) can store it. Build one to read or write an entry the interceptors manage:
 * {@code cache.get(new DefaultCacheKey("id-1", 2))}.
 */
public final class DefaultCacheKey implements GeneratedCacheKey {
  private static final long serialVersionUID = 1L;

  /** The key parameters' values; arrays among them compare by content. */
  private final Object[] parameters;
  /**
   * Not serialized: some values (enums) hash by identity, so the hash differs between JVMs, and a
   * provider that derives the stored key from the serialized form must see the same bytes in each.
   */
  private transient int hashCode;

  /** A key for these parameter values (copied; null elements are allowed). */
  public DefaultCacheKey(Object... parameters) {
    this.parameters = parameters.clone();
  }

  @Override
  public int hashCode() {
    int h = hashCode;
    if (h == 0) {
      h = Arrays.deepHashCode(parameters);
      hashCode = h;
    }
    return h;
  }

  @Override
  public boolean equals(Object other) {
    return this == other
        || other instanceof DefaultCacheKey key && Arrays.deepEquals(parameters, key.parameters);
  }

  @Override
  public String toString() {
    return "DefaultCacheKey" + Arrays.deepToString(parameters);
  }
}
