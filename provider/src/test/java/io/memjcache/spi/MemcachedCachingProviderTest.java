package io.memjcache.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Properties;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.OptionalFeature;
import javax.cache.spi.CachingProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The provider's bookkeeping, without a server (a manager connects only when it creates a cache):
 * one manager per (URI, ClassLoader), nulls meaning the defaults, properties kept, closing by
 * manager, class loader or all, and the default URI taken from {@code memjcache.servers}.
 */
class MemcachedCachingProviderTest {
  private static final URI ONE = URI.create("memcached://127.0.0.1:1");
  private static final URI TWO = URI.create("memcached://127.0.0.1:2");

  private final MemcachedCachingProvider provider = new MemcachedCachingProvider();
  private final ClassLoader loader = getClass().getClassLoader();
  private String savedServers;

  @BeforeEach
  void saveServersProperty() {
    savedServers = System.getProperty("memjcache.servers");
  }

  @AfterEach
  void restore() {
    provider.close();
    if (savedServers == null) {
      System.clearProperty("memjcache.servers");
    } else {
      System.setProperty("memjcache.servers", savedServers);
    }
  }

  private static ClassLoader childLoader() {
    return new URLClassLoader(new URL[0], MemcachedCachingProviderTest.class.getClassLoader());
  }

  @Test
  void getCacheManager_sameUriAndClassLoader_returnsSameManager() {
    CacheManager first = provider.getCacheManager(ONE, loader);
    assertSame(first, provider.getCacheManager(ONE, loader));
    assertSame(first, provider.getCacheManager(ONE, loader, new Properties()));
    assertEquals(ONE, first.getURI());
    assertSame(loader, first.getClassLoader());
    assertSame(provider, first.getCachingProvider());
  }

  @Test
  void getCacheManager_differentUriOrClassLoader_returnsDifferentManagers() {
    ClassLoader other = childLoader();
    CacheManager oneHere = provider.getCacheManager(ONE, loader);
    CacheManager twoHere = provider.getCacheManager(TWO, loader);
    CacheManager oneThere = provider.getCacheManager(ONE, other);

    assertNotSame(oneHere, twoHere);
    assertNotSame(oneHere, oneThere);
    assertSame(other, oneThere.getClassLoader());
    assertSame(oneThere, provider.getCacheManager(ONE, other));
  }

  @Test
  void getCacheManager_otherProvider_returnsIndependentManager() {
    MemcachedCachingProvider other = new MemcachedCachingProvider();
    try {
      assertNotSame(provider.getCacheManager(ONE, loader), other.getCacheManager(ONE, loader));
    } finally {
      other.close();
    }
  }

  @Test
  void getCacheManager_nullUri_returnsManagerOfDefaultUri() {
    System.setProperty("memjcache.servers", "127.0.0.1:3");
    CacheManager byNull = provider.getCacheManager(null, loader);
    assertEquals(provider.getDefaultURI(), byNull.getURI());
    assertSame(byNull, provider.getCacheManager(provider.getDefaultURI(), loader));
    assertSame(byNull, provider.getCacheManager());
  }

  @Test
  void getCacheManager_nullClassLoader_usesDefaultClassLoader() {
    CacheManager byNull = provider.getCacheManager(ONE, null);
    assertSame(provider.getDefaultClassLoader(), byNull.getClassLoader());
    assertSame(byNull, provider.getCacheManager(ONE, provider.getDefaultClassLoader()));
  }

  @Test
  void getCacheManager_properties_areKeptByTheManager() {
    Properties properties = new Properties();
    properties.setProperty("application", "orders");
    properties.setProperty("memjcache.generationRefreshMillis", "250");
    CacheManager manager = provider.getCacheManager(ONE, loader, properties);

    assertEquals("orders", manager.getProperties().getProperty("application"));
    assertEquals("250", manager.getProperties().getProperty("memjcache.generationRefreshMillis"));
    Properties later = new Properties();
    later.setProperty("application", "other");
    assertSame(manager, provider.getCacheManager(ONE, loader, later), "properties do not make another manager");
    assertEquals("orders", manager.getProperties().getProperty("application"), "the first properties stay");
  }

  @Test
  void getCacheManager_afterManagerWasClosed_returnsNewOpenManager() {
    CacheManager first = provider.getCacheManager(ONE, loader);
    first.close();
    CacheManager second = provider.getCacheManager(ONE, loader);
    assertNotSame(first, second);
    assertFalse(second.isClosed());
    assertTrue(first.isClosed());
  }

  @Test
  void close_uriAndClassLoader_closesOnlyThatManager() {
    CacheManager one = provider.getCacheManager(ONE, loader);
    CacheManager two = provider.getCacheManager(TWO, loader);
    provider.close(ONE, loader);
    assertTrue(one.isClosed());
    assertFalse(two.isClosed());
    assertNotSame(one, provider.getCacheManager(ONE, loader));
  }

  @Test
  void close_classLoader_closesItsManagersOnly() {
    ClassLoader other = childLoader();
    CacheManager here = provider.getCacheManager(ONE, loader);
    CacheManager there = provider.getCacheManager(ONE, other);
    CacheManager thereToo = provider.getCacheManager(TWO, other);
    provider.close(other);
    assertTrue(there.isClosed());
    assertTrue(thereToo.isClosed());
    assertFalse(here.isClosed());
  }

  @Test
  void close_provider_closesEveryManagerAndStaysUsable() {
    CacheManager one = provider.getCacheManager(ONE, loader);
    CacheManager two = provider.getCacheManager(TWO, childLoader());
    provider.close();
    assertTrue(one.isClosed());
    assertTrue(two.isClosed());
    CacheManager again = provider.getCacheManager(ONE, loader);
    assertFalse(again.isClosed());
    assertNotSame(one, again);
  }

  @Test
  void getDefaultUri_serversSystemProperty_isHonoured() {
    System.setProperty("memjcache.servers", "cache-a:11311, cache-b:11312");
    assertEquals(URI.create("memcached://cache-a:11311,cache-b:11312"), provider.getDefaultURI());
  }

  @Test
  void getDefaultUri_noServersConfigured_isLocalhost() {
    assumeTrue(System.getenv("MEMJCACHE_SERVERS") == null, "MEMJCACHE_SERVERS is set in this environment");
    System.clearProperty("memjcache.servers");
    assertEquals(URI.create("memcached://localhost:11211"), provider.getDefaultURI());
    System.setProperty("memjcache.servers", "  ");
    assertEquals(URI.create("memcached://localhost:11211"), provider.getDefaultURI(), "a blank property is unset");
  }

  @Test
  void isSupported_storeByReference_isFalse() {
    assertFalse(provider.isSupported(OptionalFeature.STORE_BY_REFERENCE));
  }

  @Test
  void caching_providerClassName_findsThisProvider() {
    CachingProvider found = Caching.getCachingProvider(MemcachedCachingProvider.class.getName());
    try {
      assertInstanceOf(MemcachedCachingProvider.class, found);
    } finally {
      found.close();
    }
  }
}
