package io.memjcache.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Strictness: every problem is an error that names the file and the JSON path of the value, and
 * none falls back to a default. Messages never show a secret.
 */
class ConfigErrorsTest {
  @TempDir
  Path dir;

  private static void assertError(String expected, String json) {
    assertEquals(expected, Configs.error(json).getMessage());
  }

  private static void assertErrorAt(String path, String fragment, String json) {
    String message = Configs.error(json).getMessage();
    assertTrue(message.startsWith(Configs.SOURCE + ": " + path + ": "), message);
    assertTrue(message.contains(fragment), message);
  }

  // ------------------------------------------------------------------ the brief's example

  @Test
  void badDuration_namesFilePathAndValue() {
    assertError("memjcache.json: $.caches[\"orders\"].expiry.duration: expected an ISO-8601 duration such as"
        + " \"PT10M\" or whole milliseconds, got \"10 minutes\"", """
        {"caches": {"orders": {"expiry": {"policy": "created", "duration": "10 minutes"}}}}""");
  }

  // ------------------------------------------------------------------ unknown fields

  @Test
  void unknownField_atTopLevel_isAnError() {
    assertError("memjcache.json: $.server: unknown field; the fields here are servers, connection, cluster, tls,"
        + " sasl, encryption, defaults, templates, caches", """
        {"server": ["a:1"]}""");
  }

  @Test
  void unknownField_nested_isAnError() {
    assertErrorAt("$.connection.conectTimeout", "unknown field", """
        {"connection": {"conectTimeout": "PT1S"}}""");
    assertErrorAt("$.templates[\"com.example.*\"].expiry.ttl", "unknown field", """
        {"templates": {"com.example.*": {"expiry": {"policy": "created", "ttl": "PT1S"}}}}""");
    assertErrorAt("$.defaults.javaSerialization[\"allowed-patterns\"]", "unknown field", """
        {"defaults": {"javaSerialization": {"allowed-patterns": []}}}""");
  }

  @Test
  void securityBlock_inDefaults_isUnknown() {
    assertErrorAt("$.defaults.tls", "unknown field", """
        {"defaults": {"tls": {}}}""");
  }

  @Test
  void readThroughFlag_isUnknown_becauseAFileCannotNameALoader() {
    assertErrorAt("$.defaults.readThrough", "unknown field", """
        {"defaults": {"readThrough": true}}""");
  }

  // ------------------------------------------------------------------ wrong types

  @Test
  void numberWrittenAsString_isNotCoerced() {
    assertError("memjcache.json: $.connection.maxInFlight: expected an integer, got the string \"8192\"", """
        {"connection": {"maxInFlight": "8192"}}""");
  }

  @Test
  void fractionForInteger_isAnError() {
    assertErrorAt("$.connection.maxInFlight", "expected an integer, got 8.5", """
        {"connection": {"maxInFlight": 8.5}}""");
  }

  @Test
  void booleanWrittenAsString_isNotCoerced() {
    assertErrorAt("$.defaults.statistics", "expected true or false, got the string \"true\"", """
        {"defaults": {"statistics": "true"}}""");
    assertErrorAt("$.defaults.management", "expected true or false, got 1", """
        {"defaults": {"management": 1}}""");
  }

  @Test
  void stringExpected_numberGiven_isAnError() {
    assertErrorAt("$.defaults.keyFormat", "got 3", """
        {"defaults": {"keyFormat": 3}}""");
    assertErrorAt("$.servers[1]", "expected a \"host:port\" string, got 11211", """
        {"servers": ["a:1", 11211]}""");
  }

  @Test
  void objectExpected_otherGiven_isAnError() {
    assertErrorAt("$.connection", "expected an object, got an array", """
        {"connection": []}""");
    assertErrorAt("$.tls", "expected an object, got true", """
        {"tls": true}""");
    assertErrorAt("$.templates", "expected an object, got an array", """
        {"templates": []}""");
  }

  @Test
  void arrayExpected_stringGiven_isAnError() {
    assertErrorAt("$.tls.cipherSuites", "expected an array of strings, got the string", """
        {"tls": {"cipherSuites": "TLS_AES_128_GCM_SHA256"}}""");
  }

  @Test
  void nullValue_isAnError() {
    assertErrorAt("$.tls", "null (leave the field out instead)", """
        {"tls": null}""");
  }

