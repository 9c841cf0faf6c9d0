package io.memjcache.internal.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.config.EncryptionSettings;
import io.memjcache.config.KeyRingSource;
import io.memjcache.config.SaslSettings;
import io.memjcache.config.Secret;
import io.memjcache.config.SerializationFormat;
import io.memjcache.config.TlsSettings;
import io.memjcache.internal.transport.ConnectionSettings;
import io.memjcache.serialization.JavaSerializationSettings;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.expiry.ModifiedExpiryPolicy;
import javax.cache.expiry.TouchedExpiryPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every field of the configuration file, read into the settings it stands for. */
class ConfigParsingTest {
  @TempDir
  Path dir;

  private static List<String> hostsAndPorts(List<InetSocketAddress> servers) {
    return servers.stream().map(a -> a.getHostString() + ":" + a.getPort()).toList();
  }

  /** The test resource config/full.json, which sets every field, with the files and variables it names. */
  private ConfigFile full() throws Exception {
    for (String name : List.of("ca.pem", "client.pem", "client.key", "keys.p12")) {
      Configs.write(dir.resolve(name), "-----BEGIN " + name + "-----\n");
    }
    Configs.write(dir.resolve("key-password"), "key-secret\n");
    Environment environment = Configs.environment(Map.of("SASL_USER", "app", "SASL_PASSWORD", "s3cret",
        "MEMJCACHE_KEYS", "ring", "P12_PASSWORD", "p12"),
        Map.of("test.dir", dir.toString(), "sessions.password", "pw"));
    URI uri = getClass().getResource("/config/full.json").toURI();
    return ConfigLoader.load(uri, getClass().getClassLoader(), environment);
  }

  @Test
  void load_fullFile_readsServersAndConnection() throws Exception {
    ConfigFile file = full();
    assertEquals(List.of("cache-1:11311", "::1:11312", "cache-3:11211"), hostsAndPorts(file.servers()));
    assertEquals(Duration.ofSeconds(3), file.connectTimeout());
    assertEquals(Duration.ofMillis(1500), file.operationTimeout());
    assertEquals(1, file.connectionsPerNode());
    assertEquals(512, file.maxInFlight());
    assertEquals(2048, file.maxResponseBodyBytes());
    assertTrue(file.source().endsWith("config/full.json"), file.source());
  }

  @Test
  void load_fullFile_readsTls() throws Exception {
    TlsSettings tls = full().tls();
    assertEquals(dir.resolve("ca.pem"), tls.trustCertificates().orElseThrow());
    assertEquals(dir.resolve("client.pem"), tls.clientCertificate().orElseThrow());
    assertEquals(dir.resolve("client.key"), tls.clientKey().orElseThrow());
    Secret keyPassword = tls.clientKeyPassword().orElseThrow();
    assertEquals("file:" + dir.resolve("key-password"), keyPassword.source());
    assertArrayEquals("key-secret".toCharArray(), keyPassword.reveal());
    assertFalse(tls.hostnameVerification());
    assertEquals(TlsSettings.Protocol.TLS_1_3, tls.minimumProtocol());
    assertEquals(List.of("TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256"), tls.cipherSuites());
    assertEquals(TlsSettings.Engine.JDK, tls.engine());
  }

  @Test
  void load_fullFile_readsSaslAndEncryption() throws Exception {
    ConfigFile file = full();
    SaslSettings sasl = file.sasl();
    assertEquals("app", sasl.username());
    assertEquals("env:SASL_PASSWORD", sasl.password().source(), "read when needed, from the environment");
    assertEquals(List.of("SCRAM-SHA-256", "PLAIN"), sasl.mechanisms());
    assertTrue(sasl.allowPlainWithoutTls());
    assertEquals(EncryptionSettings.builder().keyRing(KeyRingSource.fromEnvironment("MEMJCACHE_KEYS"))
        .algorithm(EncryptionSettings.Algorithm.AES_256_GCM_SIV).hashKeys(false).refreshInterval(Duration.ofMinutes(1))
        .build(), file.encryption());
    assertEquals("env:MEMJCACHE_KEYS", file.encryption().keyRing().orElseThrow().description());
  }

