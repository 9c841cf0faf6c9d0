package io.memjcache.internal.client;

import io.memjcache.testing.MemcachedTest;

/** Every client operation against one real memcached. */
@MemcachedTest(nodes = 1)
class MemcachedClientSingleNodeIT extends MemcachedClientContract {}
