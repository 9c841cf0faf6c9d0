package io.memjcache.internal.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.config.EncryptionSettings;
import io.memjcache.config.KeyRingSource;
import io.memjcache.config.SerializationFormat;
import io.memjcache.config.TlsSettings;
import io.memjcache.internal.jcache.ManagerSettings;
import io.memjcache.serialization.JavaSerializationSettings;
import io.memjcache.spi.MemcachedCachingProvider;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which configuration a manager reads: the URI's resource (file:, jar:, classpath:), else the
 * memjcache.config system property, else the MEMJCACHE_CONFIG environment variable, else
 * memjcache.json on the manager's class path, else none; and how properties override it.
 * Environment variables cannot be set in-JVM, so these tests inject the environment.
 */
class ConfigResolutionTest {
  private static final URI LOGICAL = URI.create("urn:app:orders");

  @TempDir
  Path dir;

  private final ClassLoader loader = getClass().getClassLoader();

  private static List<String> hostsAndPorts(ManagerSettings settings) {
    return settings.servers().stream().map(ConfigResolutionTest::hostAndPort).toList();
  }

  private static String hostAndPort(InetSocketAddress address) {
    return address.getHostString() + ":" + address.getPort();
  }

  private static Properties properties(String... pairs) {
    Properties properties = new Properties();
    for (int i = 0; i < pairs.length; i += 2) {
      properties.setProperty(pairs[i], pairs[i + 1]);
    }
    return properties;
  }

  private ManagerSettings resolve(URI uri, ClassLoader classLoader, Environment environment, String... properties) {
    return ManagerSettings.resolve(uri, classLoader, properties(properties), environment);
  }

  private Path file(String name, String json) {
    return Configs.write(dir.resolve(name), json);
  }

  /** A class loader whose class path is the test resource directory config/classpath-root (with memjcache.json). */
  private static URLClassLoader classPathWithDefaultFile() {
    URL root = ConfigResolutionTest.class.getResource("/config/classpath-root/");
    assertNotNull(root);
    return new URLClassLoader(new URL[] {root}, ClassLoader.getPlatformClassLoader());
  }

  // ------------------------------------------------------------------ the URI names the file

  @Test
  void resolve_fileUri_readsThatFile() {
    Path config = file("app.json", """
        {"servers": ["from-file:1"], "connection": {"maxInFlight": 77}}""");
    ManagerSettings settings = resolve(config.toUri(), loader, Configs.empty());
    assertEquals(List.of("from-file:1"), hostsAndPorts(settings));
    assertEquals(77, settings.connection().maxInFlight());
    assertEquals(config.toUri(), settings.configuration());
  }

