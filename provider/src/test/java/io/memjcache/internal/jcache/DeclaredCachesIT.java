package io.memjcache.internal.jcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.config.MemcachedConfiguration;
import io.memjcache.config.SerializationFormat;
import io.memjcache.spi.MemcachedCachingProvider;
import io.memjcache.testing.MemcachedCluster;
import io.memjcache.testing.MemcachedTest;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CompleteConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Caches the configuration file declares under {@code "caches"} exist without anyone creating
 * them: JCache's {@code getCacheNames} lists them and {@code getCache} creates them on first use
 * with {@code Object} keys and values and the file's settings. Hibernate's
 * {@code missing_cache_strategy=fail} depends on this: it only ever calls {@code getCache}.
 * {@code destroyCache} drops a declared cache's data, but its declaration stays: the next
 * {@code getCache} gives a new, empty cache.
 */
@MemcachedTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeclaredCachesIT {
  @TempDir
  Path directory;

  private MemcachedCluster cluster;
  private final List<CacheManager> managers = new ArrayList<>();
  private String orders;
  private String sessions;
  private URI config;

  @BeforeEach
  void setUp(MemcachedCluster cluster) throws IOException {
    this.cluster = cluster;
    // Unique names: every test shares the one server, and destroyCache is visible to all clients.
    orders = Managers.uniqueName("orders");
    sessions = Managers.uniqueName("sessions");
    config = Files.writeString(directory.resolve("memjcache.json"), """
        {
          "servers": "%s",
          "defaults": {"generationRefresh": "PT0S"},
          "templates": {"app.*": {"statistics": true}},
          "caches": {
            "%s": {"statistics": true, "valueFormat": "java"},
            "%s": {}
          }
        }""".formatted(cluster.serverList(), orders, sessions)).toUri();
  }

  @AfterEach
  void tearDown() {
    managers.forEach(Managers::close);
  }

  /** A manager from a provider of its own; the file's generationRefresh of zero applies. */
  private CacheManager open() {
    Properties properties = new Properties();
    properties.setProperty("memjcache.operationTimeoutMillis", "5000");
    properties.setProperty("memjcache.connectTimeoutMillis", "5000");
    CacheManager manager = new MemcachedCachingProvider()
        .getCacheManager(config, DeclaredCachesIT.class.getClassLoader(), properties);
    managers.add(manager);
    return manager;
  }

  private static List<String> names(CacheManager manager) {
    List<String> names = new ArrayList<>();
    manager.getCacheNames().forEach(names::add);
    return names;
  }

  @Test
  void getCacheNames_declaredCachesNotCreated_listsThem() {
    CacheManager manager = open();
    assertEquals(List.of(orders, sessions), names(manager));
  }

  @Test
  void getCacheNames_createdAndDeclaredCaches_listsEachOnce() {
    CacheManager manager = open();
    manager.createCache("app.created", Managers.strings());
    manager.getCache(orders);
    List<String> names = names(manager);
    assertEquals(3, names.size(), names.toString());
    assertTrue(names.containsAll(List.of("app.created", orders, sessions)), names.toString());
  }

  @Test
  void getCache_declaredCache_createsItWithObjectTypesAndTheFileSettings() {
    CacheManager manager = open();
    Cache<Object, Object> cache = manager.getCache(orders);

    assertNotNull(cache);
    assertEquals(orders, cache.getName());
    assertSame(manager, cache.getCacheManager());
    @SuppressWarnings("unchecked")
    MemcachedConfiguration<Object, Object> configuration = cache.getConfiguration(MemcachedConfiguration.class);
    assertEquals(Object.class, configuration.getKeyType());
    assertEquals(Object.class, configuration.getValueType());
    assertTrue(configuration.isStatisticsEnabled(), "the file turns statistics on for " + orders);
    assertEquals(SerializationFormat.JAVA, configuration.getValueFormat().orElseThrow());
    assertSame(cache, manager.getCache(orders), "one instance per name");

    cache.put(42L, "forty-two");
    assertEquals("forty-two", cache.get(42L));
  }

  @Test
  void getCache_typedOnDeclaredCache_returnsTheObjectCache() {
    CacheManager manager = open();
    Cache<String, Long> typed = manager.getCache(sessions, String.class, Long.class);
    assertNotNull(typed);
    assertSame(typed, manager.getCache(sessions));
    assertEquals(Object.class, typed.getConfiguration(CompleteConfiguration.class).getKeyType());
  }

  @Test
  void getCache_nameOnlyMatchingATemplate_isNull() {
    CacheManager manager = open();
    assertNull(manager.getCache("app.undeclared"));
    assertNull(manager.getCache("app.undeclared", String.class, String.class));
    assertFalse(names(manager).contains("app.undeclared"));
  }

  @Test
  void getCache_declaredCacheInTwoManagers_sharesItsData() {
    CacheManager first = open();
    CacheManager second = open();
    first.getCache(orders).put("key", List.of(1, 2, 3));
    assertEquals(List.of(1, 2, 3), second.getCache(orders).get("key"));
  }

  @Test
  void createCache_declaredCacheBeforeGetCache_usesTheApplicationConfiguration() {
    CacheManager manager = open();
    Cache<String, String> cache = manager.createCache(sessions, Managers.strings());
    assertEquals(String.class, cache.getConfiguration(CompleteConfiguration.class).getKeyType());
    assertSame(cache, manager.getCache(sessions, String.class, String.class));
    assertThrows(CacheException.class, () -> manager.createCache(sessions, Managers.strings()));
  }

  @Test
  void createCache_declaredCacheAfterGetCache_throws() {
    CacheManager manager = open();
    manager.getCache(orders);
    assertThrows(CacheException.class, () -> manager.createCache(orders, Managers.strings()));
  }

  @Test
  void destroyCache_declaredCache_dropsItsDataAndGetCacheCreatesItAgainEmpty() {
    CacheManager manager = open();
    CacheManager other = open();
    Cache<Object, Object> before = manager.getCache(orders);
    before.put("key", "value");
    assertEquals("value", other.getCache(orders).get("key"));

    manager.destroyCache(orders);

    assertTrue(before.isClosed());
    assertTrue(names(manager).contains(orders), "the declaration stays");
    Cache<Object, Object> after = manager.getCache(orders);
    assertNotSame(before, after);
    assertFalse(after.isClosed());
    assertNull(after.get("key"));
    assertNull(other.getCache(orders).get("key"), "destroyCache drops the data for every client");
  }

  @Test
  void getCache_declaredCacheClosedByItsUser_createsItAgain() {
    CacheManager manager = open();
    Cache<Object, Object> before = manager.getCache(sessions);
    before.put("kept", "yes");
    before.close();
    Cache<Object, Object> after = manager.getCache(sessions);
    assertNotSame(before, after);
    assertEquals("yes", after.get("kept"), "closing a cache keeps its data");
  }

  @Test
  void getCache_closedManager_throwsIllegalState() {
    CacheManager manager = open();
    manager.close();
    assertThrows(IllegalStateException.class, () -> manager.getCache(orders));
    assertThrows(IllegalStateException.class, manager::getCacheNames);
  }
}
