package io.memjcache.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.internal.transport.ConnectionException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The keys written elsewhere while a node was down: each once, in order, bounded. */
class FailoverJournalTest {
  private static byte[] key(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void record_sameKeyTwice_keptOnceInFirstWrittenOrder() {
    FailoverJournal journal = new FailoverJournal();
    journal.record(key("a"), null);
    journal.record(key("b"), null);
    journal.record(key("a"), null);
    assertEquals(2, journal.size());
    List<byte[]> keys = journal.keysFrom(0);
    assertArrayEquals(key("a"), keys.get(0));
    assertArrayEquals(key("b"), keys.get(1));
    assertEquals(1, journal.keysFrom(1).size());
  }

  @Test
  void record_copiesTheKey() {
    FailoverJournal journal = new FailoverJournal();
    byte[] reused = key("x");
    journal.record(reused, null);
    reused[0] = 'y';
    assertArrayEquals(key("x"), journal.keysFrom(0).get(0));
  }

  @Test
  void take_handsOverEverythingAndForgets() {
    FailoverJournal journal = new FailoverJournal();
    journal.record(key("a"), null);
    FailoverJournal.Entries entries = journal.take();
    assertEquals(1, entries.keys().size());
    assertFalse(entries.overflowed());
    assertEquals(0, journal.size());
    assertEquals(0, journal.take().keys().size());
  }

  @Test
  void record_pastTheLimit_onlyRemembersTheOverflow() {
    FailoverJournal journal = new FailoverJournal(2);
    journal.record(key("a"), null);
    journal.record(key("b"), null);
    journal.record(key("a"), null);
    assertFalse(journal.take().overflowed() , "a key already there is no overflow");
    journal.record(key("a"), null);
    journal.record(key("b"), null);
    journal.record(key("c"), null);
    FailoverJournal.Entries entries = journal.take();
    assertEquals(2, entries.keys().size());
    assertTrue(entries.overflowed());
    assertFalse(journal.take().overflowed(), "forgotten with the keys");
  }

  private static Node node(String host) {
    return new Node(InetSocketAddress.createUnresolved(host, 11211),
        address -> CompletableFuture.failedFuture(new ConnectionException("no connection in this test")));
  }

  @Test
  void record_standIns_keptPerKeyAndFoundByStandIn() {
    FailoverJournal journal = new FailoverJournal();
    Node b = node("b");
    Node c = node("c");
    journal.record(key("k1"), b);
    journal.record(key("k2"), c);
    journal.record(key("k1"), c);
    journal.record(key("k1"), b);
    assertEquals(2, journal.size());
    assertEquals(1, journal.keysOn(b).size());
    assertArrayEquals(key("k1"), journal.keysOn(b).get(0));
    assertEquals(2, journal.keysOn(c).size());
    FailoverJournal.Entries entries = journal.take();
    assertEquals(List.of(b, c), entries.entries().get(0).standIns());
    assertEquals(List.of(c), entries.entries().get(1).standIns());
  }
}
