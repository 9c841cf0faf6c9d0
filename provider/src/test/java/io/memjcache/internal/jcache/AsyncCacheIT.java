package io.memjcache.internal.jcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.async.AsyncCache;
import io.memjcache.testing.FaultProxy;
import io.memjcache.testing.MemcachedTest;
import io.memjcache.config.EncryptionKey;
import io.memjcache.config.EncryptionSettings;
import io.memjcache.config.KeyRing;
import io.memjcache.config.KeyRingSource;
import io.memjcache.config.MemcachedConfiguration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.EventType;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.integration.CacheLoader;
import org.junit.jupiter.api.Test;

/**
 * {@link AsyncCache}: the same results, statistics, read-through and expiry as the synchronous
 * reads, completed on the I/O thread when nothing else has to happen, on a worker otherwise.
 */
@MemcachedTest(nodes = 1)
class AsyncCacheIT extends TwoManagers {

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @SuppressWarnings("unchecked")
  private static <K, V> AsyncCache<K, V> async(Cache<K, V> cache) {
    return cache.unwrap(AsyncCache.class);
  }

  @Test
  void getAsync_hitAndMiss_sameAsGetAndCountedInStatistics() throws Exception {
    Cache<String, String> cache = a.createCache(name, Managers.strings().setStatisticsEnabled(true));
    cache.put("k", "v");
    AsyncCache<String, String> async = async(cache);

    assertEquals("v", await(async.getAsync("k")));
    assertNull(await(async.getAsync("absent")));

    MemcachedCache<?, ?> memcached = cache.unwrap(MemcachedCache.class);
    assertEquals(1, memcached.statistics().getCacheHits());
    assertEquals(1, memcached.statistics().getCacheMisses());
    assertTrue(memcached.statistics().getAverageGetTime() > 0, "get time recorded");
  }

  @Test
  void getAsync_serverStalled_returnsBeforeTheAnswerAndCompletesOnAnIoThread() throws Exception {
    try (FaultProxy proxy = FaultProxy.start(cluster.node(0).address())) {
      CacheManager manager = Managers.open(proxy.hostAndPort());
      try {
        Cache<String, String> plain = manager.createCache(name, Managers.strings());
        Cache<String, String> encrypted = manager.createCache(name + "-encrypted", encrypted());
        List<CompletionStage<?>> stages = new java.util.ArrayList<>();
        List<AtomicReference<String>> threads = new java.util.ArrayList<>();
        for (Cache<String, String> cache : List.of(plain, encrypted)) {
          cache.putAll(entries(3));
        }
        proxy.stall();

        for (Cache<String, String> cache : List.of(plain, encrypted)) {
          AtomicReference<String> one = new AtomicReference<>();
          AtomicReference<String> many = new AtomicReference<>();
          stages.add(async(cache).getAsync("key-0").whenComplete((v, e) -> one.set(Thread.currentThread().getName())));
          stages.add(async(cache).getAllAsync(entries(3).keySet())
              .whenComplete((v, e) -> many.set(Thread.currentThread().getName())));
          threads.add(one);
          threads.add(many);
        }
        Thread.sleep(200);
        for (CompletionStage<?> stage : stages) {
          assertFalse(stage.toCompletableFuture().isDone(), "returned before memcached answered");
        }
        proxy.passThrough();

        for (int i = 0; i < stages.size(); i++) {
          assertEquals(i % 2 == 0 ? "value-0" : entries(3), await(stages.get(i)), "stage " + i);
          assertTrue(threads.get(i).get().startsWith("memjcache-io"), "stage " + i + " completed on " + threads.get(i).get());
        }
      } finally {
        Managers.close(manager);
      }
    }
  }

  @Test
  void getAllAsync_someKeysPresent_returnsThoseOnly() throws Exception {
    Cache<String, String> cache = a.createCache(name, Managers.strings().setStatisticsEnabled(true));
    cache.putAll(entries(50));
    Set<String> keys = new LinkedHashSet<>(entries(60).keySet()); // key-50 .. key-59 are absent

    Map<String, String> got = await(async(cache).getAllAsync(keys));

    assertEquals(entries(50), got);
    assertEquals(50, cache.unwrap(MemcachedCache.class).statistics().getCacheHits());
    assertEquals(10, cache.unwrap(MemcachedCache.class).statistics().getCacheMisses());
  }

  @Test
  void getAllAsync_callerChangesItsSetAfterwards_readsTheKeysItWasGiven() throws Exception {
    Cache<String, String> cache = createIn(a);
    cache.putAll(entries(3));
    Set<String> keys = new HashSet<>(entries(3).keySet());

    CompletionStage<Map<String, String>> stage = async(cache).getAllAsync(keys);
    keys.clear();

    assertEquals(entries(3), await(stage));
  }

