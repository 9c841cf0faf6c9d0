package io.memjcache.internal.jcache;

import io.memjcache.async.AsyncCache;
import io.memjcache.internal.jcache.event.EventDispatcher;
import io.memjcache.internal.jcache.event.Events;
import io.memjcache.internal.jcache.management.CacheConfigurationBean;
import io.memjcache.internal.jcache.management.CacheStatistics;
import io.memjcache.internal.jcache.management.MBeans;
import io.memjcache.internal.jcache.store.ExpiryMath;
import io.memjcache.serialization.Serializer;
import io.memjcache.serialization.Serializers;
import io.memjcache.config.EncryptionSettings;
import io.memjcache.config.MemcachedConfiguration;
import io.memjcache.internal.config.CacheDefaults;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.Factory;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CompletionListener;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorResult;

/**
 * The JCache {@link Cache} over memcached. Each entry is one memcached item holding an envelope
 * (absolute expiry in milliseconds, the full serialized key, the serialized value); compound
 * operations read the item's CAS token and commit with a conditional write, retrying on conflict,
 * so they stay atomic across every client of the cluster. Listeners, statistics, the loader and
 * the writer work in the JVM that performs the operation.
 */
public final class MemcachedCache<K, V> implements Cache<K, V>, AsyncCache<K, V> {
  private static final System.Logger LOG = System.getLogger(MemcachedCache.class.getName());
  static final int MAX_ATTEMPTS = 1000;
  /** Sentinel for "the expiry policy leaves the expiry unchanged". */
  private static final long UNCHANGED = Long.MIN_VALUE;

  private final MemcachedCacheManager manager;
  private final String name;
  private final MemcachedConfiguration<K, V> configuration;
  private final Class<K> keyType;
  private final Class<V> valueType;
  private final Serializer<K> keySerializer;
  private final Serializer<V> valueSerializer;
  private final ExpiryRules expiry;
  private final boolean eternal;
  private final Integration<K, V> integration;
  private final EventDispatcher<K, V> dispatcher;
  private final CacheStatistics statistics = new CacheStatistics();
  private final CacheConfigurationBean configurationBean;
  private final EntryStore store;
  private final EntryCodec codec;
  private final ExecutorService loadExecutor;
  private final EntryProcessors<K, V> processors;
  private final AsyncReads<K, V> asyncReads;
  private volatile boolean closed;
  private static final long REJECTION_LOG_INTERVAL_NANOS = 60_000_000_000L;
  private volatile long lastRejectionLog;

