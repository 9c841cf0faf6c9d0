package io.memjcache.internal.client;

import static io.memjcache.internal.client.MemcachedClient.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.internal.cluster.Cluster;
import io.memjcache.internal.cluster.Node;
import io.memjcache.testing.MemcachedCluster;
import io.memjcache.testing.MemcachedTest;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every client operation against one real memcached over three connections, plus the checks that
 * only make sense with several: a batch really travels on every connection, each key on its own
 * lane, and the keys split off a shared prefix land where their joined form would.
 */
@MemcachedTest(nodes = 1)
class MemcachedClientLanesIT extends MemcachedClientContract {
  private static final int LANES = 3;

  @Override
  int connectionsPerNode() {
    return LANES;
  }

  private static long stat(MemcachedClient client, Node node, String name) {
    return Long.parseLong(await(client.stats(node, null)).get(name));
  }

  /** A server of its own, so its connection count is this client's alone. */
  @Test
  @MemcachedTest(nodes = 1)
  void getAll_manyKeys_opensEveryConnectionOnce_andEveryValueComesBack(MemcachedCluster fresh) {
    assertEquals(fresh.serverList(), servers.serverList(), "the client must use this test's own server");
    Node node = client.cluster().soleNode();
    assertEquals(LANES, node.lanes());
    long before = stat(client, node, "total_connections"); // opens lane 0 only
    assertEquals(1, node.openConnections());

    byte[][] keys = keys(900);
    byte[][] values = valuesFor(keys);
    BatchResult stored = await(client.storeAll(StoreMode.SET, keys, values, new int[900], new int[900]));
    assertNull(stored.firstError());
    Item[] items = await(client.getAll(keys));
    for (int i = 0; i < keys.length; i++) {
      assertArrayEquals(values[i], items[i].value(), "key " + i);
    }

    assertEquals(LANES, node.openConnections());
    assertEquals(before + LANES - 1, stat(client, node, "total_connections"),
        "the other two lanes connect once each, for the batch");
    List<Cluster.Part> parts = client.cluster().parts(keys, false);
    assertEquals(LANES, parts.size(), "900 keys must use every lane");
    Set<Integer> lanes = new HashSet<>();
    for (Cluster.Part part : parts) {
      lanes.add(part.lane());
      assertTrue(part.indexes().length > 200, "lane " + part.lane() + " carries only " + part.indexes().length);
      for (int index : part.indexes()) {
        assertEquals(part.lane(), node.lane(keys[index]), "key " + index + " is split onto another lane");
      }
    }
    assertEquals(Set.of(0, 1, 2), lanes);
  }

  @Test
  void getAllWithPrefix_splitsAsTheJoinedKeysWould_andFillsEveryPosition() {
    byte[] prefix = key("p:");
    byte[][] suffixes = new byte[500][];
    byte[][] joined = new byte[500][];
    for (int i = 0; i < suffixes.length; i++) {
      suffixes[i] = b("s" + i);
      joined[i] = new byte[prefix.length + suffixes[i].length];
      System.arraycopy(prefix, 0, joined[i], 0, prefix.length);
      System.arraycopy(suffixes[i], 0, joined[i], prefix.length, suffixes[i].length);
    }
    byte[][] values = valuesFor(joined);
    for (int i = 0; i < joined.length; i += 2) { // every other key present
      await(client.set(joined[i], values[i], 0, 0));
    }
    Node node = client.cluster().soleNode();
    for (int i = 0; i < joined.length; i++) {
      assertEquals(node.lane(joined[i]), node.lane(prefix, suffixes[i]), "lane of key " + i);
    }

    Item[] items = await(client.getAll(prefix, suffixes, new Item[suffixes.length], Item.READER));
    for (int i = 0; i < joined.length; i++) {
      if (i % 2 == 0) {
        assertArrayEquals(values[i], items[i].value(), "key " + i);
      } else {
        assertNull(items[i], "key " + i + " was never stored");
      }
    }
  }
}
