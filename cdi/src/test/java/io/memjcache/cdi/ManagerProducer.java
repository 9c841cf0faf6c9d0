package io.memjcache.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.net.URI;
import java.util.concurrent.atomic.AtomicReference;
import javax.cache.CacheManager;
import javax.cache.Caching;

/**
 * The application's own {@link CacheManager}, not the provider's default one. No bean-defining annotation, so classpath discovery in
 * {@link DiscoveryIT} does not pick it up; {@link CacheManagerBeanIT} adds it explicitly.
 */
public class ManagerProducer {
  static final AtomicReference<CacheManager> PRODUCED = new AtomicReference<>();

  @Produces
  @ApplicationScoped
  CacheManager cacheManager() {
    URI uri = URI.create("memcached://" + System.getProperty("memjcache.servers"));
    // A class loader of its own: the provider keeps one manager per URI and class loader, and the
    // default manager has this URI too.
    ClassLoader loader = new ClassLoader(getClass().getClassLoader()) {};
    CacheManager manager = Caching.getCachingProvider().getCacheManager(uri, loader);
    PRODUCED.set(manager);
    return manager;
  }

  void close(@Disposes CacheManager manager) {
    manager.close();
  }
}