  @Test
  void load_fullFile_readsDefaults() throws Exception {
    CacheDefaults defaults = full().cacheTemplates(CacheDefaults.BUILT_IN, CacheTemplate.EMPTY).defaults();
    assertEquals(new ExpirySettings(ExpirySettings.Policy.MODIFIED, Duration.ofMinutes(10)), defaults.expiry());
    assertTrue(defaults.statisticsEnabled());
    assertTrue(defaults.managementEnabled());
    assertEquals(SerializationFormat.STRING, defaults.keyFormat());
    assertEquals(SerializationFormat.JSON, defaults.valueFormat());
    assertEquals(250, defaults.generationRefreshMillis());
    assertEquals(new JavaSerializationSettings(List.of("com.example.domain.**", "com.example.Money"), 20, 1000, 65536,
        100), defaults.javaSerialization());
    assertEquals(TlsSettings.Engine.JDK, defaults.tls().engine(), "the top-level security blocks are the defaults");
    assertEquals("app", defaults.sasl().username());
    assertEquals(EncryptionSettings.Algorithm.AES_256_GCM_SIV, defaults.encryption().algorithm());
  }

  @Test
  void load_fullFile_readsTemplatesAndCaches() throws Exception {
    CacheTemplates templates = full().cacheTemplates(CacheDefaults.BUILT_IN, CacheTemplate.EMPTY);
    assertEquals(List.of("com.example.domain.*", "com.example.domain.Order*"), templates.patterns());
    assertEquals(List.of("sessions", "reference-data"), templates.declaredCaches());

    CacheDefaults order = templates.forCache("com.example.domain.Order");
    assertEquals(new ExpirySettings(ExpirySettings.Policy.TOUCHED, Duration.ofHours(1)), order.expiry());
    assertEquals(SerializationFormat.JAVA, order.valueFormat());
    assertFalse(order.statisticsEnabled());
    assertEquals(EncryptionSettings.builder()
        .keyRing(KeyRingSource.fromPkcs12(dir.resolve("keys.p12"), Secret.fromEnvironment("P12_PASSWORD"))).build(),
        order.encryption(), "the template's block replaces the top level's");
    assertEquals(SerializationFormat.STRING, order.keyFormat(), "from defaults");

    CacheDefaults sessions = templates.forCache("sessions");
    assertEquals(new ExpirySettings(ExpirySettings.Policy.ACCESSED, Duration.ofSeconds(30)), sessions.expiry());
    assertEquals(SerializationFormat.BYTES, sessions.valueFormat());
    assertEquals("sessions", sessions.sasl().username());
    assertEquals("sysprop:sessions.password", sessions.sasl().password().source());

    CacheDefaults reference = templates.forCache("reference-data");
    assertEquals(ExpirySettings.ETERNAL, reference.expiry());
    assertEquals(TlsSettings.builder().build(), reference.tls());
  }

  @Test
  void parse_emptyObject_setsNothing() {
    ConfigFile file = Configs.parse("{}");
    assertNull(file.servers());
    assertNull(file.connectTimeout());
    assertNull(file.tls());
    assertNull(file.sasl());
    assertNull(file.encryption());
    assertEquals(CacheTemplate.EMPTY, file.defaults());
    assertEquals(CacheDefaults.BUILT_IN, Configs.forCache("{}", "any"));
  }

  @Test
  void parse_serversAsOneString_splitsAtCommas() {
    ConfigFile file = Configs.parse("""
        {"servers": "a:1, b:2,[::1]:3"}""");
    assertEquals(List.of("a:1", "b:2", "::1:3"), hostsAndPorts(file.servers()));
  }

  @Test
  void parse_serversFromReferenceWithDefault_usesDefaultWhenUnset() {
    String json = """
        {"servers": "${env:MEMCACHED_SERVERS:-fallback:11211}"}""";
    assertEquals(List.of("fallback:11211"), hostsAndPorts(Configs.parse(json).servers()));
    Environment set = Configs.environment(Map.of("MEMCACHED_SERVERS", "x:1,y:2"), Map.of());
    assertEquals(List.of("x:1", "y:2"), hostsAndPorts(Configs.parse(json, set).servers()));
  }

