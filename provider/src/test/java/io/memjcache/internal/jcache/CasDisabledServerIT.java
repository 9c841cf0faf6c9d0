package io.memjcache.internal.jcache;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.testing.MemcachedServer;
import io.memjcache.testing.ServerOptions;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * memcached started with {@code -C} answers every read with CAS 0, so no conditional write could
 * ever succeed: the cache refuses such a server with an error that names the flag, rather than
 * failing its atomic operations later with "too many concurrent updates".
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CasDisabledServerIT {

  @Test
  void serverWithoutCas_isRefusedWithAnErrorNamingTheFlag() {
    try (MemcachedServer server = MemcachedServer.start(ServerOptions.defaults().toBuilder().extraArgs("-C").build())) {
      Properties properties = Managers.properties();
      properties.setProperty("memjcache.operationTimeoutMillis", "1000");
      CacheManager manager = Managers.open(server.hostAndPort(), properties);
      try {
        CacheException error = assertThrows(CacheException.class, () -> {
          var cache = manager.createCache(Managers.uniqueName("no-cas"), Managers.strings());
          cache.put("k", "v");
          cache.putIfAbsent("k", "other");
          cache.replace("k", "v", "w");
        });
        String messages = messages(error);
        assertTrue(messages.contains("CAS disabled (-C)"), messages);
      } finally {
        Managers.close(manager);
      }
    }
  }

  private static String messages(Throwable error) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = error; t != null; t = t.getCause()) {
      all.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append(" / ");
    }
    return all.toString();
  }
}
