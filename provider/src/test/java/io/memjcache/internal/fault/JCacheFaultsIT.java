package io.memjcache.internal.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.memjcache.spi.MemcachedCachingProvider;
import io.memjcache.testing.FaultProxy;
import io.memjcache.testing.FaultProxy.AfterCut;
import io.memjcache.testing.MemcachedServer;
import io.memjcache.testing.MemcachedTest;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A JCache cache whose manager reaches memcached through a {@link FaultProxy}: during a fault its
 * operations fail within the configured timeout (plus slack) instead of hanging, never return another
 * key's value, and once the fault is gone the same cache object serves again by itself.
 */
@MemcachedTest(nodes = 1)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JCacheFaultsIT {
  private static final long TIMEOUT_MILLIS = 400;
  private static final long SLACK_MILLIS = 1500; // generous: "promptly" on a loaded machine too
  private static final long RECOVERY_MILLIS = 6_000;
  private static final FaultLedger LEDGER = new FaultLedger("JCacheFaultsIT");

  private FaultProxy proxy;
  private MemcachedCachingProvider provider;
  private CacheManager manager;
  private Cache<String, String> cache;

  @BeforeEach
  void open(MemcachedServer server) {
    proxy = FaultProxy.start(server.address(), Duration.ofSeconds(50));
    Properties properties = new Properties();
    properties.setProperty("memjcache.operationTimeoutMillis", Long.toString(TIMEOUT_MILLIS));
    properties.setProperty("memjcache.connectTimeoutMillis", "1000");
    provider = new MemcachedCachingProvider();
    manager = provider.getCacheManager(URI.create("memcached://" + proxy.hostAndPort()),
        JCacheFaultsIT.class.getClassLoader(), properties);
    cache = manager.createCache("faults-" + Long.toHexString(System.nanoTime()),
        new MutableConfiguration<String, String>().setTypes(String.class, String.class));
  }

  @AfterEach
  void close() {
    provider.close();
    proxy.close();
  }

  @AfterAll
  static void summary() {
    System.out.println(LEDGER.summary());
  }

  /** A value naming its key, so that another key's value is recognised. */
  private static String valueOf(String key, int version) {
    return "value of " + key + " #" + version + " " + "x".repeat(version * 100);
  }

  private String checkedGet(String key) {
    String value = cache.get(key);
    if (value != null && !value.startsWith("value of " + key + " #")) {
      LEDGER.wrongValue();
      fail("cache.get(" + key + ") returned another key's value");
    }
    return value;
  }

  private void awaitRecovery(String key, String expected, String kind) {
    LEDGER.recovery(awaitValue(key, expected, kind));
    LEDGER.survived(kind);
  }

  /** Waits until {@code key} reads as {@code expected}; returns how long that took. */
  private long awaitValue(String key, String expected, String kind) {
    long start = System.nanoTime();
    long deadline = start + TimeUnit.MILLISECONDS.toNanos(RECOVERY_MILLIS);
    RuntimeException last = null;
    while (System.nanoTime() - deadline < 0) {
      try {
        assertEquals(expected, checkedGet(key));
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      } catch (RuntimeException e) {
        last = e;
        LEDGER.operation(false);
        sleep(20);
      }
    }
    throw new AssertionError("the cache did not serve again within " + RECOVERY_MILLIS + " ms after " + kind, last);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * Operations during a stall fail within the timeout (plus slack), whichever operation it is, with
   * an exception whose message names the node. Note: JSR-107 documents {@code CacheException} for
   * such failures; what the cache throws today is checked as any {@code RuntimeException} and its
   * type printed.
   */
  @Test
  void stall_operationsFailPromptlyThenTheCacheServesAgain() {
    cache.put("a", valueOf("a", 1));
    cache.put("b", valueOf("b", 2));
    List<String> seen = new ArrayList<>();
    List<Runnable> operations = List.of(
        () -> cache.get("a"),
        () -> cache.put("c", valueOf("c", 3)),
        () -> cache.containsKey("b"),
        () -> cache.getAll(java.util.Set.of("a", "b")),
        () -> cache.remove("b"),
        () -> cache.replace("a", valueOf("a", 4)));
    for (Runnable operation : operations) {
      proxy.stall();
      LEDGER.injected("stall");
      long start = System.nanoTime();
      RuntimeException error = assertThrows(RuntimeException.class, operation::run);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      seen.add(error.getClass().getName());
      assertTrue(millis <= TIMEOUT_MILLIS + SLACK_MILLIS, "failed after " + millis + " ms: " + error);
      assertTrue(String.valueOf(error.getMessage()).contains(proxy.hostAndPort()), "must name the node: " + error);
      proxy.passThrough();
      awaitRecovery("a", valueOf("a", 1), "stall");
    }
    assertEquals(valueOf("b", 2), checkedGet("b"), "operations that failed left the cache as it was");
    System.out.println("exceptions thrown by the cache during a stall: " + new java.util.TreeSet<>(seen));
  }

  /**
   * JSR-107: a failure of the cache's resources surfaces as {@code CacheException}. Today the
   * transport's own {@code MemcachedTimeoutException} / {@code ConnectionException} (in a package the
   * module does not export) reach the caller.
   */
  @Test
  void stall_failureIsACacheException() {
    cache.put("a", valueOf("a", 1));
    proxy.stall();
    assertThrows(CacheException.class, () -> cache.get("a"));
    assertThrows(CacheException.class, () -> cache.put("a", valueOf("a", 2)));
    proxy.reset();
    assertThrows(CacheException.class, () -> cache.get("a"));
  }

  @Test
  void truncatedAnswers_neverAWrongValueAndTheCacheServesAgain() {
    for (int i = 0; i < 10; i++) {
      cache.put("k" + i, valueOf("k" + i, i + 1));
    }
    assertEquals(valueOf("k0", 1), checkedGet("k0")); // connected, generation known
    for (int round = 0; round < 10; round++) {
      String key = "k" + round;
      AfterCut then = round % 2 == 0 ? AfterCut.CLOSE : AfterCut.STALL;
      proxy.cutNextResponse(then);
      LEDGER.injected("cut+" + then);
      long start = System.nanoTime();
      try {
        String value = checkedGet(key);
        fail("a cut answer produced a value: " + (value == null ? "null (a false miss)" : "a value"));
      } catch (RuntimeException e) {
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(millis <= TIMEOUT_MILLIS + SLACK_MILLIS, "failed after " + millis + " ms: " + e);
      }
      awaitRecovery(key, valueOf(key, round + 1), "cut+" + then);
    }
  }

  @Test
  void reset_duringConcurrentReadsAndWrites_failuresArePromptAndTheCacheStaysRight() throws Exception {
    int threads = 4;
    String[] keys = new String[20];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = "r" + i;
      cache.put(keys[i], valueOf(keys[i], 1));
    }
    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicLong slowest = new java.util.concurrent.atomic.AtomicLong();
    List<Throwable> unexpected = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int seed = t;
      Thread worker = new Thread(() -> {
        java.util.Random random = new java.util.Random(seed);
        while (!stop.get()) {
          String key = keys[random.nextInt(keys.length)];
          long start = System.nanoTime();
          try {
            if (random.nextBoolean()) {
              cache.put(key, valueOf(key, 1));
            } else {
              checkedGet(key);
            }
          } catch (AssertionError e) {
            unexpected.add(e);
          } catch (RuntimeException e) {
            slowest.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), Math::max);
          }
        }
      });
      worker.setDaemon(true);
      workers.add(worker);
      worker.start();
    }
    for (int round = 0; round < 5; round++) {
      sleep(200);
      proxy.reset();
      LEDGER.injected("reset");
    }
    sleep(300);
    stop.set(true);
    for (Thread worker : workers) {
      worker.join(10_000);
    }
    assertTrue(unexpected.isEmpty(), "wrong values: " + unexpected);
    assertTrue(slowest.get() <= TIMEOUT_MILLIS + SLACK_MILLIS, "the slowest failed operation took " + slowest.get() + " ms");
    long worst = 0;
    for (String key : keys) {
      worst = Math.max(worst, awaitValue(key, valueOf(key, 1), "reset"));
    }
    LEDGER.recovery(worst);
    for (int round = 0; round < 5; round++) {
      LEDGER.survived("reset");
    }
  }
}