  @Test
  void durationAsFraction_isAnError() {
    assertErrorAt("$.connection.connectTimeout", "expected an ISO-8601 duration", """
        {"connection": {"connectTimeout": 1.5}}""");
  }

  @Test
  void durationReferenceThatIsNoDuration_isAnError() {
    ConfigException e = Configs.error("""
        {"connection": {"connectTimeout": "${env:T}"}}""", Configs.environment(Map.of("T", "soon"), Map.of()));
    assertEquals("memjcache.json: $.connection.connectTimeout: expected an ISO-8601 duration such as \"PT10M\" or"
        + " whole milliseconds, got \"soon\" from ${env:T}", e.getMessage());
  }

  @Test
  void integerReferenceThatIsNoInteger_isAnError() {
    ConfigException e = Configs.error("""
        {"connection": {"maxInFlight": "${env:N}"}}""", Configs.environment(Map.of("N", "lots"), Map.of()));
    assertTrue(e.getMessage().contains("expected an integer, got \"lots\" from ${env:N}"), e.getMessage());
  }

  // ------------------------------------------------------------------ required fields

  @Test
  void missingRequiredFields_areErrors() {
    Environment pw = Configs.environment(Map.of(), Map.of("pw", "x"));
    assertEquals("memjcache.json: $.sasl: the required field \"username\" is missing", Configs.error("""
        {"sasl": {"password": {"sysprop": "pw"}}}""", pw).getMessage());
    assertErrorAt("$.sasl", "the required field \"password\" is missing", """
        {"sasl": {"username": "u"}}""");
    assertErrorAt("$.defaults.expiry", "the required field \"policy\" is missing", """
        {"defaults": {"expiry": {"duration": "PT1M"}}}""");
    assertErrorAt("$.defaults.expiry", "the required field \"duration\" is missing", """
        {"defaults": {"expiry": {"policy": "accessed"}}}""");
  }

  @Test
  void eternalWithDuration_isAnError() {
    assertErrorAt("$.defaults.expiry.duration", "the eternal policy takes no duration", """
        {"defaults": {"expiry": {"policy": "eternal", "duration": "PT1M"}}}""");
  }

  // ------------------------------------------------------------------ impossible values

  @Test
  void negativeAndZeroTimeouts_areErrors() {
    assertErrorAt("$.connection.operationTimeout", "must not be negative, got PT-1S", """
        {"connection": {"operationTimeout": "PT-1S"}}""");
    assertErrorAt("$.connection.connectTimeout", "must not be negative", """
        {"connection": {"connectTimeout": -5}}""");
    assertErrorAt("$.connection.connectTimeout", "must be positive, got PT0S", """
        {"connection": {"connectTimeout": 0}}""");
    assertErrorAt("$.defaults.expiry.duration", "must not be negative", """
        {"defaults": {"expiry": {"policy": "created", "duration": -1}}}""");
  }

  @Test
  void subMillisecondDuration_isAnError() {
    assertErrorAt("$.defaults.generationRefresh", "must be whole milliseconds", """
        {"defaults": {"generationRefresh": "PT0.0005S"}}""");
  }

  @Test
  void portZero_isAnError() {
    assertErrorAt("$.servers[0]", "port out of range", """
        {"servers": ["cache:0"]}""");
    assertErrorAt("$.servers", "port out of range", """
        {"servers": "a:1,b:65536"}""");
    assertErrorAt("$.servers[0]", "port is not a number", """
        {"servers": ["cache:http"]}""");
  }

  @Test
  void emptyServerList_isAnError() {
    assertErrorAt("$.servers", "names no server", """
        {"servers": []}""");
    assertErrorAt("$.servers", "names no server", """
        {"servers": " , "}""");
  }

  @Test
  void outOfRangeNumbers_areErrors() {
    assertErrorAt("$.connection.maxInFlight", "must be at least 1, got 0", """
        {"connection": {"maxInFlight": 0}}""");
    assertErrorAt("$.connection.connectionsPerNode", "must be at least 1, got 0", """
        {"connection": {"connectionsPerNode": 0}}""");
    assertErrorAt("$.connection.maxResponseBodyBytes", "must be at least 1024, got 100", """
        {"connection": {"maxResponseBodyBytes": 100}}""");
    assertErrorAt("$.connection.maxInFlight", "must be at most 2147483647, got 3000000000", """
        {"connection": {"maxInFlight": 3000000000}}""");
    assertErrorAt("$.defaults.javaSerialization.maxDepth", "must be at least 1", """
        {"defaults": {"javaSerialization": {"maxDepth": 0}}}""");
    assertErrorAt("$.defaults.javaSerialization.maxArrayLength", "must be at least 0", """
        {"defaults": {"javaSerialization": {"maxArrayLength": -1}}}""");
    assertErrorAt("$.defaults.javaSerialization.maxBytes", "is too large", """
        {"defaults": {"javaSerialization": {"maxBytes": 99999999999999999999}}}""");
  }

