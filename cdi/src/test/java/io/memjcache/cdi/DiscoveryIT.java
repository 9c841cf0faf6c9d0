package io.memjcache.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.memjcache.testing.MemcachedCluster;
import io.memjcache.testing.MemcachedTest;
import jakarta.enterprise.inject.se.SeContainer;
import jakarta.enterprise.inject.se.SeContainerInitializer;
import jakarta.enterprise.inject.spi.BeanManager;
import java.util.concurrent.TimeUnit;
import javax.cache.Caching;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The application's way in: the standard {@link SeContainerInitializer} scans the class path, finds
 * the extension through META-INF/services and the beans through the test classes' beans.xml, and
 * the interceptors work with no beans.xml entry (they are enabled by @Priority).
 */
@MemcachedTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DiscoveryIT {

  @Test
  void seContainer_classpathDiscovery_extensionLoadedAndInterceptorsEnabled(MemcachedCluster cluster)
      throws Exception {
    String saved = System.getProperty("memjcache.servers");
    System.setProperty("memjcache.servers", cluster.serverList());
    try (SeContainer container = SeContainerInitializer.newInstance().initialize()) {
      assertNotNull(container.select(BeanManager.class).get().getExtension(CacheAnnotationsExtension.class));
      ResultBean bean = container.select(ResultBean.class).get();
      assertEquals("d#1", bean.get("d"));
      assertEquals("d#1", bean.get("d"));
      assertEquals(1, bean.calls());
    } finally {
      Caching.getCachingProvider().close();
      if (saved == null) {
        System.clearProperty("memjcache.servers");
      } else {
        System.setProperty("memjcache.servers", saved);
      }
    }
  }
}
