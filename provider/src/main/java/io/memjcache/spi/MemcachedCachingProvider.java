package io.memjcache.spi;

import io.memjcache.internal.config.ConfigLocator;
import io.memjcache.internal.config.Environment;
import io.memjcache.internal.jcache.ManagerSettings;
import io.memjcache.internal.jcache.MemcachedCacheManager;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.WeakHashMap;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.OptionalFeature;
import javax.cache.spi.CachingProvider;

/**
 * The memjcache JCache provider: found by {@code Caching.getCachingProvider()}, and named by this
 * class in {@code META-INF/services}, Hibernate's {@code hibernate.javax.cache.provider} and
 * Spring's {@code spring.cache.jcache.provider}.
 *
 * <p><b>Do not move or rename this class</b>: users' configuration refers to it by name.
 *
 * <p>One {@link CacheManager} exists per (URI, ClassLoader) until it is closed. The URI names the
 * manager's configuration file ({@code file:}, {@code jar:}, {@code classpath:}, or any URL ending
 * in {@code .json}), or its servers ({@code memcached://host:port,host:port}), or is just a name.
 * Without a file in the URI, the file named by the {@code memjcache.config} system property or the
 * {@code MEMJCACHE_CONFIG} environment variable is used, else {@code memjcache.json} on the
 * manager's class path, else none. The default URI is that configuration file's URI, else
 * {@code memcached://} with the servers of the {@code memjcache.servers} system property or the
 * {@code MEMJCACHE_SERVERS} environment variable, else {@code memcached://localhost:11211}.
 */
public final class MemcachedCachingProvider implements CachingProvider {
  private final Map<ClassLoader, Map<URI, MemcachedCacheManager>> managers = new WeakHashMap<>();

  /** Created by {@link java.util.ServiceLoader} or by {@code Caching}. */
  public MemcachedCachingProvider() {}

  @Override
  public CacheManager getCacheManager(URI uri, ClassLoader classLoader, Properties properties) {
    URI managerUri = uri == null ? getDefaultURI() : uri;
    ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
    Properties props = properties == null ? new Properties() : properties;
    synchronized (managers) {
      Map<URI, MemcachedCacheManager> byUri = managers.computeIfAbsent(loader, l -> new HashMap<>());
      MemcachedCacheManager manager = byUri.get(managerUri);
      if (manager == null || manager.isClosed()) {
        ManagerSettings settings;
        try {
          settings = ManagerSettings.resolve(managerUri, loader, props);
        } catch (IllegalArgumentException e) {
          throw new CacheException("cannot create the cache manager " + ConfigLocator.redacted(managerUri) + ": " + e.getMessage(), e);
        }
        manager = new MemcachedCacheManager(this, managerUri, loader, props, settings, this::release);
        byUri.put(managerUri, manager);
      }
      return manager;
    }
  }

  @Override
  public CacheManager getCacheManager(URI uri, ClassLoader classLoader) {
    return getCacheManager(uri, classLoader, getDefaultProperties());
  }

  @Override
  public CacheManager getCacheManager() {
    return getCacheManager(getDefaultURI(), getDefaultClassLoader(), getDefaultProperties());
  }

  @Override
  public ClassLoader getDefaultClassLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : MemcachedCachingProvider.class.getClassLoader();
  }

  @Override
  public URI getDefaultURI() {
    try {
      return ManagerSettings.defaultUri(getDefaultClassLoader(), Environment.SYSTEM);
    } catch (IllegalArgumentException e) {
      throw new CacheException("cannot determine the default URI: " + e.getMessage(), e);
    }
  }

  @Override
  public Properties getDefaultProperties() {
    return new Properties();
  }

  @Override
  public void close() {
    java.util.List<MemcachedCacheManager> all = new java.util.ArrayList<>();
    synchronized (managers) {
      for (Map<URI, MemcachedCacheManager> byUri : managers.values()) {
        all.addAll(byUri.values());
      }
      managers.clear();
    }
    all.forEach(MemcachedCacheManager::close);
  }

  @Override
  public void close(ClassLoader classLoader) {
    ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
    Map<URI, MemcachedCacheManager> byUri;
    synchronized (managers) {
      byUri = managers.remove(loader);
    }
    if (byUri != null) {
      byUri.values().forEach(MemcachedCacheManager::close);
    }
  }

  @Override
  public void close(URI uri, ClassLoader classLoader) {
    URI managerUri = uri == null ? getDefaultURI() : uri;
    ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
    MemcachedCacheManager manager = null;
    synchronized (managers) {
      Map<URI, MemcachedCacheManager> byUri = managers.get(loader);
      if (byUri != null) {
        manager = byUri.remove(managerUri);
        if (byUri.isEmpty()) {
          managers.remove(loader);
        }
      }
    }
    if (manager != null) {
      manager.close();
    }
  }

  /** Called by a manager that closes itself, so a later request creates a new one. */
  private void release(MemcachedCacheManager manager) {
    Objects.requireNonNull(manager, "manager");
    synchronized (managers) {
      Map<URI, MemcachedCacheManager> byUri = managers.get(manager.getClassLoader());
      if (byUri != null && byUri.get(manager.getURI()) == manager) {
        byUri.remove(manager.getURI());
        if (byUri.isEmpty()) {
          managers.remove(manager.getClassLoader());
        }
      }
    }
  }

  @Override
  public boolean isSupported(OptionalFeature optionalFeature) {
    return false; // store-by-reference is the only optional feature; memcached stores copies
  }
}
