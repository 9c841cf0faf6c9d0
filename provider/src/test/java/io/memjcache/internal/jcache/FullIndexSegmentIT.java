package io.memjcache.internal.jcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.internal.jcache.store.KeyCodec;
import io.memjcache.internal.jcache.store.KeyIndexFormat;
import io.memjcache.testing.MemcachedTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.cache.Cache;
import org.junit.jupiter.api.Test;

/**
 * An index segment that outgrew the item size limit (here 1 KiB, about a hundred records): entries
 * whose records could not be appended are still stored, and once the segment is compacted, writing
 * them again records them, so iteration sees them.
 */
@MemcachedTest(maxItemSize = "1k", extraArgs = {"-o", "slab_chunk_max=512"})
class FullIndexSegmentIT extends TwoManagers {

  @Test
  void entriesWrittenWhileTheirSegmentWasFull_areIterableOnceWrittenAgainAfterCompaction() {
    Cache<String, String> cache = createIn(a);
    // records of 11 bytes: about 80 fit; 60 + 60 overflow, the 10 + 60 live ones do not
    List<String> keys = keysOfSegmentZero(120);
    List<String> removed = keys.subList(0, 50);
    List<String> kept = keys.subList(50, 60);
    List<String> added = keys.subList(60, 120);
    for (String key : keys.subList(0, 60)) {
      cache.put(key, "v");
    }
    for (String key : removed) {
      cache.remove(key); // dead records, which only a compaction drops
    }
    for (String key : added) {
      cache.put(key, "v"); // the segment fills up, is compacted, and fills up again
    }
    KeyCodec.Generation generation = raw.keys(name);
    Deadlines.awaitTrue(5_000, () -> "the segment still holds records of removed keys", () -> {
      var segment = raw.get(generation.indexSegmentKey(0));
      return segment != null && KeyIndexFormat.replay(segment.value()).liveKeys().stream()
          .map(k -> new String(k, StandardCharsets.UTF_8)).noneMatch(removed::contains);
    });
    Set<String> indexed = raw.indexedKeys(name);
    List<String> unrecorded = added.stream().filter(k -> !indexed.contains(k)).toList();
    assertTrue(!unrecorded.isEmpty(), "some appends found the segment full");

    for (String key : unrecorded) {
      assertEquals("v", cache.get(key)); // a read hit makes the key look present and recorded
      cache.put(key, "again"); // yet each of them appends its record again
    }

    Set<String> expected = new TreeSet<>(kept);
    expected.addAll(unrecorded);
    Set<String> iterated = new TreeSet<>(contents(cache).keySet());
    assertTrue(iterated.containsAll(expected), "not iterable: " + missing(expected, iterated));
    assertTrue(Collections.disjoint(iterated, removed), "removed keys are not iterated");
  }

  private static List<String> keysOfSegmentZero(int count) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; keys.size() < count; i++) {
      String key = String.format("key-%05d", i);
      if (KeyCodec.segmentFor(RawAccess.utf8(key), ManagerSettings.DEFAULT_INDEX_SEGMENTS) == 0) {
        keys.add(key);
      }
    }
    return keys;
  }

  private static Set<String> missing(Set<String> expected, Set<String> seen) {
    Set<String> missing = new TreeSet<>(expected);
    missing.removeAll(seen);
    return missing;
  }
}
