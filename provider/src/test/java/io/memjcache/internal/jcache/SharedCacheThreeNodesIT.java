package io.memjcache.internal.jcache;

import io.memjcache.testing.MemcachedTest;

/** Shared caches between two managers on three memcached servers: entries and index segments spread. */
@MemcachedTest(nodes = 3)
class SharedCacheThreeNodesIT extends SharedCacheContract {}
