package io.memjcache.internal.jcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.internal.jcache.store.KeyCodec;
import java.io.Closeable;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.EventType;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.integration.CacheLoader;
import org.junit.jupiter.api.Test;

/**
 * Issue #3's sharing rules between two managers (two application instances) on the same servers: a
 * cache name means the same data everywhere; creating a cache joins that data; destroying or
 * clearing it drops the data for every manager, which sees it within the generation refresh bound;
 * iteration and removeAll() work on entries any manager wrote, with the caller's listeners, writer
 * and statistics.
 */
abstract class SharedCacheContract extends TwoManagers {

  // ------------------------------------------------------------------ create and destroy

  @Test
  void createCache_sameNameInTwoManagers_eachSeesTheOthersWrites() {
    Cache<String, String> inA = createIn(a);
    Cache<String, String> inB = createIn(b);

    inA.put("from-a", "1");
    inB.put("from-b", "2");
    inA.putAll(Map.of("many-1", "x", "many-2", "y"));

    assertEquals("1", inB.get("from-a"));
    assertEquals("2", inA.get("from-b"));
    assertEquals(Map.of("many-1", "x", "many-2", "y"), inB.getAll(Set.of("many-1", "many-2")));
    assertTrue(inB.containsKey("from-a"));
    assertTrue(inB.remove("from-a"));
    assertNull(inA.get("from-a"));
  }

  @Test
  void createCache_inNewManager_joinsExistingDataInsteadOfWipingIt() {
    Cache<String, String> inA = createIn(a);
    Map<String, String> entries = entries(50);
    inA.putAll(entries);

    Cache<String, String> inB = createIn(b);
    assertEquals(entries, inB.getAll(entries.keySet()));
    assertEquals(entries, inA.getAll(entries.keySet()), "B's createCache must not disturb A's view");
    assertEquals(entries, contents(inB));

    // A manager that starts after every earlier one has gone still finds the data.
    Managers.close(a);
    a = null;
    CacheManager late = Managers.open(cluster.serverList());
    try {
      assertEquals(entries, late.createCache(name, Managers.strings()).getAll(entries.keySet()));
    } finally {
      Managers.close(late);
    }
  }

  @Test
  void destroyCache_byOneManager_dataDisappearsForTheOtherWithinRefreshBound() {
    Cache<String, String> inA = createIn(a);
    Cache<String, String> inB = createIn(b);
    Map<String, String> entries = entries(20);
    inA.putAll(entries);
    assertEquals(entries, inB.getAll(entries.keySet())); // B has now read the generation

    a.destroyCache(name);
    long took = Deadlines.awaitTrue(Managers.REFRESH_MILLIS + Managers.SLACK_MILLIS,
        () -> "B still sees entries of the destroyed cache", () -> inB.get("key-0") == null);

    assertEquals(Map.of(), inB.getAll(entries.keySet()), "all entries, after " + took + " ms");
    assertEquals(Map.of(), contents(inB));
    assertNull(a.getCache(name), "A destroyed its cache");
    assertFalse(inB.isClosed(), "destroyCache closes the destroying manager's cache only");

    // Recreating the cache in A joins the new (empty) data, which B shares.
    Cache<String, String> again = createIn(a);
    assertEquals(Map.of(), again.getAll(entries.keySet()));
    inB.put("after", "destroy");
    assertEquals("destroy", again.get("after"));
  }

  @Test
  void destroyCache_ofACacheThisManagerNeverOpened_dropsItsDataForEveryone() {
    Cache<String, String> inA = createIn(a);
    Map<String, String> entries = entries(20);
    inA.putAll(entries);
    long generation = raw.generation(name);

    b.destroyCache(name); // B never created, fetched or closed it

    assertEquals(generation + 1, raw.generation(name), "the generation was advanced");
    Deadlines.awaitTrue(Managers.REFRESH_MILLIS + Managers.SLACK_MILLIS,
        () -> "A still sees entries of the destroyed cache", () -> inA.get("key-0") == null);
    assertEquals(Map.of(), inA.getAll(entries.keySet()));
    assertEquals(Map.of(), contents(inA));
    assertNull(b.getCache(name));
    assertFalse(inA.isClosed(), "A's instance stays open, as for a destroy by a manager that had it open");
  }