  // ------------------------------------------------------------------ names and patterns

  @Test
  void unknownChoices_listTheValidOnes() {
    assertError("memjcache.json: $.defaults.expiry.policy: expected one of \"created\", \"accessed\", \"modified\","
        + " \"touched\", \"eternal\", got \"sometimes\"", """
        {"defaults": {"expiry": {"policy": "sometimes", "duration": "PT1S"}}}""");
    assertErrorAt("$.defaults.valueFormat", "got \"xml\"", """
        {"defaults": {"valueFormat": "xml"}}""");
    assertErrorAt("$.tls.engine", "got \"boringssl\"", """
        {"tls": {"engine": "boringssl"}}""");
    assertErrorAt("$.tls.minimumProtocol", "expected one of \"TLSv1.2\", \"TLSv1.3\", got \"TLSv1.1\"", """
        {"tls": {"minimumProtocol": "TLSv1.1"}}""");
    assertEquals("memjcache.json: $.encryption.algorithm: expected one of \"AES-256-GCM\", \"AES-256-GCM-SIV\", got"
        + " \"AES-128-CBC\"", Configs.error("""
        {"encryption": {"keyRing": {"env": "K"}, "algorithm": "AES-128-CBC"}}""",
        Configs.environment(Map.of("K", "ring"), Map.of())).getMessage());
  }

  @Test
  void unknownSaslMechanism_isAnError() {
    ConfigException e = Configs.error("""
        {"sasl": {"username": "u", "password": {"sysprop": "pw"}, "mechanisms": ["GSSAPI"]}}""",
        Configs.environment(Map.of(), Map.of("pw", "x")));
    assertTrue(e.getMessage().startsWith("memjcache.json: $.sasl.mechanisms: unsupported SASL mechanism 'GSSAPI'"),
        e.getMessage());
  }

  @Test
  void badTemplatePatterns_areErrors() {
    assertErrorAt("$.templates[\"\"]", "must not be empty", """
        {"templates": {"": {}}}""");
    assertErrorAt("$.templates[\"com.example.**\"]", "a single '*' already matches any characters", """
        {"templates": {"com.example.**": {}}}""");
    assertErrorAt("$.templates[\" com.example.*\"]", "white space", """
        {"templates": {" com.example.*": {}}}""");
  }

  @Test
  void patternAsDeclaredCacheName_isAnError() {
    assertErrorAt("$.caches[\"orders.*\"]", "put name patterns under \"templates\"", """
        {"caches": {"orders.*": {}}}""");
    assertErrorAt("$.caches[\"\"]", "must not be empty", """
        {"caches": {"": {}}}""");
  }

  @Test
  void badAllowedPattern_isAnErrorAtItsIndex() {
    assertErrorAt("$.defaults.javaSerialization.allowedPatterns[1]", "not a single class pattern", """
        {"defaults": {"javaSerialization": {"allowedPatterns": ["com.example.**", "com.x;maxdepth=3"]}}}""");
  }

  // ------------------------------------------------------------------ TLS consistency and files

  @Test
  void tlsWithTwoTrustSources_isAnError() {
    Path pem = Configs.write(dir.resolve("ca.pem"), "x");
    Path p12 = Configs.write(dir.resolve("trust.p12"), "x");
    ConfigException e = Configs.error("{\"tls\": {\"trustCertificates\": \"" + pem + "\", \"trustStore\": \"" + p12
        + "\"}}");
    assertEquals("memjcache.json: $.tls: set either trustCertificates (PEM) or trustStore (PKCS#12), not both",
        e.getMessage());
  }

  @Test
  void tlsHalfAClientIdentity_isAnError() {
    Path pem = Configs.write(dir.resolve("client.pem"), "x");
    assertErrorAt("$.tls", "clientCertificate and clientKey go together", "{\"tls\": {\"clientCertificate\": \""
        + pem + "\"}}");
    assertErrorAt("$.tls.trustStorePassword", "needs \"trustStore\" beside it", """
        {"tls": {"trustStorePassword": {"env": "X"}}}""");
  }

