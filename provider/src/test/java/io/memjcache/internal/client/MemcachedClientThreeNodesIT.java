package io.memjcache.internal.client;

import static io.memjcache.internal.client.MemcachedClient.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.internal.cluster.Node;
import io.memjcache.testing.MemcachedCluster;
import io.memjcache.testing.MemcachedTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every client operation against three real memcached servers, plus the checks that only make
 * sense with several: keys really land on every server, and where the ring says they do.
 */
@MemcachedTest(nodes = 3)
class MemcachedClientThreeNodesIT extends MemcachedClientContract {

  private long currItems(Node node) {
    return Long.parseLong(await(client.stats(node, null)).get("curr_items"));
  }

  /** A cluster of its own, so each server's curr_items counts only this test's keys. */
  @Test
  @MemcachedTest(nodes = 3)
  void storeAll_600Keys_spreadOverAllThreeServersAsTheRingSays(MemcachedCluster fresh) {
    assertEquals(fresh.serverList(), servers.serverList(), "the client must use this test's own cluster");
    byte[][] keys = keys(600);
    BatchResult result = await(client.storeAll(StoreMode.SET, keys, valuesFor(keys), new int[600], new int[600]));
    assertNull(result.firstError());

    Map<Node, List<Integer>> byNode = client.cluster().partition(keys);
    assertEquals(3, byNode.size(), "600 keys must map to all three nodes");
    long total = 0;
    for (Node node : client.cluster().nodes()) {
      long items = currItems(node);
      assertEquals(byNode.get(node).size(), items, "curr_items on " + node);
      assertTrue(items >= 100, node + " holds only " + items + " of 600 keys");
      total += items;
    }
    assertEquals(600, total);
  }

  @Test
  void eachKey_isStoredOnTheServerTheRingNames() {
    byte[][] keys = keys(60);
    byte[][] values = valuesFor(keys);
    await(client.storeAll(StoreMode.SET, keys, values, new int[60], new int[60]));

    for (int n = 0; n < servers.size(); n++) {
      String address = servers.node(n).hostAndPort();
      try (MemcachedClient single = new MemcachedClient(
          ClientSettings.of(ClientSettings.parseServers(address)).withConnection(SETTINGS))) {
        for (int i = 0; i < keys.length; i++) {
          boolean owner = client.cluster().nodeFor(keys[i]).name().equals(address);
          Item item = await(single.get(keys[i]));
          if (owner) {
            assertArrayEquals(values[i], item.value(), "key " + i + " on its owner " + address);
          } else {
            assertNull(item, "key " + i + " must not be on " + address);
          }
        }
      }
    }
  }

  @Test
  void getAll_keysOnEveryNode_oneBatchPerNodeAllValuesBack() {
    byte[][] keys = keys(2000);
    byte[][] values = valuesFor(keys);
    await(client.storeAll(StoreMode.SET, keys, values, new int[2000], new int[2000]));
    assertEquals(3, client.cluster().partition(keys).size());

    Item[] items = await(client.getAll(keys));
    for (int i = 0; i < keys.length; i++) {
      assertArrayEquals(values[i], items[i].value(), "key " + i);
    }
  }
}
