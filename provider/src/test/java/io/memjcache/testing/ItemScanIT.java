package io.memjcache.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** {@link ItemScan} against a real memcached: every item, while other clients keep reading. */
@MemcachedTest
class ItemScanIT {
  private static final int ITEMS = 3000;

  /** Keys with bytes memcached percent-encodes in metadump, '+' and '%' among them. */
  private static byte[] key(int i) {
    return ("scan+%" + i + (i % 3 == 0 ? "\u00e9" : "") + "~k").getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void listsEveryItemWithItsValue_whileReadsMoveItemsBetweenLruQueues(MemcachedServer server) throws Exception {
    Map<String, byte[]> stored = new HashMap<>();
    try (RawBinaryClient raw = RawBinaryClient.connect(server.address(), Duration.ofSeconds(5))) {
      for (int i = 0; i < ITEMS; i++) {
        byte[] value = ("value-" + i).getBytes(StandardCharsets.US_ASCII);
        assertEquals(RawBinaryClient.STATUS_OK, raw.call(RawBinaryClient.OP_SET, new byte[8], key(i), value).status());
        stored.put(new String(key(i), StandardCharsets.ISO_8859_1), value);
      }
    }
    // Reads mark items active, which makes memcached's LRU maintainer move them between queues.
    AtomicBoolean stop = new AtomicBoolean();
    Thread reader = new Thread(() -> {
      try (RawBinaryClient raw = RawBinaryClient.connect(server.address(), Duration.ofSeconds(5))) {
        for (int i = 0; !stop.get(); i = (i + 7) % ITEMS) {
          raw.call(RawBinaryClient.OP_GET, new byte[0], key(i), new byte[0]);
        }
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    });
    reader.start();
    try {
      for (int scan = 0; scan < 5; scan++) {
        List<byte[]> keys = ItemScan.keys(server.address());
        assertEquals(ITEMS, keys.size(), "scan " + scan);
        for (byte[] key : keys) {
          assertTrue(stored.containsKey(new String(key, StandardCharsets.ISO_8859_1)), "unknown key " + new String(key, StandardCharsets.UTF_8));
        }
      }
      List<ItemScan.Item> items = ItemScan.items(server.address());
      assertEquals(ITEMS, items.size());
      for (ItemScan.Item item : items) {
        assertArrayEquals(stored.get(new String(item.key(), StandardCharsets.ISO_8859_1)), item.value());
      }
    } finally {
      stop.set(true);
      reader.join();
    }
  }
}
