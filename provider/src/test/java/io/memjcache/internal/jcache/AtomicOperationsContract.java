package io.memjcache.internal.jcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.processor.EntryProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Compound operations stay atomic between managers: each commits with memcached CAS, so concurrent
 * callers in different managers (different connections, as in different JVMs) neither lose updates
 * nor both win a conditional write.
 */
abstract class AtomicOperationsContract extends TwoManagers {
  private static final int THREADS_PER_MANAGER = 4;

  private final ExecutorService pool = Executors.newFixedThreadPool(2 * THREADS_PER_MANAGER);

  @AfterEach
  void stopPool() throws InterruptedException {
    pool.shutdownNow();
    assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
  }

  /** Adds one to the entry's value, creating it with 1. */
  static final EntryProcessor<String, Integer, Integer> INCREMENT = (entry, arguments) -> {
    Integer current = entry.getValue();
    int next = current == null ? 1 : current + 1;
    entry.setValue(next);
    return next;
  };

  private Cache<String, Integer> counters(CacheManager manager) {
    return manager.createCache(name, new MutableConfiguration<String, Integer>().setTypes(String.class, Integer.class));
  }

  /** Runs {@code task(cache, thread)} on THREADS_PER_MANAGER threads per manager, all started together. */
  private <K, V, T> List<T> onBothManagers(Cache<K, V> inA, Cache<K, V> inB, Task<K, V, T> task) throws Exception {
    CyclicBarrier start = new CyclicBarrier(2 * THREADS_PER_MANAGER);
    List<Future<T>> futures = new ArrayList<>();
    for (int t = 0; t < 2 * THREADS_PER_MANAGER; t++) {
      Cache<K, V> cache = t % 2 == 0 ? inA : inB;
      int thread = t;
      Callable<T> call = () -> {
        start.await(30, TimeUnit.SECONDS);
        return task.run(cache, thread);
      };
      futures.add(pool.submit(call));
    }
    List<T> results = new ArrayList<>();
    for (Future<T> future : futures) {
      results.add(future.get(90, TimeUnit.SECONDS));
    }
    return results;
  }

  interface Task<K, V, T> {
    T run(Cache<K, V> cache, int thread) throws Exception;
  }

  @Test
  void invoke_concurrentIncrementsFromTwoManagers_loseNoUpdate() throws Exception {
    Cache<String, Integer> inA = counters(a);
    Cache<String, Integer> inB = counters(b);
    int perThread = 500;

    List<List<Integer>> returned = onBothManagers(inA, inB, (cache, thread) -> {
      List<Integer> seen = new ArrayList<>();
      for (int i = 0; i < perThread; i++) {
        seen.add(cache.invoke("counter", INCREMENT));
      }
      return seen;
    });

    int total = 2 * THREADS_PER_MANAGER * perThread;
    assertEquals(total, inA.get("counter"));
    assertEquals(total, inB.get("counter"));
    // Every committed increment returned a distinct value: no two processors saw the same state.
    boolean[] seen = new boolean[total + 1];
    for (List<Integer> values : returned) {
      for (int value : values) {
        assertTrue(value >= 1 && value <= total && !seen[value], "value " + value + " returned twice or out of range");
        seen[value] = true;
      }
    }
  }

  @Test
  void putIfAbsent_raceFromTwoManagers_exactlyOneWinsEachKey() throws Exception {
    Cache<String, String> inA = createIn(a);
    Cache<String, String> inB = createIn(b);
    int keys = 200;
    CyclicBarrier perKey = new CyclicBarrier(2 * THREADS_PER_MANAGER);

    List<List<String>> won = onBothManagers(inA, inB, (cache, thread) -> {
      List<String> mine = new ArrayList<>();
      for (int k = 0; k < keys; k++) {
        perKey.await(30, TimeUnit.SECONDS); // every thread goes for the same key at the same time
        if (cache.putIfAbsent("key-" + k, "thread-" + thread)) {
          mine.add("key-" + k);
        }
      }
      return mine;
    });

    for (int k = 0; k < keys; k++) {
      String key = "key-" + k;
      List<Integer> winners = new ArrayList<>();
      for (int t = 0; t < won.size(); t++) {
        if (won.get(t).contains(key)) {
          winners.add(t);
        }
      }
      assertEquals(1, winners.size(), key + " won by threads " + winners);
      assertEquals("thread-" + winners.get(0), inA.get(key), key);
      assertEquals("thread-" + winners.get(0), inB.get(key), key);
    }
  }

