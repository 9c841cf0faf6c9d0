package io.memjcache.internal.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.spi.MemcachedCachingProvider;
import io.memjcache.testing.MemcachedServer;
import io.memjcache.testing.MemcachedTest;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.integration.CacheWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What an application can pass that memcached or the spec refuses: null arguments, keys longer than
 * memcached's key limit, values larger than its item limit, values that cannot be serialized, calls
 * on a closed cache or manager, and bad manager settings. Each fails with the documented exception
 * and a message that says what is wrong, and leaves the cache as it was and its connection usable.
 */
@MemcachedTest(nodes = 1, maxItemSize = "1m")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BadInputIT {
  private static final int ITEM_LIMIT = 1024 * 1024;

  private MemcachedServer server;
  private MemcachedCachingProvider provider;
  private CacheManager manager;
  private String name;

  @BeforeEach
  void open(MemcachedServer server) {
    this.server = server;
    provider = new MemcachedCachingProvider();
    manager = PlantedData.manager(provider, server);
    name = "bad-input-" + Long.toHexString(System.nanoTime());
  }

  @AfterEach
  void close() {
    provider.close();
  }

  private Cache<String, String> strings() {
    return manager.createCache(name, new MutableConfiguration<String, String>().setTypes(String.class, String.class));
  }

  private Cache<String, Object> objects() {
    return manager.createCache(name, new MutableConfiguration<String, Object>().setTypes(String.class, Object.class));
  }

  private static <V> Map<String, V> contents(Cache<String, V> cache) {
    Map<String, V> all = new HashMap<>();
    for (Cache.Entry<String, V> entry : cache) {
      all.put(entry.getKey(), entry.getValue());
    }
    return all;
  }

  // ---------------------------------------------------------------- nulls

  @Test
  void nullArguments_everyOperation_throwNullPointerExceptionAndChangeNothing() {
    Cache<String, String> cache = strings();
    cache.put("a", "1");
    Set<String> withNull = new HashSet<>();
    withNull.add("b");
    withNull.add(null);
    Map<String, String> nullKey = new HashMap<>();
    nullKey.put("b", "2");
    nullKey.put(null, "3");
    Map<String, String> nullValue = new HashMap<>();
    nullValue.put("b", "2");
    nullValue.put("c", null);
    Map<String, Consumer<Cache<String, String>>> calls = new LinkedHashMap<>();
    calls.put("get(null)", c -> c.get(null));
    calls.put("getAll(null)", c -> c.getAll(null));
    calls.put("getAll({b, null})", c -> c.getAll(withNull));
    calls.put("containsKey(null)", c -> c.containsKey(null));
    calls.put("put(null, v)", c -> c.put(null, "x"));
    calls.put("put(k, null)", c -> c.put("b", null));
    calls.put("getAndPut(null, v)", c -> c.getAndPut(null, "x"));
    calls.put("getAndPut(k, null)", c -> c.getAndPut("a", null));
    calls.put("putAll(null)", c -> c.putAll(null));
    calls.put("putAll({b=2, null=3})", c -> c.putAll(nullKey));
    calls.put("putAll({b=2, c=null})", c -> c.putAll(nullValue));
    calls.put("putIfAbsent(null, v)", c -> c.putIfAbsent(null, "x"));
    calls.put("putIfAbsent(k, null)", c -> c.putIfAbsent("b", null));
    calls.put("remove(null)", c -> c.remove(null));
    calls.put("remove(null, v)", c -> c.remove(null, "1"));
    calls.put("remove(k, null)", c -> c.remove("a", null));
    calls.put("getAndRemove(null)", c -> c.getAndRemove(null));
    calls.put("replace(null, v)", c -> c.replace(null, "x"));
    calls.put("replace(k, null)", c -> c.replace("a", null));
    calls.put("replace(null, old, new)", c -> c.replace(null, "1", "x"));
    calls.put("replace(k, null, new)", c -> c.replace("a", null, "x"));
    calls.put("replace(k, old, null)", c -> c.replace("a", "1", null));
    calls.put("getAndReplace(null, v)", c -> c.getAndReplace(null, "x"));
    calls.put("getAndReplace(k, null)", c -> c.getAndReplace("a", null));
    calls.put("removeAll(null)", c -> c.removeAll(null));
    calls.put("removeAll({b, null})", c -> c.removeAll(withNull));
    calls.put("invoke(null, p)", c -> c.invoke(null, (entry, args) -> null));
    calls.put("invoke(k, null)", c -> c.invoke("a", null));
    calls.put("invokeAll(null, p)", c -> c.invokeAll(null, (entry, args) -> null));
    calls.put("invokeAll({b, null}, p)", c -> c.invokeAll(withNull, (entry, args) -> null));
    calls.put("invokeAll(keys, null)", c -> c.invokeAll(Set.of("a"), null));
    calls.put("loadAll(null, ...)", c -> c.loadAll(null, false, null));
    calls.put("loadAll({b, null}, ...)", c -> c.loadAll(withNull, false, null));
    calls.put("registerCacheEntryListener(null)", c -> c.registerCacheEntryListener(null));
    calls.put("deregisterCacheEntryListener(null)", c -> c.deregisterCacheEntryListener(null));
    calls.put("unwrap(null)", c -> c.unwrap(null));
    List<String> wrong = new ArrayList<>();
    for (Map.Entry<String, Consumer<Cache<String, String>>> call : calls.entrySet()) {
      try {
        call.getValue().accept(cache);
        wrong.add(call.getKey() + " returned normally");
      } catch (NullPointerException expected) {
        // as the spec says
      } catch (RuntimeException e) {
        wrong.add(call.getKey() + " threw " + e);
      }
    }
    assertEquals(List.of(), wrong, "operations that do not throw NullPointerException for a null argument");
    assertEquals(Map.of("a", "1"), contents(cache), "no partial effect: 'b' and 'c' must not have been stored");
    assertEquals("1", cache.get("a"));
  }

  // ---------------------------------------------------------------- long keys

  @Test
  void keysFarOverMemcachedsLimit_workThroughTheirHashedItemKey() {
    Cache<String, String> cache = strings();
    String[] keys = {"k".repeat(251), "x".repeat(10_000), "é".repeat(5_000), "y".repeat(60_000)};
    for (String key : keys) {
      cache.put(key, "value of " + key.length());
    }
    for (String key : keys) {
      assertEquals("value of " + key.length(), cache.get(key));
      assertTrue(cache.containsKey(key));
    }
    Map<String, String> all = contents(cache);
    assertEquals(keys.length, all.size(), "iteration returns every long key in full");
    for (String key : keys) {
      assertEquals("value of " + key.length(), all.get(key));
    }
    assertTrue(cache.replace(keys[1], "value of " + keys[1].length(), "replaced"));
    assertEquals("replaced", cache.getAndRemove(keys[1]));
    assertNull(cache.get(keys[1]));
    assertEquals("value of " + keys[0].length(), cache.get(keys[0]));
  }

  /**
   * A serialized key longer than a key-index record holds (64 KiB) cannot be listed for iteration;
   * such a write must be refused before anything is stored. Today the entry is sent first and the
   * index record is refused afterwards, so put throws yet stores the entry.
   */
  @Test
  void keyOverTheIndexRecordLimit_isRefusedBeforeAnythingIsStored() {
    Cache<String, String> cache = strings();
    String key = "y".repeat(100_000);
    Map<String, Runnable> writes = new LinkedHashMap<>();
    writes.put("put", () -> cache.put(key, "v"));
    writes.put("putIfAbsent", () -> cache.putIfAbsent(key, "v"));
    writes.put("putAll", () -> cache.putAll(Map.of(key, "v")));
    writes.put("getAndPut", () -> cache.getAndPut(key, "v"));
    for (Map.Entry<String, Runnable> write : writes.entrySet()) {
      assertThrows(RuntimeException.class, write.getValue()::run, write.getKey());
      assertFalse(cache.containsKey(key), write.getKey() + " threw but stored the entry");
    }
  }

  // ---------------------------------------------------------------- values over the item size

  /** Numbers in a message, to check that it states the size and the limit. */
  private static List<Long> numbers(String message) {
    List<Long> numbers = new ArrayList<>();
    Matcher m = Pattern.compile("\\d{4,}").matcher(message);
    while (m.find()) {
      numbers.add(Long.parseLong(m.group()));
    }
    return numbers;
  }

  /**
   * Every write of {@code huge} (too large for the server) over entry "k", valued "previous", or
   * creating "absent", by name.
   */
  private static Map<String, Runnable> oversizedWrites(Cache<String, String> cache, String huge) {
    Map<String, Runnable> writes = new LinkedHashMap<>();
    writes.put("put", () -> cache.put("k", huge));
    writes.put("getAndPut", () -> cache.getAndPut("k", huge));
    writes.put("replace", () -> cache.replace("k", huge));
    writes.put("replace(old)", () -> cache.replace("k", "previous", huge));
    writes.put("getAndReplace", () -> cache.getAndReplace("k", huge));
    writes.put("putIfAbsent (new key)", () -> cache.putIfAbsent("absent", huge));
    writes.put("putAll (one of two)", () -> cache.putAll(Map.of("k", huge, "absent", "small")));
    return writes;
  }

  @Test
  void valueOverTheItemSize_everyWrite_failsClearlyAndLeavesTheCacheAndConnectionAsTheyWere() {
    Cache<String, String> cache = strings();
    cache.put("k", "previous");
    cache.put("other", "unrelated");
    String huge = "v".repeat(ITEM_LIMIT + 10);
    Map<String, Runnable> writes = oversizedWrites(cache, huge);
    for (Map.Entry<String, Runnable> write : writes.entrySet()) {
      CacheException error = assertThrows(CacheException.class, write.getValue()::run, write.getKey());
      List<Long> numbers = numbers(error.getMessage());
      assertTrue(numbers.stream().anyMatch(n -> n > ITEM_LIMIT) && numbers.contains((long) ITEM_LIMIT),
          write.getKey() + ": the message must state the size and the limit: " + error.getMessage());
      assertEquals("previous", cache.get("k"), write.getKey() + " changed the entry");
      assertNull(cache.get("absent"), write.getKey() + " stored part of the batch");
      assertEquals("unrelated", cache.get("other"), "the connection serves the next operation");
    }
    CacheException inProcessor = assertThrows(CacheException.class, () -> cache.invoke("k", (entry, args) -> {
      entry.setValue(huge);
      return null;
    }));
    assertTrue(String.valueOf(inProcessor.getMessage()).contains(Integer.toString(ITEM_LIMIT))
        || String.valueOf(inProcessor.getCause()).contains(Integer.toString(ITEM_LIMIT)), inProcessor.toString());
    assertEquals("previous", cache.get("k"), "invoke changed the entry");
    assertEquals(Map.of("k", "previous", "other", "unrelated"), contents(cache));
  }

  /** A writer that records every key it is asked to write (kept in this JVM: the factory is a singleton). */
  static final class KeyRecordingWriter implements CacheWriter<String, String>, java.io.Serializable {
    private static final long serialVersionUID = 1L;
    final transient List<String> written = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void write(Cache.Entry<? extends String, ? extends String> entry) {
      written.add(entry.getKey());
    }

    @Override
    public void writeAll(java.util.Collection<Cache.Entry<? extends String, ? extends String>> entries) {
      for (Cache.Entry<? extends String, ? extends String> entry : entries) {
        written.add(entry.getKey());
      }
      entries.clear();
    }

    @Override
    public void delete(Object key) {}

    @Override
    public void deleteAll(java.util.Collection<?> keys) {
      keys.clear();
    }
  }

  /**
   * With write-through, a write the cache refuses for its size must not reach the CacheWriter
   * either: the system of record would hold the new value while the cache went on serving the old.
   */
  @Test
  void valueOrKeyTooLarge_withWriteThrough_neverReachesTheWriter() {
    KeyRecordingWriter writer = new KeyRecordingWriter();
    Cache<String, String> cache = manager.createCache(name, new MutableConfiguration<String, String>()
        .setTypes(String.class, String.class)
        .setCacheWriterFactory(FactoryBuilder.factoryOf(writer))
        .setWriteThrough(true));
    cache.put("k", "previous");
    writer.written.clear();
    String huge = "v".repeat(ITEM_LIMIT + 10);
    String longKey = "y".repeat(100_000);
    Map<String, Runnable> writes = oversizedWrites(cache, huge);
    writes.put("invoke, update", () -> cache.invoke("k", (entry, args) -> {
      entry.setValue(huge);
      return null;
    }));
    writes.put("invoke, create", () -> cache.invoke("absent", (entry, args) -> {
      entry.setValue(huge);
      return null;
    }));
    writes.put("put, long key", () -> cache.put(longKey, "v"));
    writes.put("putIfAbsent, long key", () -> cache.putIfAbsent(longKey, "v"));
    for (Map.Entry<String, Runnable> write : writes.entrySet()) {
      assertThrows(CacheException.class, write.getValue()::run, write.getKey());
      assertEquals(List.of(), writer.written, write.getKey() + " wrote through a value the cache refused");
      assertEquals("previous", cache.get("k"), write.getKey() + " changed the entry");
      assertNull(cache.get("absent"), write.getKey() + " stored part of the batch");
    }
    cache.put("k", "next");
    assertEquals(List.of("k"), writer.written, "a write the cache takes still goes through");
  }

  /**
   * The largest value the cache accepts really fits: memcached would refuse anything larger and, on
   * refusing a SET, also drop the item's old value. Checked for a short key, a key near the 250-byte
   * limit and a hashed key.
   */
  @Test
  void valueAtTheLargestAcceptedSize_isStoredAndOneByteMoreIsRefusedWithoutLosingIt() {
    Cache<String, String> cache = strings();
    for (String key : List.of("s", "m".repeat(200), "h".repeat(1_000))) {
      int low = ITEM_LIMIT - 4096;
      int high = ITEM_LIMIT;
      while (low < high) { // the largest accepted length
        int mid = (low + high + 1) >>> 1;
        try {
          cache.put(key, "v".repeat(mid));
          low = mid;
        } catch (CacheException e) {
          high = mid - 1;
        }
      }
      int accepted = low;
      String largest = "w".repeat(accepted);
      cache.put(key, largest);
      assertEquals(largest, cache.get(key), "the largest accepted value (" + accepted + " bytes) was really stored");
      assertThrows(CacheException.class, () -> cache.put(key, "z".repeat(accepted + 1)));
      assertEquals(largest, cache.get(key), "refusing one byte more kept the value");
      System.out.println("BAD INPUT largest value accepted for a key of " + key.length() + " chars: " + accepted
          + " bytes (item limit " + ITEM_LIMIT + ")");
    }
  }

  // ---------------------------------------------------------------- values that cannot be serialized

  /** Serializable on paper, but its state is not. */
  static final class HoldsAThread implements Serializable {
    private static final long serialVersionUID = 1L;
    @SuppressWarnings("unused")
    private final Object thread = new Object();
  }

  /** Serializable on paper, but its writeObject fails with a runtime exception. */
  static final class FailsToWrite implements Serializable {
    private static final long serialVersionUID = 1L;

    private void writeObject(ObjectOutputStream out) throws IOException {
      throw new IllegalStateException("cannot write me");
    }
  }

  @Test
  void valuesThatCannotBeSerialized_failClearlyAndLeaveTheCacheAsItWas() {
    Cache<String, Object> cache = objects();
    cache.put("k", "previous");
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("not Serializable", new Object());
    values.put("a field that is not Serializable", new HoldsAThread());
    values.put("a list holding something not Serializable", new ArrayList<>(List.of("a", new Object())));
    List<String> notCacheExceptions = new ArrayList<>();
    for (Map.Entry<String, Object> value : values.entrySet()) {
      CacheException error = assertThrows(CacheException.class, () -> cache.put("k", value.getValue()), value.getKey());
      assertTrue(error.getMessage().contains("serializ"), value.getKey() + ": " + error.getMessage());
      assertEquals("previous", cache.get("k"), value.getKey() + " changed the entry");
      assertThrows(CacheException.class, () -> cache.putIfAbsent("absent", value.getValue()));
      assertNull(cache.get("absent"));
    }
    RuntimeException failing = assertThrows(RuntimeException.class, () -> cache.put("k", new FailsToWrite()));
    if (!(failing instanceof CacheException)) {
      notCacheExceptions.add("writeObject throwing " + failing);
    }
    assertEquals("previous", cache.get("k"));
    assertEquals(Map.of("k", "previous"), contents(cache));
    System.out.println("BAD INPUT unserializable values: runtime failures not wrapped in CacheException: "
        + notCacheExceptions);
  }

  // ---------------------------------------------------------------- closed cache, closed manager

  private static Map<String, Consumer<Cache<String, String>>> everyOperation() {
    Map<String, Consumer<Cache<String, String>>> calls = new LinkedHashMap<>();
    calls.put("get", c -> c.get("a"));
    calls.put("getAll", c -> c.getAll(Set.of("a")));
    calls.put("containsKey", c -> c.containsKey("a"));
    calls.put("loadAll", c -> c.loadAll(Set.of("a"), false, null));
    calls.put("put", c -> c.put("a", "2"));
    calls.put("getAndPut", c -> c.getAndPut("a", "2"));
    calls.put("putAll", c -> c.putAll(Map.of("a", "2")));
    calls.put("putIfAbsent", c -> c.putIfAbsent("b", "2"));
    calls.put("remove", c -> c.remove("a"));
    calls.put("remove(k, v)", c -> c.remove("a", "1"));
    calls.put("getAndRemove", c -> c.getAndRemove("a"));
    calls.put("replace(k, old, new)", c -> c.replace("a", "1", "2"));
    calls.put("replace", c -> c.replace("a", "2"));
    calls.put("getAndReplace", c -> c.getAndReplace("a", "2"));
    calls.put("removeAll(keys)", c -> c.removeAll(Set.of("a")));
    calls.put("removeAll", Cache::removeAll);
    calls.put("clear", Cache::clear);
    calls.put("invoke", c -> c.invoke("a", (entry, args) -> null));
    calls.put("invokeAll", c -> c.invokeAll(Set.of("a"), (entry, args) -> null));
    calls.put("iterator", Cache::iterator);
    calls.put("registerCacheEntryListener", c -> c.registerCacheEntryListener(
        new MutableCacheEntryListenerConfiguration<String, String>(
            () -> (CacheEntryCreatedListener<String, String>) events -> { }, null, false, false)));
    return calls;
  }

  private static List<String> notIllegalState(Cache<String, String> cache) {
    List<String> wrong = new ArrayList<>();
    for (Map.Entry<String, Consumer<Cache<String, String>>> call : everyOperation().entrySet()) {
      try {
        call.getValue().accept(cache);
        wrong.add(call.getKey() + " returned normally");
      } catch (IllegalStateException expected) {
        // as the spec says
      } catch (RuntimeException e) {
        wrong.add(call.getKey() + " threw " + e);
      }
    }
    return wrong;
  }

  @Test
  void closedCache_everyOperation_throwsIllegalStateExceptionAndTheDataStays() {
    Cache<String, String> cache = strings();
    cache.put("a", "1");
    cache.close();
    assertTrue(cache.isClosed());
    assertEquals(List.of(), notIllegalState(cache));
    assertEquals(name, cache.getName(), "getName still answers");
    cache.close(); // idempotent
    Cache<String, String> again = manager.getCache(name, String.class, String.class);
    if (again != null) {
      assertEquals("1", again.get("a"), "closing a cache does not delete its data");
    }
  }

  @Test
  void closedManager_cachesAndManagerThrowIllegalStateException() {
    Cache<String, String> cache = strings();
    cache.put("a", "1");
    manager.close();
    assertTrue(manager.isClosed());
    assertTrue(cache.isClosed(), "closing the manager closes its caches");
    assertEquals(List.of(), notIllegalState(cache));
    MutableConfiguration<String, String> configuration = new MutableConfiguration<>();
    assertThrows(IllegalStateException.class, () -> manager.createCache("another", configuration));
    assertThrows(IllegalStateException.class, () -> manager.getCache(name));
    assertThrows(IllegalStateException.class, () -> manager.getCache(name, String.class, String.class));
    assertThrows(IllegalStateException.class, manager::getCacheNames);
    assertThrows(IllegalStateException.class, () -> manager.destroyCache(name));
    assertThrows(IllegalStateException.class, () -> manager.enableStatistics(name, true));
    assertThrows(IllegalStateException.class, () -> manager.enableManagement(name, true));
    manager.close(); // idempotent

    CacheManager reopened = PlantedData.manager(provider, server);
    assertFalse(reopened.isClosed(), "the provider hands out a new manager for the same URI");
    Cache<String, String> same = reopened.createCache(name,
        new MutableConfiguration<String, String>().setTypes(String.class, String.class));
    assertEquals("1", same.get("a"), "the data outlives the manager");
  }

  // ---------------------------------------------------------------- bad manager settings

  @Test
  void badManagerSettings_areRefusedWhenTheManagerIsCreatedWithTheirName() {
    Map<String, String[]> settings = new LinkedHashMap<>();
    settings.put("operation timeout not a number", new String[] {"memjcache.operationTimeoutMillis", "soon"});
    settings.put("negative operation timeout", new String[] {"memjcache.operationTimeoutMillis", "-5"});
    settings.put("zero connect timeout", new String[] {"memjcache.connectTimeoutMillis", "0"});
    settings.put("no in-flight requests allowed", new String[] {"memjcache.maxInFlight", "0"});
    settings.put("negative generation refresh", new String[] {"memjcache.generationRefreshMillis", "-1"});
    settings.put("server port out of range", new String[] {"memjcache.servers", "127.0.0.1:99999"});
    settings.put("server list without a server", new String[] {"memjcache.servers", " , "});
    List<String> unclear = new ArrayList<>();
    for (Map.Entry<String, String[]> setting : settings.entrySet()) {
      Properties properties = new Properties();
      properties.setProperty(setting.getValue()[0], setting.getValue()[1]);
      MemcachedCachingProvider own = new MemcachedCachingProvider();
      try {
        RuntimeException error = assertThrows(RuntimeException.class, () -> own.getCacheManager(
            URI.create("memcached://" + server.hostAndPort()), BadInputIT.class.getClassLoader(), properties),
            setting.getKey());
        if (!(error instanceof IllegalArgumentException || error instanceof CacheException)) {
          unclear.add(setting.getKey() + ": " + error);
        }
        String message = String.valueOf(error.getMessage()).toLowerCase(java.util.Locale.ROOT);
        String property = setting.getValue()[0].substring("memjcache.".length()).toLowerCase(java.util.Locale.ROOT)
            .replace("millis", ""); // "operationTimeout must be positive" names the setting well enough
        if (!message.contains(property) && !message.contains(setting.getValue()[1].trim())
            && !message.contains("server")) {
          unclear.add(setting.getKey() + ": message names neither the setting nor its value: " + error.getMessage());
        }
      } finally {
        own.close();
      }
    }
    assertEquals(List.of(), unclear);
  }
}
