package io.memjcache.tck;

import io.memjcache.testing.MemcachedServer;
import io.memjcache.testing.MemcachedStartException;
import io.memjcache.testing.ServerOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Starts one real memcached before the JUnit Platform discovers or runs any TCK test, points the
 * provider at it through the {@value #SERVERS_PROPERTY} system property (read by the provider's
 * default URI), and stops it when the launcher session closes.
 *
 * <p>Registered through {@code META-INF/services/org.junit.platform.launcher.LauncherSessionListener};
 * Surefire (3.5.4 and later) opens exactly one launcher session per forked JVM, and the TCK runs in a
 * single fork, so this is one memcached for the whole TCK. If memcached cannot be started the session
 * fails to open, which aborts the run: the TCK must never run against nothing.
 *
 * <p>Before that it checks the two things the TCK cannot check for itself, because a mistake in either
 * makes it pass or fail for the wrong reason: exactly one {@code javax.cache.spi.CachingProvider} is
 * registered in {@code META-INF/services} (none or two make every test fail), and the implementation
 * classes named for the unwrap tests ({@value #UNWRAP_PROPERTIES}) can be loaded (the TCK silently
 * excludes {@code CacheManagerTest#testUnwrap} when its class cannot be loaded). Any problem fails the
 * run unless {@value #STRICT_PROPERTY} is {@code false}, in which case it is only reported.
 */
public final class MemcachedTckSessionListener implements LauncherSessionListener {

  static final String SERVERS_PROPERTY = "memjcache.servers";
  static final String STRICT_PROPERTY = "memjcache.tck.strict";
  /** Which security mode the run uses: plain, tls, mtls-sasl, encryption or all (see {@link TckModes}). */
  static final String MODE_PROPERTY = "memjcache.tck.mode";
  static final String CONFIG_PROPERTY = "memjcache.config";
  static final String UNWRAP_PROPERTIES =
      "javax.cache.CacheManager, javax.cache.Cache, javax.cache.Cache.Entry";
  private static final String PROVIDER_SERVICE = "META-INF/services/javax.cache.spi.CachingProvider";

  private static final Object LOCK = new Object();
  private static MemcachedServer server;

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    synchronized (LOCK) {
      if (server != null) {
        return;
      }
      checkConfiguration();
      String mode = System.getProperty(MODE_PROPERTY, "plain").trim();
      MemcachedServer started;
      try {
        started = MemcachedServer.start(TckModes.serverOptions(mode));
      } catch (RuntimeException | Error e) {
        StringBuilder message = new StringBuilder("[memjcache-tck] could not start memcached for the TCK: ")
            .append(e);
        if (e instanceof MemcachedStartException failure) {
          failure.exitCode().ifPresent(code -> message.append(" (exit code ").append(code).append(')'));
          if (!failure.output().isBlank()) {
            message.append(System.lineSeparator()).append(failure.output());
          }
        }
        System.err.println(message);
        throw new IllegalStateException(message.toString(), e);
      }
      server = started;
      String servers = started.hostAndPort();
      System.setProperty(SERVERS_PROPERTY, servers);
      try {
        java.nio.file.Path config = TckModes.writeConfiguration(mode, servers);
        if (config != null) {
          System.setProperty(CONFIG_PROPERTY, config.toUri().toString());
        }
      } catch (java.io.IOException e) {
        throw new IllegalStateException("[memjcache-tck] cannot write the configuration of mode " + mode, e);
      }
      String version;
      try {
        version = started.version();
      } catch (RuntimeException e) {
        version = "(version not readable without TLS)";
      }
      System.out.println("[memjcache-tck] mode " + mode + ": memcached " + version + " started at "
          + servers + " (" + started + "); " + SERVERS_PROPERTY + "=" + servers
          + (System.getProperty(CONFIG_PROPERTY) == null ? "" : "; " + CONFIG_PROPERTY + "=" + System.getProperty(CONFIG_PROPERTY)));
    }
  }

  @Override
  public void launcherSessionClosed(LauncherSession session) {
    synchronized (LOCK) {
      if (server == null) {
        return;
      }
      String servers = server.hostAndPort();
      try {
        server.close();
        System.out.println("[memjcache-tck] memcached at " + servers + " stopped");
      } catch (Exception e) {
        System.err.println("[memjcache-tck] could not stop memcached at " + servers + ": " + e);
      } finally {
        server = null;
        System.clearProperty(SERVERS_PROPERTY);
        System.clearProperty(CONFIG_PROPERTY);
      }
    }
  }

  private static void checkConfiguration() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    List<String> problems = new ArrayList<>();

    Set<String> providers = registeredProviders(loader);
    System.out.println("[memjcache-tck] CachingProviders in " + PROVIDER_SERVICE + ": " + providers);
    if (providers.size() != 1) {
      problems.add("expected exactly one CachingProvider in " + PROVIDER_SERVICE
          + " on the test class path, found " + providers);
    }

    for (String property : UNWRAP_PROPERTIES.split(", ")) {
      String className = System.getProperty(property);
      if (className == null || className.isBlank()) {
        problems.add("system property " + property + " is not set");
        continue;
      }
      try {
        Class.forName(className.trim(), false, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        problems.add(property + "=" + className + " cannot be loaded: " + e);
      }
    }

    if (problems.isEmpty()) {
      return;
    }
    boolean strict = !"false".equalsIgnoreCase(System.getProperty(STRICT_PROPERTY, "true").trim());
    for (String problem : problems) {
      System.err.println("[memjcache-tck] " + (strict ? "ERROR: " : "WARNING: ") + problem);
    }
    if (strict) {
      throw new IllegalStateException("[memjcache-tck] the TCK is not wired up correctly (set "
          + STRICT_PROPERTY + "=false to run it anyway): " + String.join("; ", problems));
    }
  }

  private static Set<String> registeredProviders(ClassLoader loader) {
    Set<String> names = new LinkedHashSet<>();
    try {
      for (URL url : Collections.list(loader.getResources(PROVIDER_SERVICE))) {
        try (BufferedReader in = new BufferedReader(
            new InputStreamReader(url.openStream(), StandardCharsets.UTF_8))) {
          for (String line = in.readLine(); line != null; line = in.readLine()) {
            int comment = line.indexOf('#');
            String name = (comment < 0 ? line : line.substring(0, comment)).trim();
            if (!name.isEmpty()) {
              names.add(name);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + PROVIDER_SERVICE, e);
    }
    return names;
  }
}
