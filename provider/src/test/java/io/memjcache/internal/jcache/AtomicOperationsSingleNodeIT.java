package io.memjcache.internal.jcache;

import io.memjcache.testing.MemcachedTest;

/** Atomic compound operations between two managers on one memcached. */
@MemcachedTest(nodes = 1)
class AtomicOperationsSingleNodeIT extends AtomicOperationsContract {}
