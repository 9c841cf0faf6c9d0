package io.memjcache.internal.jcache;

import io.memjcache.testing.MemcachedTest;

/** Atomic compound operations between two managers on three memcached servers. */
@MemcachedTest(nodes = 3)
class AtomicOperationsThreeNodesIT extends AtomicOperationsContract {}
