package io.memjcache.examples.quickstart;

import io.memjcache.async.AsyncCache;
import io.memjcache.testing.MemcachedServer;
import io.memjcache.testing.MemcachedStartException;
import io.memjcache.testing.ServerOptions;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.management.CacheStatisticsMXBean;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.MutableEntry;
import javax.cache.spi.CachingProvider;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * A tour of memjcache: starts a private memcached, then uses it through nothing but the standard
 * JCache (JSR-107) API. Run it from the repository root with
 *
 * <pre>
 *   mvn -B -q install -DskipTests &amp;&amp; mvn -B -q -pl examples/quickstart exec:java
 * </pre>
 *
 * <p>Every step checks what it shows, so a step that stops working fails the run (and
 * {@code QuickstartIT}) instead of printing something wrong.
 */
public final class Quickstart {

  /** How long entries of the "sessions" cache live after they are created. */
  static final long SESSION_TTL_MILLIS = 1_500;

  private final PrintStream out;

  private Quickstart(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    run(System.out);
  }

  /** The whole demo, printing to {@code out}; returns normally only if every step behaved. */
  static void run(PrintStream out) throws Exception {
    new Quickstart(out).tour();
  }

  private void tour() throws Exception {
    out.println();
    out.println("memjcache quickstart: a JCache (JSR-107) provider on memcached");
    out.println("===============================================================");
    out.println();
    out.println("Starting a private memcached (the binary from MEMCACHED_BIN or the PATH) ...");
    try (MemcachedServer server = startMemcached()) {
      out.printf("  memcached %s is listening on %s%n", server.version(), server.hostAndPort());

      // The standard JCache bootstrap: the only memjcache-specific thing is the URI.
      CachingProvider provider = Caching.getCachingProvider();
      URI uri = URI.create("memcached://" + server.hostAndPort());
      out.printf("  provider: %s%n", provider.getClass().getName());
      out.printf("  cache manager URI: %s%n", uri);

      try (CacheManager manager = provider.getCacheManager(uri, Quickstart.class.getClassLoader())) {
        MutableConfiguration<String, String> config = new MutableConfiguration<String, String>()
            .setTypes(String.class, String.class)
            .setStatisticsEnabled(true); // publishes the standard CacheStatisticsMXBean
        Cache<String, String> greetings = manager.createCache("greetings", config);

        putAndGet(greetings);
        conditionalWrites(greetings);
        expiry(manager);
        entryProcessor(manager);
        iteration(greetings);
        statistics(manager, greetings);
        readsWithoutBlocking(greetings);
      }
      out.println();
      out.println("Cache manager closed; stopping memcached ...");
    }
    out.println("Done. Everything above ran against a real memcached through the JCache API.");
    out.println();
  }

  private MemcachedServer startMemcached() {
    try {
      return MemcachedServer.start(ServerOptions.defaults());
    } catch (MemcachedStartException e) {
      out.println("  Could not start memcached: " + e.getMessage());
      out.println("  The quickstart needs a memcached 1.6 binary: install it (Debian/Ubuntu:");
      out.println("  apt-get install memcached), or set MEMCACHED_BIN to its path.");
      throw e;
    }
  }

  // ------------------------------------------------------------------ the steps

  private void putAndGet(Cache<String, String> cache) {
    section(1, "put and get");
    cache.put("hello", "world");
    did("put(\"hello\", \"world\")");
    String hello = cache.get("hello");
    show("get(\"hello\")", hello);
    check("world".equals(hello), "get(hello) should return what put stored");
    String nobody = cache.get("nobody");
    show("get(\"nobody\")", nobody);
    check(nobody == null, "get of a key never written should return null");
    out.println("  Values are copies (store-by-value): the String went to memcached as UTF-8 bytes.");
  }