  @SuppressWarnings("unchecked")
  MemcachedCache(MemcachedCacheManager manager, String name, MemcachedConfiguration<K, V> configuration,
      CacheDefaults defaults) {
    this.manager = manager;
    this.name = name;
    this.configuration = configuration;
    this.keyType = configuration.getKeyType();
    this.valueType = configuration.getValueType();
    ClassLoader classLoader = manager.getClassLoader();
    this.keySerializer = defaults.keySerializer(configuration, classLoader);
    this.valueSerializer = defaults.valueSerializer(configuration, classLoader);
    this.expiry = new ExpiryRules(create(configuration.getExpiryPolicyFactory(), "expiry policy"));
    this.eternal = expiry.eternal();
    this.integration = new Integration<>(configuration,
        configuration.getCacheLoaderFactory() == null ? null
            : (CacheLoader<K, V>) create(configuration.getCacheLoaderFactory(), "cache loader"),
        configuration.getCacheWriterFactory() == null ? null
            : (CacheWriter<K, V>) create(configuration.getCacheWriterFactory(), "cache writer"));
    this.dispatcher = new EventDispatcher<>(name);
    for (CacheEntryListenerConfiguration<K, V> listener : configuration.getCacheEntryListenerConfigurations()) {
      dispatcher.register(listener);
    }
    this.configurationBean = new CacheConfigurationBean(() -> this.configuration);
    EncryptionSettings encryption = configuration.getEncryption().orElse(null);
    this.codec = encryption == null
        ? new PlainEntryCodec(valueSerializer.formatId())
        : new EncryptedEntryCodec(manager.encryption(encryption).sealer(name), valueSerializer.formatId());
    long refreshMillis = configuration.getGenerationRefresh()
        .map(java.time.Duration::toMillis).orElse(manager.settings().generationRefreshMillis());
    this.store = new EntryStore(
        manager.client(configuration.getTls().orElse(null), configuration.getSasl().orElse(null)),
        name, manager.settings(), codec, refreshMillis);
    this.processors = new EntryProcessors<>(this, store);
    this.loadExecutor = Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "memjcache-loader-" + name);
      thread.setDaemon(true);
      return thread;
    });
    this.asyncReads = new AsyncReads<>(this, store, loadExecutor);
    if (configuration.isManagementEnabled()) {
      MBeans.register(MBeans.Kind.CONFIGURATION, manager.getURI(), name, configurationBean);
    }
    if (configuration.isStatisticsEnabled()) {
      MBeans.register(MBeans.Kind.STATISTICS, manager.getURI(), name, statistics);
    }
  }

  private static <T> T create(Factory<T> factory, String what) {
    try {
      return factory.create();
    } catch (RuntimeException e) {
      throw new CacheException("cannot create the " + what + " of the cache: " + e, e);
    }
  }

  // ================================================================ reads

  @Override
  public V get(K key) {
    requireOpen();
    requireKey(key);
    long start = System.nanoTime();
    Events<K, V> events = events();
    V value = getInternal(key, skey(key), events, true);
    events.dispatch();
    if (statisticsEnabled()) {
      statistics.recordGetTime(System.nanoTime() - start);
    }
    return value;
  }

  /** One read with access expiry, read-through and statistics; events go to {@code events}. */
  private V getInternal(K key, byte[] skey, Events<K, V> events, boolean countStatistics) {
    Slot slot = decoded(store.read(skey), true);
    long now = now();
    if (slot.present(now)) {
      if (countStatistics && statisticsEnabled()) {
        statistics.recordHits(1);
      }
      V value = decode(slot);
      applyAccessExpiry(slot, now);
      return value;
    }
    if (slot.expired(now)) {
      expire(key, slot, events);
    }
    if (countStatistics && statisticsEnabled()) {
      statistics.recordMisses(1);
    }
    if (!integration.readsThrough()) {
      return null;
    }
    V loaded = integration.load(key);
    if (loaded == null) {
      return null;
    }
    storeLoaded(key, skey, loaded, events);
    return loaded;
  }

  @Override
  @SuppressWarnings("unchecked")
  public Map<K, V> getAll(Set<? extends K> keys) {
    requireOpen();
    Objects.requireNonNull(keys, "keys");
    long start = System.nanoTime();
    Object[] array = keys.toArray(); // one pass over the caller's set
    byte[][] skeys = serializeKeys(array);
    Slot[] slots = store.readAll(skeys);
    for (int i = 0; i < slots.length; i++) {
      slots[i] = decoded(slots[i], true);
    }
    long now = now();
    Events<K, V> events = events();
    Map<K, V> result = new HashMap<>((int) (slots.length / 0.75f) + 1);
    List<K> missing = new ArrayList<>();
    for (int i = 0; i < slots.length; i++) {
      Slot slot = slots[i];
      K key = (K) array[i];
      if (slot.present(now)) {
        result.put(key, decode(slot));
        applyAccessExpiry(slot, now);
      } else {
        if (slot.expired(now)) {
          expire(key, slot, events);
        }
        missing.add(key);
      }
    }
    if (statisticsEnabled()) {
      statistics.recordHits(result.size());
      statistics.recordMisses(missing.size());
    }
    if (!missing.isEmpty() && integration.readsThrough()) {
      Map<K, V> loaded = integration.loadAll(missing);
      for (Map.Entry<K, V> entry : loaded.entrySet()) {
        if (entry.getKey() != null && entry.getValue() != null) {
          storeLoaded(entry.getKey(), skey(entry.getKey()), entry.getValue(), events);
          result.put(entry.getKey(), entry.getValue());
        }
      }
    }
    events.dispatch();
    if (statisticsEnabled()) {
      statistics.recordGetTime(System.nanoTime() - start);
    }
    return result;
  }

  // ================================================================ asynchronous reads (AsyncCache)

  @Override
  public CompletionStage<V> getAsync(K key) {
    requireOpen();
    requireKey(key);
    return asyncReads.get(key);
  }

  @Override
  public CompletionStage<Map<K, V>> getAllAsync(Set<? extends K> keys) {
    requireOpen();
    Objects.requireNonNull(keys, "keys");
    return asyncReads.getAll(keys);
  }

  /**
   * Whether a read completes without waiting for anything but its answer (hits are decoded on the
   * I/O thread): no read-through, and no expiry change on access (a write that would wait).
   */
  boolean readsOnly() {
    return !integration.readsThrough() && expiry.accessChangesNothing();
  }

  @Override
  public boolean containsKey(K key) {
    requireOpen();
    requireKey(key);
    Slot slot = read(skey(key));
    long now = now();
    if (slot.expired(now)) {
      Events<K, V> events = events();
      expire(key, slot, events);
      events.dispatch();
    }
    return slot.present(now);
  }

  @Override
  public void loadAll(Set<? extends K> keys, boolean replaceExistingValues, CompletionListener completionListener) {
    requireOpen();
    Objects.requireNonNull(keys, "keys");
    for (K key : keys) {
      if (key == null) {
        throw new NullPointerException("keys contains null");
      }
    }
    CompletionListener listener = completionListener == null ? NO_COMPLETION : completionListener;
    if (integration.loader() == null) {
      listener.onCompletion();
      return;
    }
    loadExecutor.submit(() -> {
      try {
        List<K> toLoad = new ArrayList<>();
        if (replaceExistingValues) {
          toLoad.addAll(keys);
        } else {
          List<K> list = new ArrayList<>(keys);
          Slot[] slots = readAll(serializeKeys(list));
          long now = now();
          for (int i = 0; i < slots.length; i++) {
            if (!slots[i].present(now)) {
              toLoad.add(list.get(i));
            }
          }
        }
        if (!toLoad.isEmpty()) {
          Map<K, V> loaded = integration.loadAll(toLoad);
          Events<K, V> events = events();
          for (Map.Entry<K, V> entry : loaded.entrySet()) {
            if (entry.getKey() != null && entry.getValue() != null) {
              if (replaceExistingValues) {
                putLoaded(entry.getKey(), entry.getValue(), events);
              } else {
                storeLoaded(entry.getKey(), skey(entry.getKey()), entry.getValue(), events);
              }
            }
          }
          events.dispatch();
        }
        listener.onCompletion();
      } catch (Exception e) {
        listener.onException(e instanceof CacheLoaderException ? e : new CacheLoaderException(e));
      }
    });
  }

  private static final CompletionListener NO_COMPLETION = new CompletionListener() {
    @Override
    public void onCompletion() {}

    @Override
    public void onException(Exception e) {}
  };

  // ================================================================ writes

  @Override
  public void put(K key, V value) {
    requireOpen();
    requireKey(key);
    requireValue(value);
    long start = System.nanoTime();
    byte[] skey = skey(key);
    byte[] svalue = svalue(value);
    writeThrough(key, value, skey, svalue);
    if (eternal && !dispatcher.hasListeners()) {
      store.put(skey, svalue, Long.MAX_VALUE);
      if (statisticsEnabled()) {
        statistics.recordPuts(1);
      }
    } else {
      Events<K, V> events = events();
      if (putWithPolicy(key, value, skey, svalue, events) && statisticsEnabled()) {
        statistics.recordPuts(1);
      }
      events.dispatch();
    }
    if (statisticsEnabled()) {
      statistics.recordPutTime(System.nanoTime() - start);
    }
  }

  /**
   * Writes a value, choosing creation or update expiry by what is there now, and records the
   * CREATED or UPDATED event. Returns whether the value was stored (creation expiry ZERO stores
   * nothing).
   */
  private boolean putWithPolicy(K key, V value, byte[] skey, byte[] svalue, Events<K, V> events) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Slot slot = read(skey);
      long now = now();
      if (slot.present(now)) {
        long expiresAt = updateExpiry(slot.expiresAt, now);
        V old = dispatcher.needsOldValue() ? decode(slot) : null;
        if (!commitUpdate(slot, svalue, expiresAt, now)) {
          continue;
        }
        events.updated(key, old, value);
        return true;
      }
      long expiresAt = creationExpiry(now);
      if (expiresAt <= now) {
        return false;
      }
      if (store.write(slot, svalue, expiresAt)) {
        events.created(key, value);
        return true;
      }
    }
    throw conflict(key);
  }

  /** Writes {@code svalue} over a present entry; an already-expired new expiry removes it. */
  boolean commitUpdate(Slot slot, byte[] svalue, long expiresAt, long now) {
    return commitUpdateCas(slot, svalue, expiresAt, now) != 0;
  }

  /**
   * {@link #commitUpdate}, returning the CAS of the item written, {@link EntryStore#DELETED} when
   * the update's expiry removed it, or 0 on a conflict.
   */
  long commitUpdateCas(Slot slot, byte[] svalue, long expiresAt, long now) {
    if (expiresAt <= now) {
      return store.delete(slot) ? EntryStore.DELETED : 0;
    }
    return store.writeCas(slot, svalue, expiresAt);
  }

  @Override
  public V getAndPut(K key, V value) {
    requireOpen();
    requireKey(key);
    requireValue(value);
    long start = System.nanoTime();
    byte[] skey = skey(key);
    byte[] svalue = svalue(value);
    writeThrough(key, value, skey, svalue);
    Events<K, V> events = events();
    V result = null;
    boolean stored = false;
    boolean hit = false;
    for (int attempt = 0; ; attempt++) {
      if (attempt == MAX_ATTEMPTS) {
        throw conflict(key);
      }
      Slot slot = read(skey);
      long now = now();
      if (slot.present(now)) {
        V old = decode(slot);
        if (!commitUpdate(slot, svalue, updateExpiry(slot.expiresAt, now), now)) {
          continue;
        }
        events.updated(key, old, value);
        result = old;
        stored = true;
        hit = true;
        break;
      }
      long expiresAt = creationExpiry(now);
      if (expiresAt <= now) {
        break;
      }
      if (store.write(slot, svalue, expiresAt)) {
        events.created(key, value);
        stored = true;
        break;
      }
    }
    events.dispatch();
    if (statisticsEnabled()) {
      if (hit) {
        statistics.recordHits(1);
      } else {
        statistics.recordMisses(1);
      }
      if (stored) {
        statistics.recordPuts(1);
      }
      long elapsed = System.nanoTime() - start;
      statistics.recordGetTime(elapsed);
      statistics.recordPutTime(elapsed);
    }
    return result;
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> map) {
    requireOpen();
    Objects.requireNonNull(map, "map");
    long start = System.nanoTime();
    Map<K, V> copy = new LinkedHashMap<>();
    for (Map.Entry<? extends K, ? extends V> entry : map.entrySet()) {
      requireKey(entry.getKey());
      requireValue(entry.getValue());
      copy.put(entry.getKey(), entry.getValue());
    }
    // serialize everything before anything is written, so a bad value changes nothing
    List<K> keys = new ArrayList<>(copy.keySet());
    byte[][] skeys = serializeKeys(keys);
    byte[][] svalues = new byte[keys.size()][];
    for (int i = 0; i < keys.size(); i++) {
      svalues[i] = svalue(copy.get(keys.get(i)));
    }
    if (integration.writesThrough()) {
      for (int i = 0; i < keys.size(); i++) {
        store.checkWritable(skeys[i], svalues[i]); // nothing reaches the writer that the cache refuses
      }
    }
    Integration.Outcome<K> written = integration.writeAll(keys, copy);
    Set<K> notWritten = written.failed();
    if (eternal && !dispatcher.hasListeners()) {
      int n = 0;
      byte[][] k2 = new byte[keys.size()][];
      byte[][] v2 = new byte[keys.size()][];
      for (int i = 0; i < keys.size(); i++) {
        if (!notWritten.contains(keys.get(i))) {
          k2[n] = skeys[i];
          v2[n] = svalues[i];
          n++;
        }
      }
      store.putAll(Arrays.copyOf(k2, n), Arrays.copyOf(v2, n), Long.MAX_VALUE);
      if (statisticsEnabled()) {
        statistics.recordPuts(n);
      }
    } else {
      Events<K, V> events = events();
      int puts = 0;
      for (int i = 0; i < keys.size(); i++) {
        K key = keys.get(i);
        if (!notWritten.contains(key) && putWithPolicy(key, copy.get(key), skeys[i], svalues[i], events)) {
          puts++;
        }
      }
      events.dispatch();
      if (statisticsEnabled()) {
        statistics.recordPuts(puts);
      }
    }
    if (statisticsEnabled()) {
      statistics.recordPutTime(System.nanoTime() - start);
    }
    written.rethrow();
  }

  @Override
  public boolean putIfAbsent(K key, V value) {
    requireOpen();
    requireKey(key);
    requireValue(value);
    long start = System.nanoTime();
    byte[] skey = skey(key);
    byte[] svalue = svalue(value);
    Events<K, V> events = events();
    boolean stored = false;
    boolean hit = false;
    for (int attempt = 0; ; attempt++) {
      if (attempt == MAX_ATTEMPTS) {
        throw conflict(key);
      }
      Slot slot = read(skey);
      long now = now();
      if (slot.present(now)) {
        hit = true;
        break;
      }
      long expiresAt = creationExpiry(now);
      if (expiresAt <= now) {
        writeThrough(key, value, skey, svalue); // the creation expiry ZERO keeps it out of the cache
        stored = true;
        break;
      }
      long cas = store.writeCas(slot, svalue, expiresAt);
      if (cas != 0) {
        throughCommitted(key, value, slot, cas);
        events.created(key, value);
        stored = true;
        break;
      }
    }
    events.dispatch();
    if (statisticsEnabled()) {
      if (hit) {
        statistics.recordHits(1);
      } else {
        statistics.recordMisses(1);
        statistics.recordPuts(1);
      }
      statistics.recordPutTime(System.nanoTime() - start);
    }
    return stored;
  }

  @Override
  public boolean remove(K key) {
    requireOpen();
    requireKey(key);
    long start = System.nanoTime();
    byte[] skey = skey(key);
    deleteThrough(key);
    Events<K, V> events = events();
    boolean removed = false;
    for (int attempt = 0; ; attempt++) {
      if (attempt == MAX_ATTEMPTS) {
        throw conflict(key);
      }
      Slot slot = read(skey);
      long now = now();
      if (!slot.present(now)) {
        if (slot.cas != 0 && !store.delete(slot)) {
          continue;
        }
        break;
      }
      V old = dispatcher.needsOldValue() ? decode(slot) : null;
      if (store.delete(slot)) {
        events.removed(key, old);
        removed = true;
        break;
      }
    }
    events.dispatch();
    if (statisticsEnabled()) {
      if (removed) {
        statistics.recordRemovals(1);
      }
      statistics.recordRemoveTime(System.nanoTime() - start);
    }
    return removed;
  }

  @Override
  public boolean remove(K key, V oldValue) {
    requireOpen();
    requireKey(key);
    requireValue(oldValue);
    long start = System.nanoTime();
    byte[] skey = skey(key);
    Events<K, V> events = events();
    boolean removed = false;
    boolean hit = false;
    for (int attempt = 0; ; attempt++) {
      if (attempt == MAX_ATTEMPTS) {
        throw conflict(key);
      }
      Slot slot = read(skey);
      long now = now();
      if (!slot.present(now)) {
        if (slot.expired(now)) {
          expire(key, slot, events);
        }
        break;
      }
      hit = true;
      V current = decode(slot);
      if (!current.equals(oldValue)) {
        applyAccessExpiry(slot, now);
        break;
      }
      if (store.delete(slot)) {
        throughCommitted(key, null, slot, EntryStore.DELETED);
        events.removed(key, current);
        removed = true;
        break;
      }
    }
    events.dispatch();
    if (statisticsEnabled()) {
      if (hit) {
        statistics.recordHits(1);
      } else {
        statistics.recordMisses(1);
      }
      if (removed) {
        statistics.recordRemovals(1);
      }
      statistics.recordRemoveTime(System.nanoTime() - start);
    }
    return removed;
  }

  @Override
  public V getAndRemove(K key) {
    requireOpen();
    requireKey(key);
    long start = System.nanoTime();
    byte[] skey = skey(key);
    deleteThrough(key);
    Events<K, V> events = events();
    V result = null;
    for (int attempt = 0; ; attempt++) {
      if (attempt == MAX_ATTEMPTS) {
        throw conflict(key);
      }
      Slot slot = read(skey);
      long now = now();
      if (!slot.present(now)) {
        if (slot.cas != 0 && !store.delete(slot)) {
          continue;
        }
        break;
      }
      V old = decode(slot);
      if (store.delete(slot)) {
        events.removed(key, old);
        result = old;
        break;
      }
    }
    events.dispatch();
    if (statisticsEnabled()) {
      if (result != null) {
        statistics.recordHits(1);
        statistics.recordRemovals(1);
      } else {
        statistics.recordMisses(1);
      }
      long elapsed = System.nanoTime() - start;
      statistics.recordGetTime(elapsed);
      statistics.recordRemoveTime(elapsed);
    }
    return result;
  }

  @Override
  public boolean replace(K key, V oldValue, V newValue) {
    requireOpen();
    requireKey(key);
    requireValue(oldValue);
    requireValue(newValue);
    long start = System.nanoTime();
    byte[] skey = skey(key);
    byte[] svalue = svalue(newValue);
    Events<K, V> events = events();
    boolean replaced = false;
    boolean hit = false;
    for (int attempt = 0; ; attempt++) {
      if (attempt == MAX_ATTEMPTS) {
        throw conflict(key);
      }
      Slot slot = read(skey);
      long now = now();
      if (!slot.present(now)) {
        if (slot.expired(now)) {
          expire(key, slot, events);
        }
        break;
      }
      hit = true;
      V current = decode(slot);
      if (!current.equals(oldValue)) {
        applyAccessExpiry(slot, now);
        break;
      }
      long cas = commitUpdateCas(slot, svalue, updateExpiry(slot.expiresAt, now), now);
      if (cas != 0) {
        throughCommitted(key, newValue, slot, cas);
        events.updated(key, current, newValue);
        replaced = true;
        break;
      }
    }
    events.dispatch();
    if (statisticsEnabled()) {
      if (hit) {
        statistics.recordHits(1);
      } else {
        statistics.recordMisses(1);
      }
      if (replaced) {
        statistics.recordPuts(1);
      }
      statistics.recordPutTime(System.nanoTime() - start);
    }
    return replaced;
  }

  @Override
  public boolean replace(K key, V value) {
    return getAndReplaceInternal(key, value) != null;
  }

  @Override
  public V getAndReplace(K key, V value) {
    return getAndReplaceInternal(key, value);
  }

  private V getAndReplaceInternal(K key, V value) {
    requireOpen();
    requireKey(key);
    requireValue(value);
    long start = System.nanoTime();
    byte[] skey = skey(key);
    byte[] svalue = svalue(value);
    Events<K, V> events = events();
    V result = null;
    for (int attempt = 0; ; attempt++) {
      if (attempt == MAX_ATTEMPTS) {
        throw conflict(key);
      }
      Slot slot = read(skey);
      long now = now();
      if (!slot.present(now)) {
        if (slot.expired(now)) {
          expire(key, slot, events);
        }
        break;
      }
      V current = decode(slot);
      long cas = commitUpdateCas(slot, svalue, updateExpiry(slot.expiresAt, now), now);
      if (cas != 0) {
        throughCommitted(key, value, slot, cas);
        events.updated(key, current, value);
        result = current;
        break;
      }
    }
    events.dispatch();
    if (statisticsEnabled()) {
      if (result != null) {
        statistics.recordHits(1);
        statistics.recordPuts(1);
      } else {
        statistics.recordMisses(1);
      }
      long elapsed = System.nanoTime() - start;
      statistics.recordGetTime(elapsed);
      statistics.recordPutTime(elapsed);
    }
    return result;
  }

  @Override
  public void removeAll(Set<? extends K> keys) {
    requireOpen();
    requireKeys(keys);
    removeAllInternal(new ArrayList<>(keys));
  }

  @Override
  public void removeAll() {
    requireOpen();
    // only entries present now are removed (and written through); the index may list stale keys
    List<byte[]> indexed = store.indexedIds();
    Slot[] slots = readIndexed(indexed.toArray(new byte[0][]));
    long now = now();
    List<K> keys = new ArrayList<>();
    int undecodable = 0;
    for (Slot slot : slots) {
      if (slot.present(now)) {
        K key = decodeKey(slot.serializedKey);
        if (key != null) {
          keys.add(key);
        } else if (store.delete(slot)) {
          // a key this JVM may not decode (a class outside the deserialization allow-list, or a
          // foreign format) still names an entry of this cache: removeAll removes it, without
          // events or write-through, which need the key
          undecodable++;
        }
      }
    }
    if (undecodable > 0) {
      LOG.log(System.Logger.Level.WARNING, "removeAll() in cache '" + name + "' removed " + undecodable
          + " entries whose keys could not be decoded, without events or write-through; allow the key class"
          + " for Java deserialization to get them");
      if (statisticsEnabled()) {
        statistics.recordRemovals(undecodable);
      }
    }
    removeAllInternal(keys);
  }

  private void removeAllInternal(List<K> keys) {
    long start = System.nanoTime();
    Integration.Outcome<K> deleted = integration.deleteAll(keys);
    Set<K> notDeleted = deleted.failed();
    Events<K, V> events = events();
    int removed = 0;
    List<K> toRemove = new ArrayList<>();
    for (K key : keys) {
      if (!notDeleted.contains(key)) {
        toRemove.add(key);
      }
    }
    byte[][] skeys = serializeKeys(toRemove);
    Slot[] slots = readAll(skeys);
    for (int i = 0; i < slots.length; i++) {
      Slot slot = slots[i];
      K key = toRemove.get(i);
      for (int attempt = 0; ; attempt++) {
        if (attempt == MAX_ATTEMPTS) {
          throw conflict(key);
        }
        long now = now();
        if (!slot.present(now)) {
          if (slot.cas != 0) {
            store.delete(slot);
          }
          break;
        }
        V old = dispatcher.needsOldValue() ? decode(slot) : null;
        if (store.delete(slot)) {
          events.removed(key, old);
          removed++;
          break;
        }
        slot = read(skeys[i]);
      }
    }
    events.dispatch();
    if (statisticsEnabled()) {
      statistics.recordRemovals(removed);
      statistics.recordRemoveTime(System.nanoTime() - start);
    }
    deleted.rethrow();
  }

  @Override
  public void clear() {
    requireOpen();
    store.clear();
  }

  // ================================================================ entry processors

  @Override
  public <T> T invoke(K key, EntryProcessor<K, V, T> entryProcessor, Object... arguments) {
    requireOpen();
    requireKey(key);
    Objects.requireNonNull(entryProcessor, "entryProcessor");
    return processors.invoke(key, entryProcessor, arguments);
  }

  @Override
  public <T> Map<K, EntryProcessorResult<T>> invokeAll(Set<? extends K> keys, EntryProcessor<K, V, T> entryProcessor,
      Object... arguments) {
    requireOpen();
    requireKeys(keys);
    Objects.requireNonNull(entryProcessor, "entryProcessor");
    return processors.invokeAll(keys, entryProcessor, arguments);
  }

  // ================================================================ iteration

  @Override
  public Iterator<Entry<K, V>> iterator() {
    requireOpen();
    return new EntryIterator<>(this, store.indexedIds());
  }

  // ================================================================ configuration, lifecycle

  @Override
  public <C extends Configuration<K, V>> C getConfiguration(Class<C> clazz) {
    if (clazz.isInstance(configuration)) {
      return clazz.cast(configuration);
    }
    throw new IllegalArgumentException("the configuration of cache '" + name + "' is not a " + clazz.getName());
  }

  @Override
  public void registerCacheEntryListener(CacheEntryListenerConfiguration<K, V> listenerConfiguration) {
    requireOpen();
    Objects.requireNonNull(listenerConfiguration, "cacheEntryListenerConfiguration");
    dispatcher.register(listenerConfiguration);
    configuration.addCacheEntryListenerConfiguration(listenerConfiguration);
  }

  @Override
  public void deregisterCacheEntryListener(CacheEntryListenerConfiguration<K, V> listenerConfiguration) {
    requireOpen();
    Objects.requireNonNull(listenerConfiguration, "cacheEntryListenerConfiguration");
    dispatcher.deregister(listenerConfiguration);
    configuration.removeCacheEntryListenerConfiguration(listenerConfiguration);
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public CacheManager getCacheManager() {
    return manager;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    shutdown();
    manager.closed(this);
  }

  /**
   * destroyCache: close, then drop the data for every client. Closing first stops this cache's
   * operations before the data goes, and lets a loader or writer that it closes finish closing
   * (a connection it ends, for example) during the round trip that drops the data, rather than
   * after destroyCache has returned.
   */
  void destroy() {
    shutdown();
    store.destroy();
  }

  private synchronized void shutdown() {
    if (closed) {
      return;
    }
    closed = true;
    MBeans.unregister(MBeans.Kind.CONFIGURATION, manager.getURI(), name, configurationBean);
    MBeans.unregister(MBeans.Kind.STATISTICS, manager.getURI(), name, statistics);
    loadExecutor.shutdownNow();
    dispatcher.close();
    integration.close();
    Integration.closeQuietly(expiry.policy());
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    if (clazz.isAssignableFrom(getClass())) {
      return clazz.cast(this);
    }
    throw new IllegalArgumentException("cannot unwrap " + getClass().getName() + " to " + clazz.getName());
  }

  void setStatisticsEnabled(boolean enabled) {
    configuration.setStatisticsEnabled(enabled);
    if (enabled) {
      MBeans.register(MBeans.Kind.STATISTICS, manager.getURI(), name, statistics);
    } else {
      MBeans.unregister(MBeans.Kind.STATISTICS, manager.getURI(), name, statistics);
    }
  }

  void setManagementEnabled(boolean enabled) {
    configuration.setManagementEnabled(enabled);
    if (enabled) {
      MBeans.register(MBeans.Kind.CONFIGURATION, manager.getURI(), name, configurationBean);
    } else {
      MBeans.unregister(MBeans.Kind.CONFIGURATION, manager.getURI(), name, configurationBean);
    }
  }

  /** Values read from memcached and refused (corrupt, foreign, failed authentication, undecodable). */
  long rejectedValues() {
    return store.rejectedCount();
  }

  CacheStatistics statistics() {
    return statistics;
  }

  @Override
  public String toString() {
    return "MemcachedCache{" + name + "}";
  }

  // ================================================================ helpers

  /** A batch for the events of one operation, dispatched by the caller when it completes. */
  Events<K, V> events() {
    return dispatcher.batch(this);
  }

  /** The loader entry processors may call, or null without read-through. */
  CacheLoader<K, V> readThroughLoader() {
    return configuration.isReadThrough() ? integration.loader() : null;
  }

  boolean statisticsEnabled() {
    return configuration.isStatisticsEnabled();
  }

  void requireOpen() {
    if (closed) {
      throw new IllegalStateException("cache '" + name + "' is closed");
    }
  }

  private void requireKey(K key) {
    Objects.requireNonNull(key, "key");
    if (keyType != Object.class && !keyType.isInstance(key)) {
      throw new ClassCastException("key of type " + key.getClass().getName() + " is not a " + keyType.getName());
    }
  }

  private void requireValue(V value) {
    Objects.requireNonNull(value, "value");
    if (valueType != Object.class && !valueType.isInstance(value)) {
      throw new ClassCastException("value of type " + value.getClass().getName() + " is not a " + valueType.getName());
    }
  }

  private void requireKeys(Set<? extends K> keys) {
    Objects.requireNonNull(keys, "keys");
    for (K key : keys) {
      if (key == null) {
        throw new NullPointerException("keys contains null");
      }
    }
  }

  byte[] skey(K key) {
    return keySerializer.serialize(key);
  }

  /** The serialized keys of a caller's key set (as an array), refusing null keys. */
  @SuppressWarnings("unchecked")
  byte[][] serializeKeys(Object[] keys) {
    byte[][] result = new byte[keys.length][];
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] == null) {
        throw new NullPointerException("keys contains null");
      }
      result[i] = skey((K) keys[i]);
    }
    return result;
  }

  private byte[][] serializeKeys(List<K> keys) {
    return serializeKeys(keys.toArray());
  }

  byte[] svalue(V value) {
    return valueSerializer.serialize(value);
  }

  @SuppressWarnings("unchecked")
  V decode(Slot slot) {
    return (V) slot.decoded;
  }

  /**
   * Reads an entry and deserializes its value. A value that cannot be deserialized (garbage, a
   * class outside the allowed set, another writer's format) is treated as a miss and counted:
   * nothing read from memcached is trusted.
   */
  Slot read(byte[] skey) {
    return decoded(store.read(skey));
  }

  Slot[] readIndexed(byte[][] ids) {
    return decodedAll(store.readIndexed(ids));
  }

  private Slot[] readAll(byte[][] skeys) {
    return decodedAll(store.readAll(skeys));
  }

  private Slot[] decodedAll(Slot[] slots) {
    for (int i = 0; i < slots.length; i++) {
      slots[i] = decoded(slots[i]);
    }
    return slots;
  }

  private Slot decoded(Slot slot) {
    return decoded(slot, false);
  }

  /**
   * Deserializes a slot's value. With {@code handOff}, a {@code byte[]} value of the built-in
   * serializer is the slot's own array rather than a copy: for get and getAll, whose slots are
   * dropped before the value reaches the caller (the array is fresh from the response and nothing
   * else refers to it, so the caller may change it freely). Paths that run user code on a value
   * and then use the slot's bytes again (entry processors, conditional writes) take a copy.
   */
  Slot decoded(Slot slot, boolean handOff) {
    if (slot.value == null) {
      return slot;
    }
    try {
      slot.decoded = handOff && valueSerializer == Serializers.bytes()
          ? slot.value
          : valueSerializer.deserialize(slot.value);
      return slot;
    } catch (RuntimeException e) {
      store.recordRejected();
      long now = System.nanoTime();
      if (now - lastRejectionLog > REJECTION_LOG_INTERVAL_NANOS || lastRejectionLog == 0) {
        lastRejectionLog = now; // at most one line per interval: planted data must not flood the log
        LOG.log(System.Logger.Level.WARNING, "ignoring undecodable values in cache '" + name + "' ("
            + e.getClass().getSimpleName() + "); " + store.rejectedCount() + " rejected so far");
      }
      return slot.withoutValue();
    }
  }

  K decodeKey(byte[] skey) {
    try {
      return keySerializer.deserialize(skey);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.DEBUG, "skipping an undecodable key in cache " + name);
      return null;
    }
  }

  static long now() {
    return System.currentTimeMillis();
  }

  CacheException conflict(K key) {
    return new CacheException("too many concurrent updates of one key in cache '" + name + "'; gave up after "
        + MAX_ATTEMPTS + " attempts");
  }

  /** An entry seen expired is removed (if nobody changed it since) and reported as EXPIRED. */
  void expire(K key, Slot slot, Events<K, V> events) {
    if (store.delete(slot) && dispatcher.hasListeners()) {
      events.expired(key, decode(slot));
    }
  }

  void applyAccessExpiry(Slot slot, long now) {
    long expiresAt = expiry.access(now);
    if (expiresAt == ExpiryMath.UNCHANGED) {
      return;
    }
    if (expiresAt <= now) {
      store.delete(slot);
    } else {
      store.write(slot, slot.value, expiresAt);
    }
  }

  long creationExpiry(long now) {
    return expiry.creation(now);
  }

  long updateExpiry(long currentExpiresAt, long now) {
    return expiry.update(currentExpiresAt, now);
  }

  /**
   * Writes through to the CacheWriter, after checking that the cache will take the entry (key and
   * value sizes), so that a write the cache must refuse reaches neither.
   */
  void writeThrough(K key, V value, byte[] skey, byte[] svalue) {
    if (integration.writesThrough()) {
      store.checkWritable(skey, svalue);
    }
    integration.write(key, value);
  }

  void deleteThrough(K key) {
    integration.delete(key);
  }

  /**
   * Writes through (a null value: deletes through) a change this call has already committed to
   * memcached, as {@code cas} or {@link EntryStore#DELETED}, and undoes it there if the writer
   * throws. Conditional operations commit first so that only the client that wins a race reaches
   * the CacheWriter: writing through before the ADD or CAS would let a loser's value into the
   * system of record while the cache keeps the winner's. Until the writer returns, other clients
   * may see the change that an exception then undoes.
   */
  void throughCommitted(K key, V value, Slot before, long cas) {
    try {
      if (value == null) {
        integration.delete(key);
      } else {
        integration.write(key, value);
      }
    } catch (RuntimeException | Error e) {
      try {
        store.undo(before, cas);
      } catch (RuntimeException undo) {
        e.addSuppressed(undo);
      }
      throw e;
    }
  }

  /** Stores a value that read-through loaded, unless another client created the entry meanwhile. */
  private void storeLoaded(K key, byte[] skey, V value, Events<K, V> events) {
    if (value == null) {
      return;
    }
    byte[] svalue = svalue(value);
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Slot slot = read(skey);
      long now = now();
      if (slot.present(now)) {
        return;
      }
      long expiresAt = creationExpiry(now);
      if (expiresAt <= now) {
        return;
      }
      if (store.write(slot, svalue, expiresAt)) {
        events.created(key, value);
        return;
      }
    }
  }

  /** loadAll with replaceExistingValues: like a put, but without the writer. */
  private void putLoaded(K key, V value, Events<K, V> events) {
    putWithPolicy(key, value, skey(key), svalue(value), events);
  }

  /** The entry store behind this cache (tests drive compaction through it). */
  EntryStore entryStore() {
    return store;
  }
}
