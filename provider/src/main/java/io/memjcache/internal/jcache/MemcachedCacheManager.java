package io.memjcache.internal.jcache;

import io.memjcache.internal.client.MemcachedClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;
import io.memjcache.config.EncryptionSettings;
import io.memjcache.config.MemcachedConfiguration;
import io.memjcache.config.SaslSettings;
import io.memjcache.internal.config.CacheDefaults;
import io.memjcache.internal.crypto.ValueEncryption;
import io.memjcache.internal.jcache.store.KeyCodec;
import io.memjcache.config.TlsSettings;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;

/**
 * A JCache {@link CacheManager} over one memcached client. Caches are shared with every other
 * manager (in this JVM or another) that uses the same servers and cache name: {@code createCache}
 * joins a cache's current data, and {@code destroyCache} drops that data for all of them.
 *
 * <p>A cache the configuration file declares by name (under {@code "caches"}) exists for as long as
 * the manager is open, whether or not anyone created it: {@code getCacheNames} lists it, and the
 * first {@code getCache} creates it with {@code Object} keys and values and the file's settings (so
 * Hibernate's {@code missing_cache_strategy=fail} finds its regions). An application may still
 * {@code createCache} it with its own configuration before that first {@code getCache}; afterwards
 * {@code createCache} refuses it as for any existing cache. {@code destroyCache} drops its data
 * and the instance, and closing the cache drops the instance only; either way the declaration
 * stays, so the name is still listed and the next {@code getCache} creates a new instance (empty
 * after {@code destroyCache}).
 */
public final class MemcachedCacheManager implements CacheManager {
  private final CachingProvider provider;
  private final URI uri;
  private final ClassLoader classLoader;
  private final Properties properties;
  private final ManagerSettings settings;
  private final Consumer<MemcachedCacheManager> onClose;
  private final ConcurrentMap<String, MemcachedCache<?, ?>> caches = new ConcurrentHashMap<>();
  private final Object lifecycle = new Object();
  /** One client per distinct (TLS, SASL) pair: caches with the same security share connections. */
  private final ConcurrentMap<ClientKey, MemcachedClient> clients = new ConcurrentHashMap<>();
  private final ConcurrentMap<EncryptionSettings, ValueEncryption> encryptions = new ConcurrentHashMap<>();
  private volatile boolean closed;
  private final ManagerBean bean;

  /** What makes two caches' connections interchangeable. */
  private record ClientKey(TlsSettings tls, SaslSettings sasl) {}

  public MemcachedCacheManager(CachingProvider provider, URI uri, ClassLoader classLoader, Properties properties,
      ManagerSettings settings, Consumer<MemcachedCacheManager> onClose) {
    this.provider = provider;
    this.uri = uri;
    this.classLoader = classLoader;
    this.properties = properties;
    this.settings = settings;
    this.onClose = onClose;
    this.bean = new ManagerBean(this, () -> new ArrayList<>(caches.values()),
        () -> new ArrayList<>(clients.values()), () -> new ArrayList<>(encryptions.values()));
    bean.register();
  }

  /** The key ring for these encryption settings, shared by every cache that uses them. */
  ValueEncryption encryption(EncryptionSettings encryptionSettings) {
    ValueEncryption current = encryptions.get(encryptionSettings);
    if (current != null) {
      return current;
    }
    synchronized (lifecycle) {
      requireOpen();
      return encryptions.computeIfAbsent(encryptionSettings, ValueEncryption::start);
    }
  }

  /** The client without TLS or SASL, created on first use so that an unused manager holds no threads. */
  MemcachedClient client() {
    return client(null, null);
  }

  /** The client for connections with these security settings (null = off), shared by equal settings. */
  MemcachedClient client(TlsSettings tls, SaslSettings sasl) {
    ClientKey key = new ClientKey(tls, sasl);
    MemcachedClient current = clients.get(key);
    if (current != null) {
      return current;
    }
    synchronized (lifecycle) {
      requireOpen();
      return clients.computeIfAbsent(key, k -> new MemcachedClient(ClientFactory.settings(settings, tls, sasl), settings.cluster()));
    }
  }

  ManagerSettings settings() {
    return settings;
  }

  @Override
  public CachingProvider getCachingProvider() {
    return provider;
  }

  @Override
  public URI getURI() {
    return uri;
  }

  @Override
  public ClassLoader getClassLoader() {
    return classLoader;
  }

  @Override
  public Properties getProperties() {
    return properties;
  }

