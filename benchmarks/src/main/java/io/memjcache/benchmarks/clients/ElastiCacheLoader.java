package io.memjcache.benchmarks.clients;

import io.memjcache.benchmarks.BenchClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.net.ssl.SSLContext;

/**
 * Loads {@link ElastiCacheClient} next to the ElastiCache client jar, away from spymemcached: both
 * libraries define {@code net.spy.memcached.*}, so they cannot share a class loader. The build
 * (benchmarks/pom.xml, maven-dependency-plugin) copies the unmodified
 * {@code com.amazonaws:elasticache-java-cluster-client} jar into benchmarks.jar as the resource
 * {@value #JAR_RESOURCE}; this loader extracts it to a temporary file and loads
 * {@code net.spy.memcached.*} and {@code ElastiCacheClient} from there first, everything else
 * (the JDK, {@link BenchClient}, the key space) from the application class loader.
 */
public final class ElastiCacheLoader {
  static final String JAR_RESOURCE = "/io/memjcache/benchmarks/elasticache/elasticache-java-cluster-client.jar";
  /** By name: loading it here would link it against spymemcached. */
  private static final String CLIENT_CLASS = "io.memjcache.benchmarks.clients.ElastiCacheClient";

  private static volatile ClassLoader loader;

  private ElastiCacheLoader() {}

  /** Opens the ElastiCache client; {@code sslContext} null: plaintext. */
  public static BenchClient open(String servers, int valueSize, SSLContext sslContext, String tlsHostname)
      throws Exception {
    Class<?> type = Class.forName(CLIENT_CLASS, true, loader());
    return (BenchClient) type.getConstructor(String.class, int.class, SSLContext.class, String.class)
        .newInstance(servers, valueSize, sslContext, tlsHostname);
  }

  private static synchronized ClassLoader loader() throws IOException {
    if (loader == null) {
      Path jar = Files.createTempFile("elasticache-java-cluster-client-", ".jar");
      jar.toFile().deleteOnExit();
      try (InputStream in = ElastiCacheLoader.class.getResourceAsStream(JAR_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException(JAR_RESOURCE + " is not in benchmarks.jar: build it with "
              + "mvn -Pbenchmarks -pl benchmarks -am package (benchmarks/run.sh does)");
        }
        Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
      }
      loader = new Isolating(new URL[] {jar.toUri().toURL()}, ElastiCacheLoader.class.getClassLoader());
    }
    return loader;
  }

  /** Child-first for net.spy.memcached and the adapter; parent-first for everything else. */
  private static final class Isolating extends URLClassLoader {
    static {
      registerAsParallelCapable();
    }

    Isolating(URL[] urls, ClassLoader parent) {
      super("elasticache", urls, parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      boolean own = name.startsWith("net.spy.memcached.") || name.equals(CLIENT_CLASS);
      if (!own) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null) {
          c = name.equals(CLIENT_CLASS) ? defineFromParent(name) : findClass(name);
        }
        if (resolve) {
          resolveClass(c);
        }
        return c;
      }
    }

    private Class<?> defineFromParent(String name) throws ClassNotFoundException {
      String resource = name.replace('.', '/') + ".class";
      try (InputStream in = getParent().getResourceAsStream(resource)) {
        if (in == null) {
          throw new ClassNotFoundException(name);
        }
        byte[] bytes = in.readAllBytes();
        return defineClass(name, bytes, 0, bytes.length, ElastiCacheLoader.class.getProtectionDomain());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
