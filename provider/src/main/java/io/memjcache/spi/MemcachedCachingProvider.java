package io.memjcache.spi;

/** Placeholder. */
public final class MemcachedCachingProvider {
}