  private void conditionalWrites(Cache<String, String> cache) {
    section(2, "putIfAbsent and replace (atomic, with memcached's CAS)");
    boolean first = cache.putIfAbsent("language", "Java");
    show("putIfAbsent(\"language\", \"Java\")", first);
    check(first, "putIfAbsent of a new key should store it");
    boolean second = cache.putIfAbsent("language", "Kotlin");
    show("putIfAbsent(\"language\", \"Kotlin\")", second);
    check(!second, "putIfAbsent of an existing key should not store");
    boolean stale = cache.replace("language", "Kotlin", "Scala");
    show("replace(\"language\", \"Kotlin\", \"Scala\")", stale);
    check(!stale, "replace with the wrong old value should not store");
    boolean replaced = cache.replace("language", "Java", "Java 17");
    show("replace(\"language\", \"Java\", \"Java 17\")", replaced);
    check(replaced, "replace with the right old value should store");
    boolean absent = cache.replace("nobody", "anything");
    show("replace(\"nobody\", \"anything\")", absent);
    check(!absent, "replace of an absent key should not store");
    String language = cache.get("language");
    show("get(\"language\")", language);
    check("Java 17".equals(language), "the replaced value should be read back");
  }

  private void expiry(CacheManager manager) throws InterruptedException {
    section(3, "expiry (CreatedExpiryPolicy of " + SESSION_TTL_MILLIS + " ms)");
    MutableConfiguration<String, String> config = new MutableConfiguration<String, String>()
        .setTypes(String.class, String.class)
        .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(
            new Duration(TimeUnit.MILLISECONDS, SESSION_TTL_MILLIS)));
    Cache<String, String> sessions = manager.createCache("sessions", config);
    long createdAt = System.nanoTime();
    sessions.put("session-42", "alice");
    did("put(\"session-42\", \"alice\")");
    String now = sessions.get("session-42");
    show("get(\"session-42\") at once", now);
    check("alice".equals(now), "a fresh entry should be present before it expires");

