package io.memjcache.internal.jcache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.internal.client.Item;
import io.memjcache.internal.client.MemcachedClient;
import io.memjcache.testing.MemcachedCluster;
import io.memjcache.testing.MemcachedTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The existence probe against a real memcached: it tells present from absent for every kind of
 * value an item can hold, and leaves the item exactly as it was (value, CAS token, expiry).
 */
@MemcachedTest(nodes = 1)
class ExistsCommandIT {
  private RawAccess raw;
  private MemcachedClient client;
  private String prefix;

  @BeforeEach
  void open(MemcachedCluster cluster) {
    raw = new RawAccess(cluster.serverList());
    client = raw.client();
    prefix = "exists-" + Long.toHexString(System.nanoTime()) + "-";
  }

  @AfterEach
  void close() {
    raw.close();
  }

  @Test
  void exists_itemsOfEveryKind_presentAndUnchanged() {
    byte[] envelope = {1, 0, 0, 0, 0x7f, (byte) 0xff, 'k', 'v'};
    byte[] large = new byte[700 * 1024]; // above slab_chunk_max (512 KiB): a chunked item
    Arrays.fill(large, (byte) '7');
    List<byte[]> values = List.of(envelope, bytes("5"), bytes("18446744073709551615"), new byte[0], bytes("x"), large);
    byte[][] keys = new byte[values.size()][];
    Item[] before = new Item[values.size()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = bytes(prefix + i);
      raw.set(keys[i], values.get(i));
      before[i] = raw.get(keys[i]);
    }

    boolean[] exists = probe(keys);

    for (int i = 0; i < keys.length; i++) {
      assertTrue(exists[i], "item " + i);
      Item after = raw.get(keys[i]);
      assertNotNull(after, "item " + i);
      assertArrayEquals(values.get(i), after.value(), "value of item " + i);
      assertEquals(before[i].cas(), after.cas(), "CAS token of item " + i);
    }
  }

  @Test
  void exists_absentDeletedAndNeverWritten_falseAndNothingCreated() {
    byte[] deleted = bytes(prefix + "deleted");
    raw.set(deleted, bytes("1"));
    raw.delete(deleted);
    byte[] never = bytes(prefix + "never");

    assertArrayEquals(new boolean[] {false, false}, probe(new byte[][] {deleted, never}));
    assertNull(raw.get(deleted));
    assertNull(raw.get(never), "the probe never creates a counter");
  }

  @Test
  void exists_mixedKeysInOrder_alignedWithKeys() {
    List<byte[]> keys = new ArrayList<>();
    boolean[] expected = new boolean[40];
    for (int i = 0; i < expected.length; i++) {
      byte[] key = bytes(prefix + "mixed-" + i);
      keys.add(key);
      if (i % 3 == 0) {
        raw.set(key, bytes("v" + i));
        expected[i] = true;
      }
    }
    assertArrayEquals(expected, probe(keys.toArray(new byte[0][])));
  }

  @Test
  void exists_itemPastItsServerExpiry_false() throws InterruptedException {
    byte[] key = bytes(prefix + "expiring");
    assertTrue(MemcachedClient.await(client.set(key, bytes("v"), 0, 1)).stored());
    assertArrayEquals(new boolean[] {true}, probe(new byte[][] {key}));

    Thread.sleep(2_500); // memcached's clock ticks in seconds: exptime 1 is past after at most 2 s

    assertArrayEquals(new boolean[] {false}, probe(new byte[][] {key}));
  }

  private boolean[] probe(byte[][] keys) {
    return MemcachedClient.await(client.send(client.nodeFor(keys[0]), new ExistsCommand(keys)));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