  @Test
  void resolve_jarUri_readsTheEntryThroughItsUrl() throws Exception {
    Path jar = dir.resolve("app.jar");
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out)) {
      jarOut.putNextEntry(new JarEntry("BOOT-INF/classes/memjcache.json"));
      jarOut.write("{\"servers\": \"from-jar:2\"}".getBytes(StandardCharsets.UTF_8));
      jarOut.closeEntry();
    }
    URI uri = URI.create("jar:" + jar.toUri() + "!/BOOT-INF/classes/memjcache.json");
    assertEquals(List.of("from-jar:2"), hostsAndPorts(resolve(uri, loader, Configs.empty())));
    Files.delete(jar); // the jar was not kept open (no URL cache)
  }

  @Test
  void resolve_classpathUri_usesTheManagersClassLoader() {
    for (String uri : List.of("classpath:config/resolution/app.json", "classpath:/config/resolution/app.json")) {
      ManagerSettings settings = resolve(URI.create(uri), loader, Configs.empty());
      assertEquals(List.of("from-classpath-uri:11211"), hostsAndPorts(settings), uri);
      assertEquals(Duration.ofMillis(750), settings.connection().operationTimeout());
    }
    try (URLClassLoader other = classPathWithDefaultFile()) {
      assertThrows(ConfigException.class,
          () -> resolve(URI.create("classpath:config/resolution/app.json"), other, Configs.empty()));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void resolve_uriOfMissingFile_throwsNamingIt() {
    URI missing = dir.resolve("missing.json").toUri();
    ConfigException e = assertThrows(ConfigException.class, () -> resolve(missing, loader, Configs.empty()));
    assertTrue(e.getMessage().contains("missing.json: configuration file not found"), e.getMessage());
  }

  @Test
  void namesResource_byScheme() {
    assertTrue(ConfigLocator.namesResource(URI.create("file:/etc/memjcache.json")));
    assertTrue(ConfigLocator.namesResource(URI.create("file:/etc/memjcache.conf")), "file: always");
    assertTrue(ConfigLocator.namesResource(URI.create("jar:nested:/app.jar/!BOOT-INF/classes/!/memjcache.json")));
    assertTrue(ConfigLocator.namesResource(URI.create("classpath:memjcache.json")));
    assertTrue(ConfigLocator.namesResource(URI.create("vfs:/deploy/app.war/WEB-INF/classes/memjcache.JSON")));
    assertFalse(ConfigLocator.namesResource(URI.create("memcached://cache-1:11211")));
    assertFalse(ConfigLocator.namesResource(URI.create("memcached://x.json")));
    assertFalse(ConfigLocator.namesResource(URI.create("urn:app:orders")));
    assertFalse(ConfigLocator.namesResource(URI.create("orders")), "no scheme: a logical name");
    assertTrue(ConfigLocator.namesResource(URI.create("memjcache-prod.json")), "no scheme, .json: a relative path");
  }

  @Test
  void resolve_relativeJsonPath_readsThatFileRatherThanIgnoringIt() {
    Path config = file("relative.json", """
        {"servers": ["from-relative:5"]}""");
    URI relative = URI.create(Path.of("").toAbsolutePath().relativize(config).toString().replace('\\', '/'));
    assertNull(relative.getScheme());
    ManagerSettings settings = resolve(relative, loader, Configs.empty());
    assertEquals(List.of("from-relative:5"), hostsAndPorts(settings));
    assertEquals(config.toUri(), settings.configuration());
    assertThrows(ConfigException.class, () -> resolve(URI.create("no-such-memjcache.json"), loader, Configs.empty()),
        "a missing one is an error, as for any named file");
  }

  @Test
  void resolve_plainHttpConfigurationUrl_isRefusedBeforeAnythingIsFetched() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> resolve(URI.create("http://127.0.0.1:1/memjcache.json"), loader, Configs.empty()));
    assertTrue(e.getMessage().contains("use https:"), e.getMessage());
  }

  @Test
  void resolve_managerPropertyNamesFile_beatsTheSystemProperty() {
    Path config = file("managed.json", """
        {"servers": "from-manager-property:6"}""");
    Path other = file("other.json", """
        {"servers": "from-sysprop:7"}""");
    Environment environment = Configs.environment(Map.of(), Map.of("memjcache.config", other.toString()));
    ManagerSettings settings = resolve(LOGICAL, loader, environment, "memjcache.config", config.toString());
    assertEquals(List.of("from-manager-property:6"), hostsAndPorts(settings));
    assertEquals(config.toUri(), settings.configuration());
  }

  @Test
  void resolve_unknownMemjcacheManagerProperty_isAnErrorNamingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> resolve(LOGICAL, loader, Configs.empty(), "memjcache.operationTimeoutMilis", "100"));
    assertTrue(e.getMessage().contains("memjcache.operationTimeoutMilis"), e.getMessage());
    assertTrue(e.getMessage().contains("memjcache.operationTimeoutMillis"), "lists the real ones: " + e.getMessage());
    assertDoesNotThrow(() -> resolve(LOGICAL, loader, Configs.empty(), "hibernate.cache.foo", "x", "other", "y"));
  }

  // ------------------------------------------------------------------ configured elsewhere

  @Test
  void resolve_systemPropertyNamesFile_asPathOrUri() {
    Path config = file("sys.json", """
        {"servers": "from-sysprop:3"}""");
    for (String value : List.of(config.toString(), config.toUri().toString())) {
      Environment environment = Configs.environment(Map.of(), Map.of("memjcache.config", value));
      ManagerSettings settings = resolve(LOGICAL, loader, environment);
      assertEquals(List.of("from-sysprop:3"), hostsAndPorts(settings), value);
      assertEquals(config.toUri(), settings.configuration());
    }
  }

  @Test
  void resolve_environmentVariableNamesFile() {
    Path config = file("env.json", """
        {"servers": "from-env:4"}""");
    Environment environment = Configs.environment(Map.of("MEMJCACHE_CONFIG", config.toString()), Map.of());
    assertEquals(List.of("from-env:4"), hostsAndPorts(resolve(LOGICAL, loader, environment)));
  }

  @Test
  void resolve_systemProperty_beatsEnvironmentVariable_beatsClassPathDefault() throws Exception {
    Path bySysprop = file("a.json", "{\"servers\": \"a:1\"}");
    Path byEnv = file("b.json", "{\"servers\": \"b:2\"}");
    try (URLClassLoader withDefault = classPathWithDefaultFile()) {
      Environment both = Configs.environment(Map.of("MEMJCACHE_CONFIG", byEnv.toString()),
          Map.of("memjcache.config", bySysprop.toString()));
      assertEquals(List.of("a:1"), hostsAndPorts(resolve(LOGICAL, withDefault, both)));
      Environment envOnly = Configs.environment(Map.of("MEMJCACHE_CONFIG", byEnv.toString()), Map.of("memjcache.config", " "));
      assertEquals(List.of("b:2"), hostsAndPorts(resolve(LOGICAL, withDefault, envOnly)), "blank is unset");
      assertEquals(List.of("classpath-default:11211"), hostsAndPorts(resolve(LOGICAL, withDefault, Configs.empty())));
    }
  }

  @Test
  void resolve_configuredButMissing_isAnError() {
    Environment environment = Configs.environment(Map.of("MEMJCACHE_CONFIG", dir.resolve("gone.json").toString()), Map.of());
    ConfigException e = assertThrows(ConfigException.class, () -> resolve(LOGICAL, loader, environment));
    assertTrue(e.getMessage().contains("gone.json: configuration file not found"), e.getMessage());
  }

  @Test
  void resolve_classPathDefault_isReadThroughTheManagersClassLoader() throws Exception {
    try (URLClassLoader withDefault = classPathWithDefaultFile()) {
      ManagerSettings settings = resolve(LOGICAL, withDefault, Configs.empty());
      assertEquals(List.of("classpath-default:11211"), hostsAndPorts(settings));
      assertTrue(settings.forCache("any").statisticsEnabled());
      assertEquals(URI.create("classpath:memjcache.json"), settings.configuration());
    }
    ManagerSettings without = resolve(LOGICAL, loader, Configs.empty());
    assertNull(without.configuration(), "the test class path has no memjcache.json at its root");
    assertEquals(List.of("localhost:11211"), hostsAndPorts(without));
  }

  @Test
  void resolve_nothingConfigured_serversFromPropertyOrEnvironmentOrLocalhost() {
    assertEquals(List.of("localhost:11211"), hostsAndPorts(resolve(LOGICAL, loader, Configs.empty())));
    assertEquals(List.of("e:1"), hostsAndPorts(resolve(LOGICAL, loader,
        Configs.environment(Map.of("MEMJCACHE_SERVERS", "e:1"), Map.of()))));
    assertEquals(List.of("s:1", "s:2"), hostsAndPorts(resolve(LOGICAL, loader,
        Configs.environment(Map.of("MEMJCACHE_SERVERS", "e:1"), Map.of("memjcache.servers", "s:1, s:2")))));
  }

  @Test
  void resolve_memcachedUriWithDefaultFile_serversFromUriEverythingElseFromFile() {
    Path config = file("secure.json", """
        {"servers": ["file:1"], "tls": {}, "encryption": {"keyRing": {"env": "KEYS"}}}""");
    Environment environment =
        Configs.environment(Map.of("KEYS", "ring"), Map.of("memjcache.config", config.toString()));
    ManagerSettings settings = resolve(URI.create("memcached://direct:5"), loader, environment);
    assertEquals(List.of("direct:5"), hostsAndPorts(settings));
    assertEquals(TlsSettings.builder().build(), settings.tls(), "naming servers never drops TLS");
    assertEquals(EncryptionSettings.builder().keyRing(KeyRingSource.fromEnvironment("KEYS")).build(),
        settings.forCache("c").encryption());
  }

  @Test
  void resolve_fileWithoutServers_usesTheServersFallback() {
    Path config = file("noservers.json", "{}");
    Environment environment = Configs.environment(Map.of("MEMJCACHE_SERVERS", "env:7"), Map.of());
    assertEquals(List.of("env:7"), hostsAndPorts(resolve(config.toUri(), loader, environment)));
    Environment sysprop = Configs.environment(Map.of(), Map.of("memjcache.servers", "sys:8"));
    assertEquals(List.of("sys:8"), hostsAndPorts(resolve(config.toUri(), loader, sysprop)));
  }

  @Test
  void resolve_serversSystemProperty_doesNotOverrideTheFile() {
    Path config = file("servers.json", "{\"servers\": \"file:1\"}");
    Environment environment = Configs.environment(Map.of(), Map.of("memjcache.servers", "sys:8"));
    assertEquals(List.of("file:1"), hostsAndPorts(resolve(config.toUri(), loader, environment)));
  }

  // ------------------------------------------------------------------ properties override the file

  private static final String TUNED = """
      {
        "servers": ["file:1"],
        "connection": {"connectTimeout": "PT9S", "operationTimeout": "PT9S", "maxInFlight": 9, "connectionsPerNode": 2},
        "defaults": {"generationRefresh": 900, "javaSerialization": {"allowedPatterns": ["com.file.*"]}},
        "templates": {"special.*": {"generationRefresh": 5}}
      }""";

  @Test
  void resolve_managerProperties_overrideTheFile() {
    Path config = file("tuned.json", TUNED);
    ManagerSettings settings = resolve(config.toUri(), loader, Configs.empty(),
        "memjcache.servers", "prop:1,prop:2",
        "memjcache.connectTimeoutMillis", "1000",
        "memjcache.operationTimeoutMillis", "2000",
        "memjcache.maxInFlight", "3",
        "memjcache.connectionsPerNode", "1",
        "memjcache.generationRefreshMillis", "4",
        "memjcache.serialization.allowedPatterns", "com.prop.*; com.prop2.*");
    assertEquals(List.of("prop:1", "prop:2"), hostsAndPorts(settings));
    assertEquals(Duration.ofSeconds(1), settings.connection().connectTimeout());
    assertEquals(Duration.ofSeconds(2), settings.connection().operationTimeout());
    assertEquals(3, settings.connection().maxInFlight());
    assertEquals(1, settings.connectionsPerNode());
    assertEquals(4, settings.generationRefreshMillis());
    assertEquals(List.of("com.prop.*", "com.prop2.*"), settings.javaSerialization().allowedPatterns());
    assertEquals(5, settings.forCache("special.one").generationRefreshMillis(), "templates still refine");
    assertEquals(4, settings.forCache("plain").generationRefreshMillis());
  }

  @Test
  void resolve_withoutProperties_fileValuesStand() {
    ManagerSettings settings = resolve(file("tuned.json", TUNED).toUri(), loader, Configs.empty());
    assertEquals(List.of("file:1"), hostsAndPorts(settings));
    assertEquals(Duration.ofSeconds(9), settings.connection().connectTimeout());
    assertEquals(9, settings.connection().maxInFlight());
    assertEquals(2, settings.connectionsPerNode());
    assertEquals(900, settings.generationRefreshMillis());
    assertEquals(List.of("com.file.*"), settings.javaSerialization().allowedPatterns());
  }

  @Test
  void resolve_systemProperties_overrideTheFile_managerPropertiesWin() {
    Path config = file("tuned.json", TUNED);
    Environment environment = Configs.environment(Map.of(),
        Map.of("memjcache.operationTimeoutMillis", "1234", "memjcache.generationRefreshMillis", "11"));
    ManagerSettings settings = resolve(config.toUri(), loader, environment, "memjcache.generationRefreshMillis", "22");
    assertEquals(Duration.ofMillis(1234), settings.connection().operationTimeout());
    assertEquals(22, settings.generationRefreshMillis());
  }

  @Test
  void resolve_badProperty_namesIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> resolve(LOGICAL, loader, Configs.empty(), "memjcache.connectionsPerNode", "0"));
    assertEquals("property memjcache.connectionsPerNode must be at least 1, was 0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> resolve(LOGICAL, loader, Configs.empty(), "memjcache.serialization.allowedPatterns", "a;maxdepth=2"));
    assertTrue(e.getMessage().startsWith("property memjcache.serialization.allowedPatterns: "), e.getMessage());
  }

  // ------------------------------------------------------------------ what the manager gets

  @Test
  void resolve_exposesSecurityDefaultsTemplatesAndDeclaredCaches() {
    Path config = file("full.json", """
        {
          "tls": {"engine": "jdk"},
          "sasl": {"username": "app", "password": {"env": "PW"}},
          "defaults": {"valueFormat": "json"},
          "templates": {"x.*": {"encryption": {"keyRing": {"env": "PW"}, "hashKeys": false}}},
          "caches": {"orders": {}, "sessions": {"valueFormat": "bytes"}}
        }""");
    ManagerSettings settings = resolve(config.toUri(), loader, Configs.environment(Map.of("PW", "x"), Map.of()));
    assertEquals(TlsSettings.Engine.JDK, settings.tls().engine());
    assertEquals("app", settings.sasl().username());
    assertNull(settings.encryption());
    assertEquals(List.of("orders", "sessions"), settings.declaredCaches());
    assertEquals(SerializationFormat.BYTES, settings.forCache("sessions").valueFormat());
    assertEquals(SerializationFormat.JSON, settings.forCache("orders").valueFormat());
    assertFalse(settings.forCache("x.y").encryption().hashKeys());
    assertEquals(settings.tls(), settings.forCache("x.y").tls());
    assertEquals(JavaSerializationSettings.DEFAULTS, settings.javaSerialization());
    assertEquals(16, settings.indexSegments());
  }

  // ------------------------------------------------------------------ the default URI

  @Test
  void defaultUri_followsTheSameOrder() throws Exception {
    Path config = file("d.json", "{}");
    assertEquals(config.toUri(), ManagerSettings.defaultUri(loader,
        Configs.environment(Map.of(), Map.of("memjcache.config", config.toString()))));
    assertEquals(URI.create("classpath:config/resolution/app.json"), ManagerSettings.defaultUri(loader,
        Configs.environment(Map.of("MEMJCACHE_CONFIG", "classpath:config/resolution/app.json"), Map.of())));
    try (URLClassLoader withDefault = classPathWithDefaultFile()) {
      URI uri = ManagerSettings.defaultUri(withDefault, Configs.empty());
      assertEquals(URI.create("classpath:memjcache.json"), uri);
      assertEquals(List.of("classpath-default:11211"), hostsAndPorts(resolve(uri, withDefault, Configs.empty())));
    }
    assertEquals(URI.create("memcached://localhost:11211"), ManagerSettings.defaultUri(loader, Configs.empty()));
    assertEquals(URI.create("memcached://a:1,b:2"), ManagerSettings.defaultUri(loader,
        Configs.environment(Map.of("MEMJCACHE_SERVERS", " a:1, b:2 "), Map.of())));
  }

  // ------------------------------------------------------------------ through the provider

  @Test
  void provider_fileUri_givesAManagerOfThatUri() {
    Path config = file("p.json", "{\"servers\": \"127.0.0.1:1\"}");
    MemcachedCachingProvider provider = new MemcachedCachingProvider();
    try {
      CacheManager manager = provider.getCacheManager(config.toUri(), loader);
      assertEquals(config.toUri(), manager.getURI());
    } finally {
      provider.close();
    }
  }

  @Test
  void provider_badConfiguration_isACacheException() {
    Path config = file("bad.json", "{\"connection\": {\"maxInFlight\": \"8192\"}}");
    MemcachedCachingProvider provider = new MemcachedCachingProvider();
    try {
      CacheException e = assertThrows(CacheException.class, () -> provider.getCacheManager(config.toUri(), loader));
      assertInstanceOf(ConfigException.class, e.getCause());
      assertTrue(e.getMessage().contains("$.connection.maxInFlight: expected an integer"), e.getMessage());
      assertThrows(CacheException.class, () -> provider.getCacheManager(dir.resolve("none.json").toUri(), loader));
    } finally {
      provider.close();
    }
  }

  @Test
  void provider_defaultUri_isTheConfiguredFile() {
    Path config = file("default.json", "{}");
    String saved = System.getProperty("memjcache.config");
    System.setProperty("memjcache.config", config.toString());
    MemcachedCachingProvider provider = new MemcachedCachingProvider();
    try {
      assertEquals(config.toUri(), provider.getDefaultURI());
      assertEquals(config.toUri(), provider.getCacheManager().getURI());
    } finally {
      provider.close();
      if (saved == null) {
        System.clearProperty("memjcache.config");
      } else {
        System.setProperty("memjcache.config", saved);
      }
    }
  }
}