    long waitMillis = SESSION_TTL_MILLIS + 500
        - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - createdAt);
    out.printf("  ... waiting %.1f s ...%n", Math.max(0, waitMillis) / 1000.0);
    if (waitMillis > 0) {
      Thread.sleep(waitMillis);
    }
    String later = sessions.get("session-42");
    show("get(\"session-42\") after 2 s", later);
    check(later == null, "the entry should have expired");
    out.println("  Expiry is kept in milliseconds inside each entry, so it is exact even though");
    out.println("  memcached itself only counts whole seconds.");
  }

  private void entryProcessor(CacheManager manager) throws Exception {
    section(4, "entry processor: an atomic counter");
    Cache<String, Integer> counters = manager.createCache("counters",
        new MutableConfiguration<String, Integer>().setTypes(String.class, Integer.class));
    Integer one = counters.invoke("page-views", new Increment());
    show("invoke(\"page-views\", increment)", one);
    check(one == 1, "the first increment of an absent counter should give 1");

    int threads = 4;
    int perThread = 50;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          for (int i = 0; i < perThread; i++) {
            counters.invoke("page-views", new Increment());
          }
        }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    out.printf("  %d threads each invoke increment %d times ...%n", threads, perThread);
    Integer total = counters.get("page-views");
    show("get(\"page-views\")", total);
    check(total == 1 + threads * perThread, "no increment may be lost, expected "
        + (1 + threads * perThread) + " but was " + total);
    out.println("  No update was lost: each invoke reads the entry with its CAS token and commits");
    out.println("  only if nobody changed it meanwhile, retrying otherwise (across JVMs as well).");
  }

  private void iteration(Cache<String, String> cache) {
    section(5, "iteration");
    cache.putAll(Map.of("memcached", "1.6", "jsr", "107", "java", "17"));
    did("putAll({memcached=1.6, jsr=107, java=17})");
    Map<String, String> seen = new TreeMap<>(); // memcached has no order: sort for display
    for (Cache.Entry<String, String> entry : cache) {
      seen.put(entry.getKey(), entry.getValue());
    }
    out.println("  for (Cache.Entry<String, String> e : cache) sees:");
    seen.forEach((k, v) -> out.printf("    %-10s = %s%n", k, v));
    check(seen.equals(Map.of("hello", "world", "language", "Java 17", "memcached", "1.6",
        "jsr", "107", "java", "17")), "iteration should see exactly the five entries, saw " + seen);
    cache.remove("jsr");
    did("remove(\"jsr\")");
  }

  private void statistics(CacheManager manager, Cache<String, String> cache) throws Exception {
    section(6, "statistics through JMX (the standard CacheStatisticsMXBean)");
    // JSR-107's name for it; the manager URI and cache name have ',' ':' '=' turned into '.'.
    ObjectName name = new ObjectName("javax.cache:type=CacheStatistics"
        + ",CacheManager=" + manager.getURI().toString().replaceAll("[,:=]", ".")
        + ",Cache=" + cache.getName().replaceAll("[,:=]", "."));
    MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
    check(mbeans.isRegistered(name), "statistics MBean should be registered as " + name);
    CacheStatisticsMXBean stats = JMX.newMXBeanProxy(mbeans, name, CacheStatisticsMXBean.class);
    out.printf("  MBean %s%n", name);
    out.printf("    gets      %4d   (hits %d, misses %d, hit ratio %.0f%%)%n",
        stats.getCacheGets(), stats.getCacheHits(), stats.getCacheMisses(), stats.getCacheHitPercentage());
    out.printf("    puts      %4d%n", stats.getCachePuts());
    out.printf("    removals  %4d%n", stats.getCacheRemovals());
    out.printf("    avg get   %7.1f us, avg put %7.1f us%n",
        stats.getAverageGetTime(), stats.getAveragePutTime());
    check(stats.getCacheHits() > 0 && stats.getCacheMisses() > 0, "there were hits and misses");
    check(stats.getCachePuts() >= 5, "at least five puts were made");
    check(stats.getCacheRemovals() == 1, "exactly one entry was removed");
    out.println("  Statistics count what this JVM did; another JVM sharing the cache has its own.");
  }

  @SuppressWarnings("unchecked")
  private void readsWithoutBlocking(Cache<String, String> cache) throws Exception {
    section(7, "reads without blocking (memjcache's AsyncCache)");
    AsyncCache<String, String> async = cache.unwrap(AsyncCache.class);
    CompletableFuture<String> one = async.getAsync("hello").toCompletableFuture();
    CompletableFuture<Map<String, String>> many =
        async.getAllAsync(Set.of("hello", "nobody")).toCompletableFuture();
    did("getAsync(\"hello\") and getAllAsync({hello, nobody}) returned at once");
    String hello = one.get(5, TimeUnit.SECONDS);
    Map<String, String> found = many.get(5, TimeUnit.SECONDS);
    show("getAsync(\"hello\") completed with", hello);
    show("getAllAsync(...) completed with", found);
    check("world".equals(hello), "getAsync(hello) should complete with what put stored");
    check(found.equals(Map.of("hello", "world")), "getAllAsync should find hello only");
    out.println("  A plain hit or miss completes on memjcache's I/O thread when memcached answers:");
    out.println("  keep actions attached to it short, and give blocking work an executor of your own.");
  }

  /** Adds one to a counter, starting from 0 when it is absent; returns the new value. */
  static final class Increment implements EntryProcessor<String, Integer, Integer> {
    @Override
    public Integer process(MutableEntry<String, Integer> entry, Object... arguments) {
      int next = (entry.exists() ? entry.getValue() : 0) + 1;
      entry.setValue(next);
      return next;
    }
  }

  // ------------------------------------------------------------------ output

  private void section(int number, String title) {
    out.println();
    out.printf("%d. %s%n", number, title);
  }

  /** A call and what it returned. */
  private void show(String call, Object result) {
    out.printf("  %-42s -> %s%n", call, result);
  }

  /** A call that returns nothing. */
  private void did(String call) {
    out.printf("  %s%n", call);
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("quickstart check failed: " + what);
    }
  }
}
