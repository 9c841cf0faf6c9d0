package io.memjcache.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.internal.jcache.ManagerSettings;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import javax.cache.CacheException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jackson is optional: without it a manager without a configuration file works, and one with a
 * file fails with a message saying what to add, not with a NoClassDefFoundError.
 */
class ConfigWithoutJacksonTest {
  @TempDir
  Path dir;

  /** The provider's classes and its required dependencies, without Jackson. */
  private static URLClassLoader withoutJackson() throws Exception {
    Set<URL> urls = new LinkedHashSet<>();
    for (String name : List.of(ManagerSettings.class.getName(), CacheException.class.getName(),
        "io.netty.util.Version", "io.netty.buffer.ByteBuf", "io.netty.channel.Channel",
        "io.netty.handler.ssl.SslContext", "io.netty.handler.codec.ByteToMessageDecoder",
        "io.netty.resolver.AddressResolver", "org.bouncycastle.jce.provider.BouncyCastleProvider")) {
      try {
        urls.add(Class.forName(name).getProtectionDomain().getCodeSource().getLocation());
      } catch (ClassNotFoundException e) {
        // not a dependency (any more): nothing to add
      }
    }
    return new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
  }

  @Test
  void resolve_withoutJackson_worksWithoutFileAndExplainsWithOne() throws Exception {
    Path config = Configs.write(dir.resolve("memjcache.json"), "{}");
    try (URLClassLoader loader = withoutJackson()) {
      assertThrows(ClassNotFoundException.class, () -> loader.loadClass("com.fasterxml.jackson.databind.ObjectMapper"));
      Class<?> settings = loader.loadClass(ManagerSettings.class.getName());
      Method resolve = settings.getMethod("resolve", URI.class, ClassLoader.class, Properties.class);

      Object resolved = resolve.invoke(null, URI.create("memcached://cache-1:11311"), loader, new Properties());
      assertEquals(1, ((List<?>) settings.getMethod("servers").invoke(resolved)).size());

      InvocationTargetException e = assertThrows(InvocationTargetException.class,
          () -> resolve.invoke(null, config.toUri(), loader, new Properties()));
      assertEquals(ConfigException.class.getName(), e.getCause().getClass().getName());
      assertTrue(e.getCause().getMessage().endsWith("reading a configuration file needs"
          + " com.fasterxml.jackson.core:jackson-databind on the class path"), e.getCause().getMessage());
    }
  }
}