  @Test
  void tlsMissingFile_isAnError() {
    Path missing = dir.resolve("nope.pem");
    assertError("memjcache.json: $.tls.trustCertificates: file not found: " + missing, "{\"tls\": {\"trustCertificates\": \""
        + missing + "\"}}");
  }

  // ------------------------------------------------------------------ encryption

  @Test
  void encryptionWithoutKeyRing_isAnError() {
    assertErrorAt("$.encryption", "the required field \"keyRing\" is missing", """
        {"encryption": {}}""");
    assertErrorAt("$.templates[\"x.*\"].encryption", "the required field \"keyRing\" is missing", """
        {"templates": {"x.*": {"encryption": {"hashKeys": false}}}}""");
  }

  @Test
  void keyRingProblems_areErrors() {
    Environment keys = Configs.environment(Map.of("K", "ring"), Map.of());
    assertEquals("memjcache.json: $.encryption.refreshInterval: the key ring refresh interval must be at least one"
        + " second, was PT0.5S", Configs.error("""
        {"encryption": {"keyRing": {"env": "K"}, "refreshInterval": 500}}""", keys).getMessage());
    assertErrorAt("$.encryption.keyRing", "the required field \"pkcs12\" is missing", """
        {"encryption": {"keyRing": {"password": {"env": "K"}}}}""");
    assertErrorAt("$.encryption.keyRing.pkcs12", "file not found", "{\"encryption\": {\"keyRing\": {\"pkcs12\": \""
        + dir.resolve("none.p12") + "\", \"password\": {\"env\": \"K\"}}}}");
    ConfigException literal = Configs.error("""
        {"encryption": {"keyRing": "1:q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=; primary=1"}}""");
    assertTrue(literal.getMessage().contains("a literal secret is not accepted"), literal.getMessage());
    assertFalse(literal.getMessage().contains("q83v"), literal.getMessage());
    assertErrorAt("$.encryption.keyRing.env", "environment variable K is not set", """
        {"encryption": {"keyRing": {"env": "K"}}}""");
  }

  // ------------------------------------------------------------------ secrets

  @Test
  void literalSecret_isRefused_withoutShowingIt() {
    ConfigException e = Configs.error("""
        {"sasl": {"username": "u", "password": "hunter2"}}""");
    assertTrue(e.getMessage().startsWith("memjcache.json: $.sasl.password: a secret is written as"), e.getMessage());
    assertTrue(e.getMessage().contains("a literal secret is not accepted"), e.getMessage());
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
  }

  @Test
  void secretWithReferenceAndText_isRefused_withoutShowingIt() {
    ConfigException e = Configs.error("""
        {"sasl": {"username": "u", "password": "pre-${env:PW}"}}""", Configs.environment(Map.of("PW", "x"), Map.of()));
    assertFalse(e.getMessage().contains("pre-"), e.getMessage());
  }

  @Test
  void secretReferenceWithDefault_isRefused_withoutShowingTheDefault() {
    ConfigException e = Configs.error("""
        {"sasl": {"username": "u", "password": "${env:PW:-hunter2}"}}""");
    assertTrue(e.getMessage().contains("takes no default"), e.getMessage());
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
  }

  @Test
  void secretSources_unsetOrMissing_areErrors() {
    assertErrorAt("$.sasl.password.env", "environment variable PW is not set", """
        {"sasl": {"username": "u", "password": {"env": "PW"}}}""");
    assertErrorAt("$.sasl.password", "environment variable PW is not set", """
        {"sasl": {"username": "u", "password": "${env:PW}"}}""");
    assertErrorAt("$.sasl.password.sysprop", "system property pw is not set", """
        {"sasl": {"username": "u", "password": {"sysprop": "pw"}}}""");
    assertErrorAt("$.sasl.password.file", "file not found", "{\"sasl\": {\"username\": \"u\", \"password\": {\"file\": \""
        + dir.resolve("missing") + "\"}}}");
  }