  @Test
  void parse_expiryPolicies_becomeJCacheFactories() {
    javax.cache.expiry.Duration tenMinutes = new javax.cache.expiry.Duration(TimeUnit.MILLISECONDS, 600_000);
    Map<String, ExpiryPolicy> expected = Map.of(
        "created", new CreatedExpiryPolicy(tenMinutes),
        "accessed", new AccessedExpiryPolicy(tenMinutes),
        "modified", new ModifiedExpiryPolicy(tenMinutes),
        "touched", new TouchedExpiryPolicy(tenMinutes));
    expected.forEach((policy, expiry) -> {
      CacheDefaults defaults = Configs.forCache(
          "{\"defaults\": {\"expiry\": {\"policy\": \"" + policy + "\", \"duration\": \"PT10M\"}}}", "c");
      assertEquals(expiry, defaults.expiry().factory().create(), policy);
    });
    CacheDefaults eternal = Configs.forCache("""
        {"defaults": {"expiry": {"policy": "ETERNAL"}}}""", "c");
    assertEquals(new EternalExpiryPolicy(), eternal.expiry().factory().create(), "names ignore case");
  }

  @Test
  void parse_zeroExpiry_isJCacheZero() {
    CacheDefaults defaults = Configs.forCache("""
        {"defaults": {"expiry": {"policy": "created", "duration": 0}}}""", "c");
    assertEquals(javax.cache.expiry.Duration.ZERO, defaults.expiry().factory().create().getExpiryForCreation());
  }

  @Test
  void parse_durations_acceptIsoAndMillis() {
    assertEquals(Duration.ofMillis(1500), Configs.parse("""
        {"connection": {"connectTimeout": "PT1.5S"}}""").connectTimeout());
    assertEquals(Duration.ofDays(2), Configs.parse("""
        {"connection": {"connectTimeout": "P2D"}}""").connectTimeout());
    assertEquals(Duration.ofMillis(1500), Configs.parse("""
        {"connection": {"connectTimeout": 1500}}""").connectTimeout());
  }

  @Test
  void parse_referencesInNumbersBooleansAndDurations_areParsedAsThoseTypes() {
    Environment environment = Configs.environment(
        Map.of("IN_FLIGHT", "64", "STATS", "true", "TIMEOUT", "2500", "REFRESH", "PT0.5S"), Map.of());
    ConfigFile file = Configs.parse("""
        {
          "connection": {"maxInFlight": "${env:IN_FLIGHT}", "operationTimeout": "${env:TIMEOUT}",
                         "connectTimeout": "${env:UNSET:-PT9S}"},
          "defaults": {"statistics": "${env:STATS}", "generationRefresh": "${env:REFRESH}"}
        }""", environment);
    assertEquals(64, file.maxInFlight());
    assertEquals(Duration.ofMillis(2500), file.operationTimeout());
    assertEquals(Duration.ofSeconds(9), file.connectTimeout());
    assertTrue(file.defaults().statisticsEnabled());
    assertEquals(Duration.ofMillis(500), file.defaults().generationRefresh());
  }

  @Test
  void parse_formats_allFiveNames() {
    for (SerializationFormat format : SerializationFormat.values()) {
      String name = format.name().toLowerCase(java.util.Locale.ROOT);
      assertEquals(format, Configs.forCache("{\"defaults\": {\"keyFormat\": \"" + name + "\", \"valueFormat\": \""
          + name + "\"}}", "c").valueFormat());
    }
  }

  @Test
  void parse_trustStoreAndKeyStore_withPasswords() {
    Path trust = Configs.write(dir.resolve("trust.p12"), "x");
    Path keys = Configs.write(dir.resolve("keys.p12"), "x");
    Environment environment = Configs.environment(Map.of("TRUST_PW", "a"), Map.of("key.pw", "b"));
    TlsSettings tls = Configs.parse("{\"tls\": {\"trustStore\": \"" + trust + "\", \"trustStorePassword\": \"${env:TRUST_PW}\","
        + " \"keyStore\": \"" + keys + "\", \"keyStorePassword\": \"${sys:key.pw}\", \"engine\": \"openssl\","
        + " \"minimumProtocol\": \"TLSv1.2\"}}", environment).tls();
    assertEquals(trust, tls.trustStore().orElseThrow());
    assertEquals("env:TRUST_PW", tls.trustStorePassword().orElseThrow().source());
    assertEquals(keys, tls.keyStore().orElseThrow());
    assertEquals("sysprop:key.pw", tls.keyStorePassword().orElseThrow().source());
    assertEquals(TlsSettings.Engine.OPENSSL, tls.engine());
    assertTrue(tls.mutual());
  }

