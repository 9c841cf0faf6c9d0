package io.memjcache.internal.jcache;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.internal.config.ConfigLocator;
import io.memjcache.internal.jcache.management.MBeans;
import io.memjcache.spi.MemcachedCachingProvider;
import java.net.URI;
import javax.cache.CacheException;
import org.junit.jupiter.api.Test;

/**
 * A manager URI may carry credentials (a configuration URL with user:password@ or a token in its
 * query): MBean names, the manager bean's Uri attribute, and error messages never show them.
 */
class CredentialsInUriTest {
  private static final URI CONFIG_URL = URI.create("https://app:s3cret@config.example:8443/memjcache.json?token=t0ken");

  private static void assertClean(String shown) {
    assertFalse(shown.contains("s3cret"), shown);
    assertFalse(shown.contains("t0ken"), shown);
  }

  @Test
  void managerBeanName_hidesUserInfoAndQuery() {
    String name = ManagerBean.objectName(CONFIG_URL).toString();
    assertClean(name);
    assertTrue(name.contains("config.example:8443/memjcache.json"), name);
  }

  @Test
  void cacheBeanNames_hideUserInfoAndQuery() {
    for (MBeans.Kind kind : MBeans.Kind.values()) {
      assertClean(MBeans.objectName(kind, CONFIG_URL, "orders").toString());
    }
  }

  @Test
  void configurationErrors_nameTheResourceWithoutCredentials() {
    String shown = ConfigLocator.displayName(CONFIG_URL);
    assertClean(shown);
    assertTrue(shown.startsWith("https://***@config.example:8443/memjcache.json?***"), shown);
    assertTrue(ConfigLocator.redacted(URI.create("classpath:memjcache.json")).equals("classpath:memjcache.json"));
    assertTrue(ConfigLocator.redacted(URI.create("memcached://a:1,b:2")).equals("memcached://a:1,b:2"));
  }

  @Test
  void memcachedUriWithCredentials_isRefusedWithoutEchoingThem() {
    MemcachedCachingProvider provider = new MemcachedCachingProvider();
    try {
      CacheException e = assertThrows(CacheException.class, () -> provider.getCacheManager(
          URI.create("memcached://app:s3cret@127.0.0.1:11211"), getClass().getClassLoader()));
      for (Throwable t = e; t != null; t = t.getCause()) {
        assertClean(String.valueOf(t.getMessage()));
      }
      assertTrue(e.getMessage().contains("takes no credentials"), e.getMessage());
    } finally {
      provider.close();
    }
  }
}
