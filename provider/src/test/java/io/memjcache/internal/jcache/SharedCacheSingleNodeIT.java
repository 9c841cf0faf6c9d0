package io.memjcache.internal.jcache;

import io.memjcache.testing.MemcachedTest;

/** Shared caches between two managers on one memcached. */
@MemcachedTest(nodes = 1)
class SharedCacheSingleNodeIT extends SharedCacheContract {}
