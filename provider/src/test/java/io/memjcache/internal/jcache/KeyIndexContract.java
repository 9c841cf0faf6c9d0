package io.memjcache.internal.jcache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.internal.jcache.store.Envelope;
import io.memjcache.internal.jcache.store.KeyCodec;
import io.memjcache.internal.jcache.store.KeyIndexFormat;
import io.memjcache.serialization.Serializer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    // Overwrites after the loss index again: within SegmentWatch.CHECK_NANOS a writer notices
    // that the segment of an existing entry is gone and appends the key, recreating the segment.
    Deadlines.awaitTrue(SegmentWatch.CHECK_NANOS / 1_000_000 + 5_000, () -> "key-0 is still not iterable",
        () -> {
          inA.put("key-0", "again");
          return "again".equals(contents(inB).get("key-0"));
        });
    Map<String, String> rewritten = new HashMap<>(entries);
    rewritten.put("key-0", "again");
    Deadlines.awaitTrue(SegmentWatch.CHECK_NANOS / 1_000_000 + 5_000, () -> "keys written after the loss are "
        + "still not iterable", () -> {
          inA.putAll(rewritten); // overwrites of lost keys index them again while their segment is repaired
          return rewritten.equals(contents(inB));
        });
    long repaired = raw.indexBytes(name);
    for (int round = 0; round < 3; round++) {
      inA.putAll(rewritten);
      inA.put("key-0", "again");
    }
    assertEquals(repaired, raw.indexBytes(name), "during the repair each key is indexed again once");
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
      // Both managers write; each compacts after its own KeyIndex.COMPACT_EVERY appends to a segment.
      (round % 2 == 0 ? inA : inB).putAll(entries);
    }
    int record = KeyIndexFormat.recordLength(RawAccess.utf8("key-99"));
    long unbounded = (long) rounds * entries.size() * record;
    // Each segment holds its live keys plus, at most, what each of the two writers appended since
    // its last compaction (COMPACT_EVERY records each) and what raced with it; a generous bound
    // that is still a small fraction of the uncompacted size.
    long bound = (long) ManagerSettings.DEFAULT_INDEX_SEGMENTS * 4 * KeyIndex.COMPACT_EVERY * record;
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
    // Records are appended only when entries are created, and compaction follows appends: A's
    // creations of 16,000 new keys (about 1,000 per segment, plus about 300 of the removed ones)
    // take every segment past KeyIndex.COMPACT_EVERY after the removals, and compaction keeps
    // only keys whose entries exist.
    Map<String, String> live = new HashMap<>();
    for (int i = 0; i < 16_000; i++) {
      batch.put("live-" + i, "v");
      if (batch.size() == 500) {
        inA.putAll(batch);
        live.putAll(batch);
        batch.clear();
      }
    }

    Deadlines.awaitTrue(10_000, () -> "removed keys still indexed: "
        + raw.indexedKeys(name).stream().filter(k -> k.startsWith("temp-")).count(),
        () -> raw.indexedKeys(name).equals(live.keySet()));
    assertEquals(live, contents(inB));
  }

  @Test
  void put_overwritesOfExistingEntries_appendNoIndexRecords() {
    Cache<String, String> inA = createIn(a);
    Cache<String, String> inB = createIn(b);
    Map<String, String> entries = entries(100);
    inA.putAll(entries);
    assertEquals(entries, inB.getAll(entries.keySet()), "B has seen every entry");
    long indexed = raw.indexBytes(name);
    assertTrue(indexed > 0);

    for (int round = 0; round < 10; round++) {
      for (Map.Entry<String, String> entry : entries.entrySet()) {
        (round % 2 == 0 ? inA : inB).put(entry.getKey(), entry.getValue() + "-" + round);
      }
      inB.putAll(entries);
    }

    assertEquals(indexed, raw.indexBytes(name), "only creations add records");
    assertEquals(entries, contents(inA));
  }

  @Test
  void put_ofEntriesThisManagerNeverSaw_appendsDuplicateRecordsThatCompactionRemoves() {
    Cache<String, String> inA = createIn(a);
    Cache<String, String> inB = createIn(b);
    Map<String, String> entries = entries(100);
    inA.putAll(entries);
    long indexed = raw.indexBytes(name);

    entries.forEach((key, value) -> inB.put(key, value + "-b")); // B never saw them: SET and a record

    assertTrue(raw.indexBytes(name) > indexed, "B's puts of keys it did not know appended records");
    store(inB).keyIndex().compactAll();
    assertEquals(entries.keySet(), raw.indexedKeys(name));
    assertTrue(raw.indexBytes(name) <= indexed, "compaction keeps one record per key");
    Map<String, String> expected = new HashMap<>();
    entries.forEach((key, value) -> expected.put(key, value + "-b"));
    assertEquals(expected, contents(inA));
  }

  @Test
  void put_keyRemovedAndCompactedAwayByOtherManager_isIterableFromItAgain() {
    Cache<String, String> inA = createIn(a);
    Cache<String, String> inB = createIn(b);
    inA.put("k", "v1");
    inA.put("k", "v2"); // an overwrite: A knows the key, and nothing is appended
    inB.remove("k");
    store(inB).keyIndex().compactAll();
    assertFalse(raw.indexedKeys(name).contains("k"), "B's compaction dropped the removed key");

    inA.put("k", "v3");

    assertEquals(Map.of("k", "v3"), contents(inB));
    store(inB).keyIndex().compactAll();
    inA.put("k", "v4");
    assertEquals(Map.of("k", "v4"), contents(inB), "compaction keeps the recreated key");
  }

  @Test
  void putAll_keysRemovedAndCompactedAwayByOtherManager_areIterableFromItAgain() {
    Cache<String, String> inA = createIn(a);
    Cache<String, String> inB = createIn(b);
    Map<String, String> entries = entries(50);
    inA.putAll(entries);
    inA.putAll(entries);
    inB.removeAll(entries.keySet());
    store(inB).keyIndex().compactAll();
    assertEquals(Set.of(), raw.indexedKeys(name), "B's compaction dropped every removed key");

    inA.putAll(entries);

    assertEquals(entries, contents(inB));
  }

  @Test
  void compaction_entryExpiredButStillHeldByMemcached_keepsItsKey() {
    Cache<String, String> inA = createIn(a);
    Cache<String, String> inB = createIn(b);
    inA.put("k", "v");
    // The entry's envelope says it expired a second ago, but memcached still holds the item (its
    // server expiry is only a collection hint, rounded up): an expired entry that is overwritten
    // with REPLACE or a CAS write gets no new record, so its key must survive compaction.
    raw.set(raw.entryKey(name, "k"), Envelope.encode(Serializer.FORMAT_STRING, System.currentTimeMillis() - 1_000,
        RawAccess.utf8("k"), RawAccess.utf8("old")));

    store(inB).keyIndex().compactAll();
    assertEquals(Set.of("k"), raw.indexedKeys(name), "compaction keeps the key of an item memcached holds");

    inA.put("k", "new");
    assertEquals(Map.of("k", "new"), contents(inB));
  }

  @Test
  void put_concurrentWithCompactionsAndRemovals_losesNoLiveKey() throws Exception {
    Cache<String, String> inA = createIn(a);
    Cache<String, String> inB = createIn(b);
    int writers = 3;
    int keysPerWriter = 60;
    int rounds = 6;
    java.util.concurrent.ConcurrentHashMap<String, String> expected = new java.util.concurrent.ConcurrentHashMap<>();
    java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
    java.util.concurrent.atomic.AtomicInteger compactions = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers + 1);
    try {
      java.util.concurrent.Future<?> compactor = pool.submit(() -> {
        while (writing.get()) {
          store(compactions.get() % 2 == 0 ? inB : inA).keyIndex().compactAll();
          compactions.incrementAndGet();
        }
      });
      List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        futures.add(pool.submit(() -> {
          java.util.Random random = new java.util.Random(writer);
          for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < keysPerWriter; i++) {
              String key = "w" + writer + "-" + i;
              String value = "r" + round;
              switch (random.nextInt(4)) {
                case 0: // removed by the other manager: compaction may drop the key
                  inB.remove(key);
                  expected.remove(key);
                  break;
                case 1: // written by the other manager
                  inB.put(key, value);
                  expected.put(key, value);
                  break;
                default: // created or overwritten here
                  inA.put(key, value);
                  expected.put(key, value);
              }
            }
          }
          return null;
        }));
      }
      for (java.util.concurrent.Future<?> f : futures) {
        f.get();
      }
      writing.set(false);
      compactor.get();
    } finally {
      pool.shutdownNow();
    }
    assertTrue(compactions.get() > 1, "compactions ran during the writes: " + compactions.get());
    store(inB).keyIndex().compactAll();

    assertEquals(expected, contents(inB), "every live key is iterable after the compactions");
    assertEquals(expected.keySet(), raw.indexedKeys(name), "the index lists exactly the live keys");
  }

  @Test
  void putAll_concurrentCallsCreatingAndOverwritingTheSameKeys_allReturnAndIndexEveryKey() throws Exception {
    Cache<String, String> inA = createIn(a);
    int threads = 4;
    int rounds = 40;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    Map<String, String> all = new java.util.concurrent.ConcurrentHashMap<>();
    try {
      List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          for (int round = 0; round < rounds; round++) {
            // every thread writes the same fresh keys of the round, in its own order: each call
            // creates some and overwrites others that another call is still indexing
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
              keys.add("r" + round + "-" + i);
            }
            java.util.Collections.shuffle(keys, new java.util.Random(thread * 1000L + round));
            Map<String, String> batch = new java.util.LinkedHashMap<>();
            for (String key : keys) {
              batch.put(key, "v");
              if (batch.size() == 5) {
                inA.putAll(batch);
                all.putAll(batch);
                batch.clear();
              }
            }
          }
          return null;
        }));
      }
      for (java.util.concurrent.Future<?> f : futures) {
        f.get(60, java.util.concurrent.TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(all, contents(inA));
  }

  @Test
  void exist_manyKeysOverEveryNode_alignedWithKeys() {
    Cache<String, String> inA = createIn(a);
    Map<String, String> entries = new HashMap<>();
    int count = KeyIndex.EXISTS_BATCH * 2 + 100; // several commands per node
    byte[][] keys = new byte[count][];
    boolean[] expected = new boolean[count];
    for (int i = 0; i < count; i++) {
      keys[i] = raw.entryKey(name, "key-" + i);
      if (i % 3 != 1) {
        entries.put("key-" + i, "v");
        expected[i] = true;
      }
    }
    inA.putAll(entries);

    assertArrayEquals(expected, Awaits.await(store(inA).keyIndex().exist(keys)));
  }

  private static EntryStore store(Cache<String, String> cache) {
    return cache.unwrap(MemcachedCache.class).entryStore();
  }
}