  @Test
  void destroyAndClear_withForeignBytesInTheGenerationItem_stillDropTheData() {
    Cache<String, String> inA = createIn(a);
    inA.put("k", "v");
    raw.set(KeyCodec.forCache(name).generationKey(), "not-a-number".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    Deadlines.awaitTrue(Managers.REFRESH_MILLIS + Managers.SLACK_MILLIS,
        () -> "A still reads the generation it had", () -> inA.get("k") == null);
    inA.put("k2", "v2");
    assertEquals("v2", inA.get("k2"), "the cache works on a generation derived from those bytes");

    b.destroyCache(name); // an INCR of those bytes fails: a fresh generation replaces them

    Deadlines.awaitTrue(Managers.REFRESH_MILLIS + Managers.SLACK_MILLIS,
        () -> "A still sees entries of the destroyed cache", () -> inA.get("k2") == null);
    inA.put("k3", "v3");
    inA.clear();
    assertNull(inA.get("k3"));
  }

  @Test
  void destroyCache_ofANameNoManagerEverUsed_createsNothing() {
    b.destroyCache(name);

    assertNull(raw.get(KeyCodec.forCache(name).generationKey()), "no generation item for a cache that never existed");
    assertFalse(b.getCacheNames().iterator().hasNext(), "and no cache in the manager");
  }

  @Test
  void destroyCache_closesTheLoaderBeforeTheDataIsDropped() {
    AtomicLong generationAtClose = new AtomicLong(-1);
    ClosingLoader loader = new ClosingLoader(() -> generationAtClose.set(raw.generation(name)));
    Cache<String, String> inA = a.createCache(name, Managers.strings()
        .setReadThrough(true).setCacheLoaderFactory(new FactoryBuilder.SingletonFactory<>(loader)));
    inA.put("key", "value");
    long generation = raw.generation(name);

    a.destroyCache(name);

    assertTrue(loader.closed, "destroyCache closes a Closeable loader");
    assertEquals(generation, generationAtClose.get(), "the loader was closed before the data was dropped");
    assertTrue(raw.generation(name) != generation, "then the data was dropped");
  }

  /** A loader that runs {@code onClose} when it is closed. */
  static final class ClosingLoader implements CacheLoader<String, String>, Closeable, Serializable {
    private final transient Runnable onClose;
    volatile boolean closed;

    ClosingLoader(Runnable onClose) {
      this.onClose = onClose;
    }

    @Override
    public String load(String key) {
      return null;
    }

    @Override
    public Map<String, String> loadAll(Iterable<? extends String> keys) {
      return Map.of();
    }

    @Override
    public void close() {
      closed = true;
      onClose.run();
    }
  }

  // ------------------------------------------------------------------ clear

  @Test
  void clear_byOneManager_otherSeesEmptyCacheWithinRefreshBound() {
    Cache<String, String> inA = createIn(a);
    Cache<String, String> inB = createIn(b);
    Map<String, String> entries = entries(30);
    inB.putAll(entries);
    assertEquals(entries, inA.getAll(entries.keySet()));

    inA.clear();
    assertEquals(Map.of(), inA.getAll(entries.keySet()), "the clearing manager sees the clear at once");
    long took = Deadlines.awaitTrue(Managers.REFRESH_MILLIS + Managers.SLACK_MILLIS,
        () -> "B still sees entries after A's clear()", () -> inB.get("key-0") == null);

    assertEquals(Map.of(), inB.getAll(entries.keySet()), "all entries, after " + took + " ms");
    assertEquals(Map.of(), contents(inB));
    assertEquals(Map.of(), contents(inA));

    // Both keep working on the new generation.
    inB.put("next", "round");
    assertEquals("round", inA.get("next"));
    assertEquals(Map.of("next", "round"), contents(inA));
  }

  // ------------------------------------------------------------------ iteration

  @Test
  void iterator_entriesPutByOtherManager_returnsAllOfThem() {
    Cache<String, String> inA = createIn(a);
    Cache<String, String> inB = createIn(b);
    Map<String, String> entries = entries(250); // more than one batch of value reads
    for (Map.Entry<String, String> e : entries.entrySet()) {
      if (e.getKey().hashCode() % 2 == 0) {
        inA.put(e.getKey(), e.getValue());
      } else {
        inA.putAll(Map.of(e.getKey(), e.getValue()));
      }
    }
    inA.remove("key-7");
    inA.put("key-8", "changed");
    entries.remove("key-7");
    entries.put("key-8", "changed");

    assertEquals(entries, contents(inB));
    assertEquals(entries, contents(inA));
  }

  @Test
  void iterator_expiredEntries_areSkipped() {
    // A writes with a short creation expiry, B with none: the expiry travels with each entry.
    MutableConfiguration<String, String> shortLived = Managers.strings()
        .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MILLISECONDS, 200)));
    Cache<String, String> inA = a.createCache(name, shortLived);
    Cache<String, String> inB = createIn(b);
    for (int i = 0; i < 20; i++) {
      inA.put("short-" + i, "s" + i);
      inB.put("long-" + i, "l" + i);
    }
    Deadlines.sleepUntil(System.currentTimeMillis() + 200 + 20); // past the last short entry's expiry

    Map<String, String> seen = contents(inB);
    Map<String, String> expected = new LinkedHashMap<>();
    for (int i = 0; i < 20; i++) {
      expected.put("long-" + i, "l" + i);
    }
    assertEquals(expected, seen);
    assertEquals(expected, contents(inA));
  }

  @Test
  void iteratorRemove_onEntriesOfOtherManager_removesThemForEveryone() {
    Cache<String, String> inA = createIn(a);
    Cache<String, String> inB = createIn(b);
    Map<String, String> entries = entries(40);
    inA.putAll(entries);

    Set<String> removed = new HashSet<>();
    for (Iterator<Cache.Entry<String, String>> it = inB.iterator(); it.hasNext(); ) {
      Cache.Entry<String, String> entry = it.next();
      if (Integer.parseInt(entry.getKey().substring(4)) % 2 == 0) {
        it.remove();
        removed.add(entry.getKey());
      }
    }

    assertEquals(20, removed.size());
    Map<String, String> left = new LinkedHashMap<>(entries);
    left.keySet().removeAll(removed);
    assertEquals(left, inA.getAll(entries.keySet()));
    assertEquals(left, contents(inA));
  }

  @Test
  void removeAll_entriesPutByOtherManager_removedWithEventsWriterCallsAndStatistics() {
    Cache<String, String> inA = createIn(a);
    RecordingListener<String, String> listener = new RecordingListener<>();
    RecordingWriter<String, String> writer = new RecordingWriter<>();
    MutableConfiguration<String, String> observed = Managers.strings()
        .addCacheEntryListenerConfiguration(listener.configuration())
        .setCacheWriterFactory(FactoryBuilder.factoryOf(writer))
        .setWriteThrough(true)
        .setStatisticsEnabled(true);
    Cache<String, String> inB = b.createCache(name, observed);
    Map<String, String> entries = entries(120);
    inA.putAll(entries);

    inB.removeAll();

    assertEquals(Map.of(), inA.getAll(entries.keySet()));
    assertEquals(Map.of(), contents(inA));
    Map<String, String> removedEvents = new LinkedHashMap<>();
    for (RecordingListener.Seen<String, String> seen : listener.seen(EventType.REMOVED)) {
      removedEvents.put(seen.key(), seen.oldValue());
    }
    assertEquals(entries, removedEvents, "one REMOVED event per entry, with its old value");
    assertEquals(entries.size(), listener.seen().size(), "no other events: " + listener.seen());
    assertEquals(entries.keySet(), new HashSet<>(writer.deleted()));
    assertEquals(entries.size(), writer.deleted().size(), "each key deleted through once");
    MemcachedCache<?, ?> memcachedB = inB.unwrap(MemcachedCache.class);
    assertEquals(entries.size(), memcachedB.statistics().getCacheRemovals());
  }

  @Test
  void removeAll_withSomeEntriesAlreadyRemoved_reportsOnlyPresentOnes() {
    Cache<String, String> inA = createIn(a);
    RecordingListener<String, String> listener = new RecordingListener<>();
    Cache<String, String> inB = b.createCache(name, Managers.strings()
        .addCacheEntryListenerConfiguration(listener.configuration()).setStatisticsEnabled(true));
    inA.putAll(entries(10));
    List<String> gone = new ArrayList<>();
    for (int i = 0; i < 10; i += 3) {
      inA.remove("key-" + i);
      gone.add("key-" + i);
    }

    inB.removeAll();

    Set<String> reported = new HashSet<>();
    listener.seen(EventType.REMOVED).forEach(s -> reported.add(s.key()));
    Set<String> expected = new HashSet<>(entries(10).keySet());
    gone.forEach(expected::remove);
    assertEquals(expected, reported);
    assertEquals(expected.size(), inB.unwrap(MemcachedCache.class).statistics().getCacheRemovals());
  }
}
