package io.memjcache.internal.jcache;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.internal.jcache.store.KeyCodec;
import io.memjcache.internal.jcache.store.KeyIndexFormat;
import java.util.HashMap;
import java.util.Map;
import javax.cache.Cache;
import org.junit.jupiter.api.Test;

/**
 * The key index is a convenience for iteration, never needed for correctness: entries whose index
 * records are lost are still readable and still cleared; iteration over a damaged index misses
 * entries but does not fail; and repeated writes of the same keys do not grow the index without
 * bound, because segments are compacted.
 */
abstract class KeyIndexContract extends TwoManagers {

  @Test
  void clear_afterEveryIndexSegmentWasDeleted_stillRemovesEveryEntry() {
    Cache<String, String> inA = createIn(a);
    Cache<String, String> inB = createIn(b);
    Map<String, String> entries = entries(200);
    inA.putAll(entries);
    assertTrue(raw.deleteIndexSegments(name, segment -> true) > 0, "the index had segments to delete");

    assertEquals(Map.of(), contents(inB), "with the index gone, iteration cannot see the entries");
    assertEquals(entries, inB.getAll(entries.keySet()), "but they are still there");

    inA.clear();

    for (String key : entries.keySet()) {
      assertNull(inA.get(key), key);
    }
    Deadlines.awaitTrue(Managers.REFRESH_MILLIS + Managers.SLACK_MILLIS,
        () -> "B still sees entries after A's clear()", () -> inB.get("key-0") == null);
    for (String key : entries.keySet()) {
      assertNull(inB.get(key), key);
    }
    assertEquals(Map.of(), inB.getAll(entries.keySet()));
  }

  @Test
  void iterator_afterSomeIndexSegmentsWereDeleted_returnsASubsetWithoutFailing() {
    Cache<String, String> inA = createIn(a);
    Cache<String, String> inB = createIn(b);
    Map<String, String> entries = entries(200);
    inA.putAll(entries);
    assertTrue(raw.deleteIndexSegments(name, segment -> segment % 2 == 0) > 0);

    Map<String, String> seen = assertDoesNotThrow(() -> contents(inB));

    assertTrue(seen.size() < entries.size(), "entries of deleted segments are missed: " + seen.size());
    assertTrue(seen.size() > 0, "entries of the remaining segments are seen");
    seen.forEach((key, value) -> assertEquals(entries.get(key), value, key));
    for (String key : entries.keySet()) {
      boolean inRemainingSegment = KeyCodec.segmentFor(RawAccess.utf8(key), ManagerSettings.DEFAULT_INDEX_SEGMENTS) % 2 == 1;
      assertEquals(inRemainingSegment, seen.containsKey(key), key);
    }
    assertEquals(entries, inB.getAll(entries.keySet()), "every entry is still readable");

    // Writes after the loss index again: the next put recreates a deleted segment.
    inA.put("key-0", "again");
    assertEquals("again", contents(inB).get("key-0"));
  }

  @Test
  void iterator_overGarbageInIndexSegments_returnsWhatCanBeReadWithoutFailing() {
    Cache<String, String> inA = createIn(a);
    Cache<String, String> inB = createIn(b);
    Map<String, String> entries = entries(100);
    inA.putAll(entries);
    KeyCodec.Generation keys = raw.keys(name);
    // Segment 0: garbage only. Segment 1: a record naming a key that has no entry, then a record
    // whose length runs past the end. Segment 2: a huge declared length.
    raw.set(keys.indexSegmentKey(0), new byte[] {(byte) 0xAC, (byte) 0xED, 0, 5, 1, 2, 3});
    byte[] ghost = KeyIndexFormat.addRecord(RawAccess.utf8("ghost"));
    byte[] truncated = {'+', 100, 'k', 'e', 'y'};
    byte[] segment1 = new byte[ghost.length + truncated.length];
    System.arraycopy(ghost, 0, segment1, 0, ghost.length);
    System.arraycopy(truncated, 0, segment1, ghost.length, truncated.length);
    raw.set(keys.indexSegmentKey(1), segment1);
    raw.set(keys.indexSegmentKey(2), new byte[] {'+', (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F});

    Map<String, String> seen = assertDoesNotThrow(() -> contents(inB));

    seen.forEach((key, value) -> assertEquals(entries.get(key), value, key));
    assertTrue(seen.size() > 0);
    assertEquals(entries, inB.getAll(entries.keySet()));
    assertDoesNotThrow(() -> inB.removeAll());
  }

  @Test
  void put_sameHundredKeysFiveThousandTimes_indexSizeStaysBounded() {
    Cache<String, String> inA = createIn(a);
    Cache<String, String> inB = createIn(b);
    Map<String, String> entries = entries(100);
    int rounds = 5_000;
    for (int round = 0; round < rounds; round++) {
      // Both managers write; each compacts after its own EntryStore.COMPACT_EVERY appends to a segment.
      (round % 2 == 0 ? inA : inB).putAll(entries);
    }
    int record = KeyIndexFormat.recordLength(RawAccess.utf8("key-99"));
    long unbounded = (long) rounds * entries.size() * record;
    // Each segment holds its live keys plus, at most, what each of the two writers appended since
    // its last compaction (COMPACT_EVERY records each) and what raced with it; a generous bound
    // that is still a small fraction of the uncompacted size.
    long bound = (long) ManagerSettings.DEFAULT_INDEX_SEGMENTS * 4 * EntryStore.COMPACT_EVERY * record;
    assertTrue(bound * 5 < unbounded, "the bound proves something: " + bound + " vs " + unbounded);

    long[] last = {-1};
    Deadlines.awaitTrue(10_000, () -> "index of " + last[0] + " bytes, bound " + bound + ", uncompacted "
        + unbounded, () -> (last[0] = raw.indexBytes(name)) <= bound);

    assertEquals(entries, contents(inB), "compaction keeps every live key");
    assertEquals(entries, contents(inA));
  }

  @Test
  void compaction_afterOtherManagerRemovedEntries_dropsTheirKeysAndKeepsLiveOnes() {
    Cache<String, String> inA = createIn(a);
    Cache<String, String> inB = createIn(b);
    Map<String, String> batch = new HashMap<>();
    for (int i = 0; i < 5_000; i++) {
      batch.put("temp-" + i, "t");
      if (batch.size() == 200) {
        inA.putAll(batch);
        inB.removeAll(batch.keySet());
        batch.clear();
      }
    }
    Map<String, String> live = entries(100);
    // About 6 records per segment per round: every segment is compacted several times after the
    // removals, and compaction keeps only keys whose entries exist.
    for (int round = 0; round < 1_100; round++) {
      inA.putAll(live);
    }

    Deadlines.awaitTrue(10_000, () -> "indexed keys beyond the live ones: " + (raw.indexedKeys(name).size() - 100),
        () -> raw.indexedKeys(name).equals(live.keySet()));
    assertEquals(live, contents(inB));
  }
}
