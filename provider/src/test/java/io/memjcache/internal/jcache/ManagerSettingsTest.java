package io.memjcache.internal.jcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.memjcache.serialization.JavaSerializationSettings;
import io.memjcache.internal.transport.ConnectionSettings;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How a manager's URI and properties become its settings: memcached:// URIs name servers, other
 * URIs use the default list, properties override and fall back to system properties of the same
 * name, and bad values fail with a message naming what is wrong.
 */
class ManagerSettingsTest {
  private static final List<String> SYSTEM_PROPERTIES = List.of("memjcache.servers",
      "memjcache.operationTimeoutMillis", "memjcache.generationRefreshMillis", "memjcache.serialization.allowedPatterns");

  private final Map<String, String> saved = new HashMap<>();

  {
    for (String name : SYSTEM_PROPERTIES) {
      saved.put(name, System.getProperty(name));
    }
  }

  @AfterEach
  void restoreSystemProperties() {
    saved.forEach((name, value) -> {
      if (value == null) {
        System.clearProperty(name);
      } else {
        System.setProperty(name, value);
      }
    });
  }

  private static ManagerSettings resolve(String uri, String... properties) {
    Properties props = new Properties();
    for (int i = 0; i < properties.length; i += 2) {
      props.setProperty(properties[i], properties[i + 1]);
    }
    return ManagerSettings.resolve(URI.create(uri), props);
  }

  private static List<String> hostsAndPorts(ManagerSettings settings) {
    return settings.servers().stream().map(a -> a.getHostString() + ":" + a.getPort()).toList();
  }

  // ------------------------------------------------------------------ connections per node

  @Test
  void resolve_connectionsPerNode_reachesTheClientOfEveryCache_withAndWithoutSecurity() {
    ManagerSettings settings = resolve("memcached://cache-1:11211", "memjcache.connectionsPerNode", "3");
    assertEquals(3, settings.connectionsPerNode());
    assertEquals(3, settings.clientSettings().connectionsPerNode());
    assertEquals(3, ClientFactory.settings(settings, null, null).connectionsPerNode());
    assertEquals(3, ClientFactory.settings(settings, null,
        io.memjcache.config.SaslSettings.builder().username("user")
            .password(io.memjcache.config.Secret.of("secret")).build()).connectionsPerNode());
  }

  @Test
  void resolve_connectionsPerNodeUnset_isOne() {
    assertEquals(1, ClientFactory.settings(resolve("memcached://cache-1:11211"), null, null).connectionsPerNode());
  }

  // ------------------------------------------------------------------ servers

  @Test
  void resolve_memcachedUri_namesTheServersInOrder() {
    ManagerSettings settings = resolve("memcached://cache-1:11211,cache-2:11311,10.0.0.7:11411");
    assertEquals(List.of("cache-1:11211", "cache-2:11311", "10.0.0.7:11411"), hostsAndPorts(settings));
  }

  @Test
  void resolve_memcachedUriWithoutPort_usesPort11211() {
    assertEquals(List.of("cache-1:11211", "cache-2:11212"), hostsAndPorts(resolve("memcached://cache-1,cache-2:11212")));
  }

  @Test
  void resolve_memcachedUriWithIpv6Address_parsesBrackets() {
    List<InetSocketAddress> servers = resolve("memcached://[::1]:11311").servers();
    assertEquals(1, servers.size());
    assertEquals("::1", servers.get(0).getHostString());
    assertEquals(11311, servers.get(0).getPort());
  }

  @Test
  void resolve_schemeInOtherCase_isStillAServerUri() {
    assertEquals(List.of("cache-1:1"), hostsAndPorts(resolve("MEMCACHED://cache-1:1")));
  }