  @Test
  void replace_raceFromTwoManagers_eachOldValueReplacedOnce() throws Exception {
    Cache<String, String> inA = createIn(a);
    Cache<String, String> inB = createIn(b);
    inA.put("counter", "0");
    int perThread = 150;

    // Optimistic increments through replace(k, old, new): if two callers could both replace the
    // same old value, an increment would be lost and the total would fall short.
    List<Integer> attempts = onBothManagers(inA, inB, (cache, thread) -> {
      int tries = 0;
      for (int i = 0; i < perThread; i++) {
        while (true) {
          tries++;
          String current = cache.get("counter");
          if (cache.replace("counter", current, Integer.toString(Integer.parseInt(current) + 1))) {
            break;
          }
        }
      }
      return tries;
    });

    int total = 2 * THREADS_PER_MANAGER * perThread;
    assertEquals(Integer.toString(total), inA.get("counter"));
    assertEquals(Integer.toString(total), inB.get("counter"));
    assertTrue(attempts.stream().mapToInt(Integer::intValue).sum() >= total);
  }

  @Test
  void replace_sameOldValueFromEveryThread_exactlyOneSucceedsPerRound() throws Exception {
    Cache<String, String> inA = createIn(a);
    Cache<String, String> inB = createIn(b);
    int rounds = 100;
    inA.put("k", "round-0");
    CyclicBarrier perRound = new CyclicBarrier(2 * THREADS_PER_MANAGER);

    List<Integer> wins = onBothManagers(inA, inB, (cache, thread) -> {
      int mine = 0;
      for (int r = 0; r < rounds; r++) {
        perRound.await(30, TimeUnit.SECONDS);
        if (cache.replace("k", "round-" + r, "round-" + (r + 1))) {
          mine++;
        }
        perRound.await(30, TimeUnit.SECONDS); // the round is decided before the next begins
      }
      return mine;
    });

    assertEquals(rounds, wins.stream().mapToInt(Integer::intValue).sum(), "one winner per round: " + wins);
    assertEquals("round-" + rounds, inB.get("k"));
  }

  @Test
  void getAndPut_concurrentFromTwoManagers_everyValueReturnedExactlyOnce() throws Exception {
    Cache<String, String> inA = createIn(a);
    Cache<String, String> inB = createIn(b);
    int perThread = 200;
    inA.put("k", "initial");

    // Each getAndPut swaps in a unique value and returns the one it displaced: as a chain, every
    // value written except the last is returned exactly once, and "initial" is returned once.
    List<List<String>> returned = onBothManagers(inA, inB, (cache, thread) -> {
      List<String> displaced = new ArrayList<>();
      for (int i = 0; i < perThread; i++) {
        displaced.add(cache.getAndPut("k", thread + ":" + i));
      }
      return displaced;
    });

    List<String> all = new ArrayList<>();
    returned.forEach(all::addAll);
    String last = inA.get("k");
    List<String> expected = new ArrayList<>();
    expected.add("initial");
    for (int t = 0; t < 2 * THREADS_PER_MANAGER; t++) {
      for (int i = 0; i < perThread; i++) {
        expected.add(t + ":" + i);
      }
    }
    expected.remove(last);
    all.sort(null);
    expected.sort(null);
    assertEquals(expected, all);
  }
}