  @Test
  void parse_emptyTlsBlock_isTlsWithDefaults() {
    TlsSettings tls = Configs.parse("""
        {"tls": {}}""").tls();
    assertEquals(TlsSettings.builder().build(), tls);
    assertTrue(tls.hostnameVerification(), "verification stays on unless turned off");
  }

  @Test
  void parse_secretSources_envSyspropFileAndReferences() {
    Path file = Configs.write(dir.resolve("pw"), "from-file\n");
    Environment environment = Configs.environment(Map.of("PW", "e"), Map.of("pw", "s", "dir", dir.toString()));
    Map<String, String> sources = Map.of(
        "{\"env\": \"PW\"}", "env:PW",
        "{\"sysprop\": \"pw\"}", "sysprop:pw",
        "{\"file\": \"${sys:dir}/pw\"}", "file:" + file,
        "\"${env:PW}\"", "env:PW",
        "\"${sys:pw}\"", "sysprop:pw");
    sources.forEach((json, source) -> {
      SaslSettings sasl = Configs.parse("{\"sasl\": {\"username\": \"u\", \"password\": " + json + "}}", environment).sasl();
      assertEquals(source, sasl.password().source(), json);
    });
  }

  @Test
  void parse_keyRingSources_textInASecretOrAPkcs12Store() {
    Path store = Configs.write(dir.resolve("keys.p12"), "x");
    Environment environment = Configs.environment(Map.of("KEYS", "ring"), Map.of("keys", "ring", "pw", "x",
        "dir", dir.toString()));
    Map<String, String> sources = Map.of(
        "{\"env\": \"KEYS\"}", "env:KEYS",
        "\"${env:KEYS}\"", "env:KEYS",
        "{\"sysprop\": \"keys\"}", "sysprop:keys",
        "{\"file\": \"${sys:dir}/keys.p12\"}", "file:" + store,
        "{\"pkcs12\": \"${sys:dir}/keys.p12\", \"password\": {\"sysprop\": \"pw\"}}", "pkcs12:" + store);
    sources.forEach((json, description) -> {
      EncryptionSettings encryption =
          Configs.parse("{\"encryption\": {\"keyRing\": " + json + "}}", environment).encryption();
      assertEquals(description, encryption.keyRing().orElseThrow().description(), json);
      assertEquals(EncryptionSettings.DEFAULT_REFRESH_INTERVAL, encryption.refreshInterval());
      assertTrue(encryption.hashKeys());
    });
  }

  @Test
  void parse_escapedReference_isLiteral() {
    SaslSettings sasl = Configs.parse("""
        {"sasl": {"username": "$${not-a-reference}", "password": {"sysprop": "p"}}}""",
        Configs.environment(Map.of(), Map.of("p", "x"))).sasl();
    assertEquals("${not-a-reference}", sasl.username());
  }

  @Test
  void parse_connectionsPerNodeAboveOne_isAccepted() {
    assertEquals(4, Configs.parse("""
        {"connection": {"connectionsPerNode": 4}}""").connectionsPerNode());
  }

  @Test
  void parse_builtInDefaults_matchTransportAndSerializationDefaults() {
    CacheDefaults builtIn = CacheDefaults.BUILT_IN;
    assertEquals(JavaSerializationSettings.DEFAULTS, builtIn.javaSerialization());
    assertEquals(ExpirySettings.ETERNAL, builtIn.expiry());
    assertEquals(Duration.ofSeconds(1), builtIn.generationRefresh());
    assertEquals(Duration.ofSeconds(5), ConnectionSettings.DEFAULTS.connectTimeout());
  }
}