  @Override
  public <K, V, C extends Configuration<K, V>> Cache<K, V> createCache(String cacheName, C configuration) {
    requireOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    Objects.requireNonNull(configuration, "configuration");
    synchronized (lifecycle) {
      requireOpen();
      if (caches.containsKey(cacheName)) {
        throw new CacheException("a cache named '" + cacheName + "' already exists in " + uri);
      }
      CacheDefaults defaults = settings.forCache(cacheName);
      MemcachedConfiguration<K, V> copy = defaults.applyTo(configuration);
      MemcachedCache<K, V> cache = new MemcachedCache<>(this, cacheName, copy, defaults);
      caches.put(cacheName, cache);
      return cache;
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public <K, V> Cache<K, V> getCache(String cacheName, Class<K> keyType, Class<V> valueType) {
    requireOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    Objects.requireNonNull(keyType, "keyType");
    Objects.requireNonNull(valueType, "valueType");
    MemcachedCache<?, ?> cache = existingOrDeclared(cacheName);
    if (cache == null) {
      return null;
    }
    CompleteConfiguration<?, ?> configuration = cache.getConfiguration(CompleteConfiguration.class);
    if (!configuration.getKeyType().isAssignableFrom(keyType)) {
      throw new ClassCastException("cache '" + cacheName + "' has key type " + configuration.getKeyType().getName()
          + ", not " + keyType.getName());
    }
    if (!configuration.getValueType().isAssignableFrom(valueType)) {
      throw new ClassCastException("cache '" + cacheName + "' has value type " + configuration.getValueType().getName()
          + ", not " + valueType.getName());
    }
    return (Cache<K, V>) cache;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <K, V> Cache<K, V> getCache(String cacheName) {
    requireOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    return (Cache<K, V>) existingOrDeclared(cacheName);
  }

  /**
   * The open cache of this name; else, for a cache the configuration file declares, that cache
   * created now with {@code Object} keys and values and the file's settings; else null.
   */
  private MemcachedCache<?, ?> existingOrDeclared(String cacheName) {
    MemcachedCache<?, ?> cache = caches.get(cacheName);
    if (cache != null || !settings.declaredCaches().contains(cacheName)) {
      return cache;
    }
    synchronized (lifecycle) {
      requireOpen();
      cache = caches.get(cacheName);
      if (cache == null) {
        CacheDefaults defaults = settings.forCache(cacheName);
        cache = new MemcachedCache<>(this, cacheName, defaults.applyTo(new MutableConfiguration<Object, Object>()),
            defaults);
        caches.put(cacheName, cache);
      }
      return cache;
    }
  }

  /** The open caches and every cache the configuration file declares (see the class comment). */
  @Override
  public Iterable<String> getCacheNames() {
    requireOpen();
    LinkedHashSet<String> names = new LinkedHashSet<>(caches.keySet());
    names.addAll(settings.declaredCaches());
    return Collections.unmodifiableSet(names);
  }

  @Override
  public void destroyCache(String cacheName) {
    requireOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    MemcachedCache<?, ?> cache;
    synchronized (lifecycle) {
      cache = caches.remove(cacheName);
    }
    if (cache != null) {
      cache.destroy();
      return;
    }
    // Not open here (never fetched, closed, or created only by another JVM): its data still goes,
    // through the connections its declared or default security settings name.
    CacheDefaults defaults = settings.forCache(cacheName);
    Namespace.advanceOnServer(client(defaults.tls(), defaults.sasl()), KeyCodec.forCache(cacheName).generationKey());
  }

  @Override
  public void enableManagement(String cacheName, boolean enabled) {
    requireOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    MemcachedCache<?, ?> cache = caches.get(cacheName);
    if (cache != null) {
      cache.setManagementEnabled(enabled);
    }
  }

  @Override
  public void enableStatistics(String cacheName, boolean enabled) {
    requireOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    MemcachedCache<?, ?> cache = caches.get(cacheName);
    if (cache != null) {
      cache.setStatisticsEnabled(enabled);
    }
  }

  /** Called by a cache that was closed by its user: it leaves this manager. */
  void closed(MemcachedCache<?, ?> cache) {
    caches.remove(cache.getName(), cache);
  }

  @Override
  public void close() {
    List<MemcachedCache<?, ?>> open;
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
      open = new ArrayList<>(caches.values());
      caches.clear();
    }
    for (MemcachedCache<?, ?> cache : open) {
      try {
        cache.close();
      } catch (RuntimeException e) {
        System.getLogger(MemcachedCacheManager.class.getName())
            .log(System.Logger.Level.WARNING, "closing cache " + cache.getName() + " failed", e);
      }
    }
    List<MemcachedClient> open2;
    synchronized (lifecycle) {
      open2 = new ArrayList<>(clients.values());
      clients.clear();
      encryptions.clear(); // the key rings: a closed manager that the application still holds keeps no keys
    }
    open2.forEach(MemcachedClient::close);
    bean.unregister();
    onClose.accept(this);
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

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("cache manager " + uri + " is closed");
    }
  }

  @Override
  public String toString() {
    return "MemcachedCacheManager{" + uri + "}";
  }
}
