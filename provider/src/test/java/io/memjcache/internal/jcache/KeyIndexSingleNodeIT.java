package io.memjcache.internal.jcache;

import io.memjcache.testing.MemcachedTest;

/** Key-index tolerance and compaction on one memcached. */
@MemcachedTest(nodes = 1)
class KeyIndexSingleNodeIT extends KeyIndexContract {}