  @Test
  void secretWithTwoOrNoSources_isAnError() {
    assertErrorAt("$.sasl.password", "exactly one source", """
        {"sasl": {"username": "u", "password": {"env": "A", "sysprop": "b"}}}""");
    assertErrorAt("$.sasl.password", "exactly one source", """
        {"sasl": {"username": "u", "password": {}}}""");
    assertErrorAt("$.sasl.password.value", "unknown field", """
        {"sasl": {"username": "u", "password": {"value": "hunter2"}}}""");
    assertErrorAt("$.sasl.password", "not 42", """
        {"sasl": {"username": "u", "password": 42}}""");
  }

  // ------------------------------------------------------------------ references

  @Test
  void unsetReference_isAnError() {
    assertError("memjcache.json: $.servers: environment variable MEMCACHED_SERVERS is not set (a default can follow"
        + " ':-', as in ${env:MEMCACHED_SERVERS:-default})", """
        {"servers": "${env:MEMCACHED_SERVERS}"}""");
    assertErrorAt("$.sasl.username", "system property app.user is not set", """
        {"sasl": {"username": "${sys:app.user}", "password": {"env": "X"}}}""");
  }

  @Test
  void malformedReferences_areErrors() {
    assertErrorAt("$.servers", "unknown reference '${vault:x}'", """
        {"servers": "${vault:x}"}""");
    assertErrorAt("$.servers", "unterminated reference", """
        {"servers": "${env:X"}""");
  }

  // ------------------------------------------------------------------ JSON itself

  @Test
  void invalidJson_namesLineAndColumn() {
    ConfigException e = Configs.error("{\n  \"servers\": [\"a:1\",]\n}");
    assertTrue(e.getMessage().startsWith("memjcache.json: line 2, column "), e.getMessage());
    assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
  }

  @Test
  void duplicateKey_isAnError() {
    ConfigException e = Configs.error("""
        {"caches": {"orders": {}, "orders": {"statistics": true}}}""");
    assertTrue(e.getMessage().contains("Duplicate field 'orders'"), e.getMessage());
  }

  @Test
  void commentsAndTrailingContent_areErrors() {
    assertTrue(Configs.error("{} // done").getMessage().contains("not valid JSON"));
    assertTrue(Configs.error("{} {}").getMessage().contains("not valid JSON"));
    assertTrue(Configs.error("/* c */ {}").getMessage().contains("not valid JSON"));
  }

  @Test
  void emptyInputOrNonObject_isAnError() {
    assertEquals("memjcache.json: the configuration file is empty; write {} for all defaults",
        Configs.error("  ").getMessage());
    assertErrorAt("$", "expected an object, got an array", "[]");
  }

  // ------------------------------------------------------------------ missing resources

  @Test
  void missingFile_isAnError() {
    URI uri = dir.resolve("missing.json").toUri();
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(uri, getClass().getClassLoader(), Configs.empty()));
    assertEquals(dir.resolve("missing.json") + ": configuration file not found", e.getMessage());
  }

  @Test
  void directoryInsteadOfFile_isAnError() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(dir.toUri(), getClass().getClassLoader(), Configs.empty()));
    assertTrue(e.getMessage().endsWith("is a directory, not a configuration file"), e.getMessage());
  }

  @Test
  void missingClassPathResource_isAnError() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(
        URI.create("classpath:config/nope.json"), getClass().getClassLoader(), Configs.empty()));
    assertEquals("classpath:config/nope.json: configuration file not found on the class path", e.getMessage());
  }

  @Test
  void missingJarEntryOrJar_isAnError() throws Exception {
    Path jar = dir.resolve("app.jar");
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out)) {
      jarOut.putNextEntry(new JarEntry("other.txt"));
      jarOut.write("x".getBytes(StandardCharsets.UTF_8));
    }
    URI entry = URI.create("jar:" + jar.toUri() + "!/memjcache.json");
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(entry, getClass().getClassLoader(), Configs.empty()));
    assertEquals(entry + ": configuration file not found", e.getMessage());
    URI noJar = URI.create("jar:" + dir.resolve("none.jar").toUri() + "!/memjcache.json");
    assertThrows(ConfigException.class, () -> ConfigLoader.load(noJar, getClass().getClassLoader(), Configs.empty()));
  }

  @Test
  void fileError_namesTheFile() {
    Path file = Configs.write(dir.resolve("app.json"), "{\"connection\": {\"maxInFlight\": -1}}");
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(file.toUri(), getClass().getClassLoader(), Configs.empty()));
    assertEquals(file + ": $.connection.maxInFlight: must be at least 1, got -1", e.getMessage());
  }
}