  @Test
  void resolve_memcachedUriWithoutServer_throws() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> resolve("memcached:///"));
    assertTrue(e.getMessage().contains("names no memcached server"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> resolve("memcached:opaque"));
  }

  @Test
  void resolve_memcachedUriWithBadPort_throwsNamingTheAddress() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> resolve("memcached://cache-1:port"));
    assertTrue(e.getMessage().contains("cache-1:port"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> resolve("memcached://cache-1:70000"));
  }

  @Test
  void resolve_otherUri_usesServersSystemProperty() {
    System.setProperty("memjcache.servers", "from-system:1,from-system:2");
    assertEquals(List.of("from-system:1", "from-system:2"), hostsAndPorts(resolve("urn:app:orders")));
    assertEquals(List.of("from-system:1", "from-system:2"), hostsAndPorts(resolve("urn:app:other")));
  }

  @Test
  void resolve_otherUriWithoutConfiguredServers_usesLocalhost() {
    assumeTrue(System.getenv(ManagerSettings.SERVERS_ENV) == null, "MEMJCACHE_SERVERS is set here");
    System.clearProperty("memjcache.servers");
    assertEquals(List.of("localhost:11211"), hostsAndPorts(resolve("urn:app:orders")));
  }

  @Test
  void resolve_serversProperty_overridesEveryUri() {
    assertEquals(List.of("override:5"), hostsAndPorts(resolve("memcached://cache-1:1", "memjcache.servers", "override:5")));
    assertEquals(List.of("override:5", "override:6"),
        hostsAndPorts(resolve("urn:app", "memjcache.servers", "override:5, override:6")));
  }

  @Test
  void resolve_serversSystemProperty_doesNotOverrideServersOfTheUri() {
    System.setProperty("memjcache.servers", "from-system:1");
    assertEquals(List.of("cache-1:1"), hostsAndPorts(resolve("memcached://cache-1:1")));
  }

  @Test
  void resolve_emptyServersProperty_throws() {
    assertThrows(IllegalArgumentException.class, () -> resolve("memcached://cache-1:1", "memjcache.servers", " , "));
  }

  @Test
  void defaultUri_serversSystemProperty_becomesMemcachedUriWithoutWhitespace() {
    System.setProperty("memjcache.servers", " cache-a:1, cache-b:2 ");
    assertEquals(URI.create("memcached://cache-a:1,cache-b:2"), ManagerSettings.defaultUri());
  }

  @Test
  void defaultUri_serverListThatIsNoUri_throws() {
    System.setProperty("memjcache.servers", "cache|a:1");
    assertThrows(IllegalArgumentException.class, ManagerSettings::defaultUri);
  }

  // ------------------------------------------------------------------ tunables

  @Test
  void resolve_noProperties_usesDefaults() {
    System.clearProperty("memjcache.operationTimeoutMillis");
    System.clearProperty("memjcache.generationRefreshMillis");
    System.clearProperty("memjcache.serialization.allowedPatterns");
    ManagerSettings settings = resolve("memcached://cache-1:1");
    assertEquals(ConnectionSettings.DEFAULTS, settings.connection());
    assertEquals(ManagerSettings.DEFAULT_GENERATION_REFRESH_MILLIS, settings.generationRefreshMillis());
    assertEquals(1000, settings.generationRefreshMillis(), "the documented default");
    assertEquals(ManagerSettings.DEFAULT_INDEX_SEGMENTS, settings.indexSegments());
    assertEquals(JavaSerializationSettings.DEFAULTS, settings.javaSerialization());
  }

  @Test
  void resolve_timeoutAndInFlightProperties_setConnectionSettings() {
    ManagerSettings settings = resolve("memcached://cache-1:1",
        "memjcache.operationTimeoutMillis", "750",
        "memjcache.connectTimeoutMillis", " 1500 ",
        "memjcache.maxInFlight", "64");
    assertEquals(Duration.ofMillis(750), settings.connection().operationTimeout());
    assertEquals(Duration.ofMillis(1500), settings.connection().connectTimeout());
    assertEquals(64, settings.connection().maxInFlight());
    assertEquals(settings.connection(), settings.clientSettings().connection());
    assertEquals(settings.servers(), settings.clientSettings().servers());
  }

  @Test
  void resolve_generationRefreshMillis_isReadAndZeroAllowed() {
    assertEquals(100, resolve("memcached://cache-1:1", "memjcache.generationRefreshMillis", "100").generationRefreshMillis());
    assertEquals(0, resolve("memcached://cache-1:1", "memjcache.generationRefreshMillis", "0").generationRefreshMillis());
  }

  @Test
  void resolve_negativeGenerationRefreshMillis_throws() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> resolve("memcached://cache-1:1", "memjcache.generationRefreshMillis", "-1"));
    assertTrue(e.getMessage().contains("memjcache.generationRefreshMillis"), e.getMessage());
  }

  @Test
  void resolve_propertyThatIsNoNumber_throwsNamingProperty() {
    for (String name : List.of("memjcache.operationTimeoutMillis", "memjcache.connectTimeoutMillis",
        "memjcache.maxInFlight", "memjcache.generationRefreshMillis")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> resolve("memcached://cache-1:1", name, "1s"), name);
      assertTrue(e.getMessage().contains(name) && e.getMessage().contains("1s"), e.getMessage());
    }
  }

  @Test
  void resolve_zeroOperationTimeout_throws() {
    assertThrows(IllegalArgumentException.class,
        () -> resolve("memcached://cache-1:1", "memjcache.operationTimeoutMillis", "0"));
    assertThrows(IllegalArgumentException.class, () -> resolve("memcached://cache-1:1", "memjcache.maxInFlight", "0"));
  }

  @Test
  void resolve_systemProperty_isFallbackAndManagerPropertyWins() {
    System.setProperty("memjcache.generationRefreshMillis", "40");
    System.setProperty("memjcache.operationTimeoutMillis", "900");
    assertEquals(40, resolve("memcached://cache-1:1").generationRefreshMillis());
    assertEquals(Duration.ofMillis(900), resolve("memcached://cache-1:1").connection().operationTimeout());
    assertEquals(60, resolve("memcached://cache-1:1", "memjcache.generationRefreshMillis", "60").generationRefreshMillis());
  }

  // ------------------------------------------------------------------ serialization allowlist

  @Test
  void resolve_allowedPatterns_splitAtSemicolonsAndCommas() {
    ManagerSettings settings = resolve("memcached://cache-1:1",
        "memjcache.serialization.allowedPatterns", " com.example.domain.** ; com.example.dto.*,com.example.Money ");
    assertEquals(List.of("com.example.domain.**", "com.example.dto.*", "com.example.Money"),
        settings.javaSerialization().allowedPatterns());
  }

  @Test
  void resolve_blankAllowedPatterns_keepDefaults() {
    assertEquals(JavaSerializationSettings.DEFAULTS,
        resolve("memcached://cache-1:1", "memjcache.serialization.allowedPatterns", "  ").javaSerialization());
  }

  @Test
  void resolve_allowedPatternsSystemProperty_isFallback() {
    System.setProperty("memjcache.serialization.allowedPatterns", "com.example.FromSystem");
    assertEquals(List.of("com.example.FromSystem"), resolve("memcached://cache-1:1").javaSerialization().allowedPatterns());
    assertEquals(List.of("com.example.FromManager"), resolve("memcached://cache-1:1",
        "memjcache.serialization.allowedPatterns", "com.example.FromManager").javaSerialization().allowedPatterns());
  }

  @Test
  void resolve_invalidAllowedPattern_throws() {
    assertThrows(IllegalArgumentException.class,
        () -> resolve("memcached://cache-1:1", "memjcache.serialization.allowedPatterns", "com.example.Ok;maxdepth=5"), "limits are not patterns");
  }
}
