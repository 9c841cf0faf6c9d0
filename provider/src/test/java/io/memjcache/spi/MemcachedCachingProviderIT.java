package io.memjcache.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.testing.MemcachedCluster;
import io.memjcache.testing.MemcachedTest;
import java.io.Serializable;
import java.net.URI;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CompletionListenerFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The provider against a real memcached: which servers a manager uses (its memcached:// URI, the
 * {@code memjcache.servers} manager property for any other URI, the system property for the default
 * URI), managers of one provider sharing caches with each other like any two clients, and a
 * provider that closes everything it started and can be used again afterwards.
 */
@MemcachedTest(nodes = 2)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MemcachedCachingProviderIT {
  private MemcachedCluster cluster;
  private final MemcachedCachingProvider provider = new MemcachedCachingProvider();
  private final ClassLoader loader = getClass().getClassLoader();
  private String savedServers;

  @BeforeEach
  void setUp(MemcachedCluster cluster) {
    this.cluster = cluster;
    savedServers = System.getProperty("memjcache.servers");
  }

  @AfterEach
  void tearDown() {
    provider.close();
    if (savedServers == null) {
      System.clearProperty("memjcache.servers");
    } else {
      System.setProperty("memjcache.servers", savedServers);
    }
  }

  private URI serversUri() {
    return URI.create("memcached://" + cluster.serverList());
  }

  private static MutableConfiguration<String, String> strings() {
    return new MutableConfiguration<String, String>().setTypes(String.class, String.class);
  }

  private static String unique(String base) {
    return base + "-" + Long.toHexString(System.nanoTime());
  }

  private static Set<String> memjcacheThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.startsWith("memjcache"))
        .collect(Collectors.toSet());
  }

  private static Set<String> awaitNoMemjcacheThreads() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    Set<String> alive = memjcacheThreads();
    while (!alive.isEmpty() && System.nanoTime() - deadline < 0) {
      Thread.sleep(20);
      alive = memjcacheThreads();
    }
    return alive;
  }

  /** Uses a manager the way an application does: caches, an asynchronous listener, a loader. */
  private static void exercise(CacheManager manager, String cacheName) throws Exception {
    CountDownLatch created = new CountDownLatch(1);
    MutableConfiguration<String, String> config = strings()
        .addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
            FactoryBuilder.factoryOf(new CountingListener(created)), null, false, false))
        .setCacheLoaderFactory(FactoryBuilder.factoryOf(new UpperCaseLoader()))
        .setReadThrough(true);
    Cache<String, String> cache = manager.createCache(cacheName, config);
    cache.put("k", "v");
    assertEquals("v", cache.get("k"));
    assertTrue(created.await(10, TimeUnit.SECONDS), "the asynchronous listener was called");
    CompletionListenerFuture loaded = new CompletionListenerFuture();
    cache.loadAll(Set.of("a", "b"), true, loaded);
    loaded.get(10, TimeUnit.SECONDS);
    assertEquals("A", cache.get("a"));
  }

  /** Counts CREATED events down; the latch is static state of the test, not serialized. */
  static final class CountingListener implements CacheEntryCreatedListener<String, String>, Serializable {
    private static final long serialVersionUID = 1L;
    private final transient CountDownLatch latch;

    CountingListener(CountDownLatch latch) {
      this.latch = latch;
    }

    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      events.forEach(e -> latch.countDown());
    }
  }

  static final class UpperCaseLoader implements CacheLoader<String, String>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public String load(String key) {
      return key.toUpperCase(java.util.Locale.ROOT);
    }

    @Override
    public Map<String, String> loadAll(Iterable<? extends String> keys) {
      Map<String, String> result = new java.util.HashMap<>();
      keys.forEach(k -> result.put(k, load(k)));
      return result;
    }
  }

  @Test
  void close_afterManagersCachesListenersAndLoaders_leavesNoThreadAndProviderIsReusable() throws Exception {
    assertEquals(Set.of(), awaitNoMemjcacheThreads(), "threads left over from an earlier test");
    Properties named = new Properties();
    named.setProperty("memjcache.servers", cluster.serverList());
    CacheManager first = provider.getCacheManager(serversUri(), loader);
    CacheManager second = provider.getCacheManager(URI.create("urn:memjcache:second"), loader, named);
    exercise(first, unique("first"));
    exercise(second, unique("second"));
    assertFalse(memjcacheThreads().isEmpty(), "managers in use run memjcache threads");

    provider.close();

    assertTrue(first.isClosed());
    assertTrue(second.isClosed());
    assertEquals(Set.of(), awaitNoMemjcacheThreads(), "threads still running after the provider closed");

    CacheManager again = provider.getCacheManager(serversUri(), loader);
    assertNotSame(first, again);
    exercise(again, unique("again"));
    provider.close();
    assertEquals(Set.of(), awaitNoMemjcacheThreads(), "threads still running after the second close");
  }

  @Test
  void close_managerAlone_releasesItsThreadsWhileProviderStaysOpen() throws Exception {
    assertEquals(Set.of(), awaitNoMemjcacheThreads(), "threads left over from an earlier test");
    CacheManager manager = provider.getCacheManager(serversUri(), loader);
    exercise(manager, unique("alone"));
    manager.close();
    assertEquals(Set.of(), awaitNoMemjcacheThreads());
    exercise(provider.getCacheManager(serversUri(), loader), unique("next"));
  }

  @Test
  void getCacheManager_otherUriWithServersProperty_sharesDataWithMemcachedUriManager() {
    Properties named = new Properties();
    named.setProperty("memjcache.servers", cluster.serverList());
    CacheManager byName = provider.getCacheManager(URI.create("urn:memjcache:orders"), loader, named);
    CacheManager byServers = provider.getCacheManager(serversUri(), loader);
    String name = unique("orders");

    byName.createCache(name, strings()).put("k", "v");

    assertEquals("v", byServers.createCache(name, strings()).get("k"));
    assertEquals(named, byName.getProperties());
  }

  @Test
  void getCacheManager_nullUriWithServersSystemProperty_usesThoseServers() {
    System.setProperty("memjcache.servers", cluster.serverList());
    assertEquals(serversUri(), provider.getDefaultURI());
    CacheManager byDefault = provider.getCacheManager(null, loader);
    String name = unique("default");

    byDefault.createCache(name, strings()).put("k", "v");

    // A manager of another provider, naming the servers explicitly, sees the write.
    MemcachedCachingProvider other = new MemcachedCachingProvider();
    try {
      assertEquals("v", other.getCacheManager(serversUri(), loader).createCache(name, strings()).get("k"));
    } finally {
      other.close();
    }
  }

  @Test
  void getCacheManager_otherUriWithoutServersProperty_usesDefaultServers() {
    System.setProperty("memjcache.servers", cluster.serverList());
    CacheManager logical = provider.getCacheManager(URI.create("urn:memjcache:logical"), loader);
    String name = unique("logical");

    logical.createCache(name, strings()).put("k", "v");

    assertEquals("v", provider.getCacheManager(serversUri(), loader).createCache(name, strings()).get("k"));
  }

  @Test
  void getCacheManager_twoClassLoaders_areTwoManagersSharingTheData() {
    ClassLoader other = new java.net.URLClassLoader(new java.net.URL[0], loader);
    CacheManager here = provider.getCacheManager(serversUri(), loader);
    CacheManager there = provider.getCacheManager(serversUri(), other);
    assertNotSame(here, there);
    String name = unique("loaders");

    Cache<String, String> inHere = here.createCache(name, strings());
    Cache<String, String> inThere = there.createCache(name, strings());
    inHere.put("k", "v");

    assertEquals("v", inThere.get("k"));
    here.destroyCache(name);
    assertTrue(inHere.isClosed());
    assertFalse(inThere.isClosed(), "each manager has caches of its own");
  }
}
