package io.memjcache.internal.jcache;

import io.memjcache.testing.MemcachedTest;

/** Key-index tolerance and compaction with segments spread over three memcached servers. */
@MemcachedTest(nodes = 3)
class KeyIndexThreeNodesIT extends KeyIndexContract {}