  @Test
  void getAsync_readThrough_loadsOnAWorkerAndStores() throws Exception {
    CountingLoader.calls.set(0);
    MutableConfiguration<String, String> config = Managers.strings().setReadThrough(true)
        .setCacheLoaderFactory(FactoryBuilder.factoryOf(CountingLoader.class));
    Cache<String, String> cache = a.createCache(name, config);
    AtomicReference<String> thread = new AtomicReference<>();

    assertEquals("loaded-k", await(async(cache).getAsync("k").whenComplete((v, e) ->
        thread.set(Thread.currentThread().getName()))));
    Map<String, String> all = await(async(cache).getAllAsync(Set.of("k", "j")));

    assertEquals(Map.of("k", "loaded-k", "j", "loaded-j"), all);
    assertEquals(2, CountingLoader.calls.get(), "k was stored by the first load, j loaded once");
    assertEquals("loaded-k", createIn(b).get("k"), "the loaded value is in memcached");
    assertTrue(!thread.get().startsWith("memjcache-io"), "a loader may block: not on an I/O thread, was " + thread.get());
  }

  @Test
  void getAsync_entryExpiredButStillInMemcached_missAndExpiredEvent() throws Exception {
    RecordingListener<String, String> listener = new RecordingListener<>();
    MutableConfiguration<String, String> config = Managers.strings()
        .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new javax.cache.expiry.Duration(TimeUnit.MILLISECONDS, 100)))
        .addCacheEntryListenerConfiguration(listener.configuration());
    Cache<String, String> cache = a.createCache(name, config);
    cache.put("k", "v");
    cache.put("j", "w");
    Thread.sleep(300); // memcached's own expiry has whole seconds: the items are still there

    assertNull(await(async(cache).getAsync("k")));
    assertEquals(Map.of(), await(async(cache).getAllAsync(Set.of("j"))));

    assertEquals(2, listener.seen(EventType.EXPIRED).size(), listener.seen().toString());
    assertNull(raw.get(raw.entryKey(name, "k")), "the expired entry was removed");
  }

  private static MemcachedConfiguration<String, String> encrypted() {
    return new MemcachedConfiguration<String, String>()
        .setTypes(String.class, String.class)
        .setEncryption(EncryptionSettings.builder().keyRing(KeyRingSource.of(
            KeyRing.of(EncryptionKey.of(1, EncryptionKey.State.PRIMARY, new byte[32])))).build());
  }

  @Test
  void getAsync_encryptedCache_returnsTheValue() throws Exception {
    Cache<String, String> cache = a.createCache(name, encrypted());
    cache.put("k", "secret");

    assertEquals("secret", await(async(cache).getAsync("k")));
    assertEquals(Map.of("k", "secret"), await(async(cache).getAllAsync(Set.of("k", "other"))));
  }

  @Test
  void getAsync_badArgumentsOrClosedCache_throwAtOnce() {
    Cache<String, String> cache = createIn(a);
    AsyncCache<String, String> async = async(cache);
    assertThrows(NullPointerException.class, () -> async.getAsync(null));
    assertThrows(NullPointerException.class, () -> async.getAllAsync(null));
    Set<String> withNull = new HashSet<>(java.util.Arrays.asList("a", null));
    assertThrows(NullPointerException.class, () -> async.getAllAsync(withNull));

    cache.close();

    assertThrows(IllegalStateException.class, () -> async.getAsync("k"));
    assertThrows(IllegalStateException.class, () -> async.getAllAsync(Set.of("k")));
  }

  @Test
  void getAsync_serverGone_completesExceptionallyWithCacheException() throws Exception {
    FaultProxy proxy = FaultProxy.start(cluster.node(0).address());
    CacheManager manager = Managers.open(proxy.hostAndPort());
    try {
      Cache<String, String> cache = manager.createCache(name, Managers.strings());
      cache.put("k", "v");
      proxy.close(); // the connection drops and reconnecting is refused

      CompletionStage<String> one = async(cache).getAsync("k");
      CompletionStage<Map<String, String>> many = async(cache).getAllAsync(Set.of("k", "j"));

      for (CompletionStage<?> stage : List.of(one, many)) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> await(stage));
        assertInstanceOf(CacheException.class, e.getCause(), String.valueOf(e.getCause()));
      }
    } finally {
      Managers.close(manager);
    }
  }

  @Test
  void unwrap_anyMemjcacheCache_isItsOwnAsyncView() {
    Cache<String, String> cache = createIn(a);
    assertSame(cache.unwrap(MemcachedCache.class), cache.unwrap(AsyncCache.class));
  }

  /** A loader that counts its calls (static: the factory instantiates it). */
  public static final class CountingLoader implements CacheLoader<String, String> {
    static final AtomicInteger calls = new AtomicInteger();

    @Override
    public String load(String key) {
      calls.incrementAndGet();
      return "loaded-" + key;
    }

    @Override
    public Map<String, String> loadAll(Iterable<? extends String> keys) {
      Map<String, String> result = new java.util.HashMap<>();
      for (String key : keys) {
        result.put(key, load(key));
      }
      return result;
    }
  }
}
