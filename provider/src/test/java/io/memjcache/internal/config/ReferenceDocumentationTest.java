package io.memjcache.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.memjcache.config.EncryptionSettings;
import io.memjcache.config.SaslSettings;
import io.memjcache.config.SerializationFormat;
import io.memjcache.config.TlsSettings;
import io.memjcache.internal.jcache.ManagerSettings;
import io.memjcache.internal.transport.ConnectionSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Defaults are written down once, in {@code io/memjcache/reference.json} (shipped in the jar), and
 * these tests keep everything else in step with it: every field the parser accepts is documented,
 * every documented default is what the code really uses, every documented property is one the
 * manager reads, and the README's configuration table is exactly the rendering of the file.
 */
class ReferenceDocumentationTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String BEGIN = "<!-- BEGIN reference.json table";
  private static final String END = "<!-- END reference.json table -->";

  @TempDir
  Path dir;

  private static JsonNode reference() throws IOException {
    try (InputStream in = ReferenceDocumentationTest.class.getResourceAsStream("/io/memjcache/reference.json")) {
      assertNotNull(in, "reference.json is a resource of the provider jar");
      return MAPPER.readTree(in);
    }
  }

  private static List<JsonNode> settings() throws IOException {
    List<JsonNode> settings = new ArrayList<>();
    reference().get("settings").forEach(settings::add);
    return settings;
  }

  // ------------------------------------------------------------------ reference.json itself

  @Test
  void reference_isWellFormed() throws IOException {
    JsonNode reference = reference();
    assertEquals(Set.of("description", "settings"), fieldNames(reference));
    Set<String> paths = new TreeSet<>();
    for (JsonNode setting : settings()) {
      String path = setting.path("path").asText();
      assertTrue(Set.of("path", "default", "property", "description").containsAll(fieldNames(setting)), path);
      assertTrue(setting.has("default"), path + " has a default (null: none)");
      assertFalse(setting.path("description").asText().isBlank(), path + " is described");
      assertTrue(paths.add(path), path + " is documented once");
    }
  }

  @Test
  void reference_documentsEveryFieldTheParserAccepts() throws IOException {
    Set<String> accepted = new TreeSet<>();
    JsonConfigParser.schema().forEach((block, fields) -> {
      if (!block.isEmpty()) {
        accepted.add(block);
      }
      for (String field : fields) {
        accepted.add(block.isEmpty() ? field : block + "." + field);
      }
    });
    Set<String> documented = new TreeSet<>();
    settings().forEach(setting -> documented.add(setting.get("path").asText()));
    assertEquals(accepted, documented);
  }

  /** The settings that a file holding {@code json} produces, in comparable form. */
  private record Effective(List<InetSocketAddress> servers, ConnectionSettings connection, int connectionsPerNode,
      TlsSettings tls, SaslSettings sasl, EncryptionSettings encryption, CacheDefaults defaults) {}

  private static final Environment ENVIRONMENT = Configs.environment(Map.of(),
      Map.of("reference.pw", "x", "reference.keys", "ring"));

  private Effective effective(JsonNode json, Properties properties) throws IOException {
    Path file = Configs.write(dir.resolve("reference-check.json"), MAPPER.writeValueAsString(json));
    ManagerSettings settings = Configs.settings(file.toUri(), properties, ENVIRONMENT);
    return new Effective(settings.servers(), settings.connection(), settings.connectionsPerNode(), settings.tls(),
        settings.sasl(), settings.encryption(), settings.forCache("any"));
  }

  /** The smallest file in which the block holding {@code path} exists. */
  private static ObjectNode base(String path) {
    ObjectNode root = MAPPER.createObjectNode();
    if (path.startsWith("tls.")) {
      root.putObject("tls");
    } else if (path.startsWith("encryption.")) {
      root.putObject("encryption").putObject("keyRing").put("sysprop", "reference.keys");
    } else if (path.startsWith("sasl.")) {
      ObjectNode sasl = root.putObject("sasl");
      sasl.put("username", "u");
      sasl.putObject("password").put("sysprop", "reference.pw");
    }
    return root;
  }

  private static void set(ObjectNode root, String path, JsonNode value) {
    String[] names = path.split("\\.");
    ObjectNode node = root;
    for (int i = 0; i < names.length - 1; i++) {
      node = node.has(names[i]) ? (ObjectNode) node.get(names[i]) : node.putObject(names[i]);
    }
    node.set(names[names.length - 1], value);
  }

  @Test
  void reference_defaultsAreWhatTheCodeUses() throws IOException {
    for (JsonNode setting : settings()) {
      JsonNode value = setting.get("default");
      if (value.isNull()) {
        continue;
      }
      String path = setting.get("path").asText();
      ObjectNode with = base(path);
      set(with, path, value);
      assertEquals(effective(base(path), new Properties()), effective(with, new Properties()),
          path + ": writing the documented default changes nothing");
    }
  }

  @Test
  void reference_builtInSettingsWithoutFile_matchTheDefaults() {
    ManagerSettings settings = Configs.settings(java.net.URI.create("urn:none"), new Properties(), Configs.empty());
    assertEquals(ConnectionSettings.DEFAULTS, settings.connection());
    assertEquals(CacheDefaults.BUILT_IN, settings.forCache("any"));
  }

  /** A value for each documented property that differs from its default. */
  private static final Map<String, String> PROPERTY_VALUES = Map.of(
      ManagerSettings.SERVERS_PROPERTY, "other:1",
      ManagerSettings.CONNECT_TIMEOUT_PROPERTY, "1234",
      ManagerSettings.OPERATION_TIMEOUT_PROPERTY, "1234",
      ManagerSettings.MAX_IN_FLIGHT_PROPERTY, "7",
      ManagerSettings.CONNECTIONS_PER_NODE_PROPERTY, "3",
      ManagerSettings.GENERATION_REFRESH_PROPERTY, "7",
      ManagerSettings.ALLOWED_PATTERNS_PROPERTY, "com.example.*");

  @Test
  void reference_propertiesAreTheOnesTheManagerReads() throws IOException {
    Map<String, String> documented = new LinkedHashMap<>();
    for (JsonNode setting : settings()) {
      if (setting.has("property")) {
        documented.put(setting.get("property").asText(), setting.get("path").asText());
      }
    }
    assertEquals(new TreeSet<>(PROPERTY_VALUES.keySet()), new TreeSet<>(documented.keySet()),
        "every property the manager reads is documented");
    Effective plain = effective(MAPPER.createObjectNode(), new Properties());
    for (Map.Entry<String, String> property : documented.entrySet()) {
      Properties properties = new Properties();
      properties.setProperty(property.getKey(), PROPERTY_VALUES.get(property.getKey()));
      assertNotEquals(plain, effective(MAPPER.createObjectNode(), properties), property.getKey() + " takes effect");
    }
  }

  // ------------------------------------------------------------------ the README

  private static Path readme() {
    Path directory = Path.of("").toAbsolutePath();
    while (directory != null) {
      Path candidate = directory.resolve("README.md");
      if (Files.isRegularFile(candidate) && Files.isDirectory(directory.resolve("provider"))) {
        return candidate;
      }
      directory = directory.getParent();
    }
    throw new AssertionError("README.md of the project not found above " + Path.of("").toAbsolutePath());
  }

  /** The README table rendered from reference.json. */
  static List<String> renderTable() throws IOException {
    List<String> rows = new ArrayList<>();
    rows.add("| Setting | Default | Property | Meaning |");
    rows.add("| --- | --- | --- | --- |");
    for (JsonNode setting : settings()) {
      JsonNode value = setting.get("default");
      String shown = value.isNull() ? "none" : "`" + MAPPER.writeValueAsString(value) + "`";
      String property = setting.has("property") ? "`" + setting.get("property").asText() + "`" : "";
      String description = setting.get("description").asText()
          .replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*");
      rows.add("| `" + setting.get("path").asText() + "` | " + shown + " | " + property + " | " + description + " |");
    }
    return rows;
  }

  @Test
  void readme_configurationTable_isTheReferenceRendered() throws IOException {
    List<String> lines = Files.readAllLines(readme(), StandardCharsets.UTF_8);
    int begin = -1;
    int end = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(BEGIN)) {
        begin = i;
      } else if (lines.get(i).equals(END)) {
        end = i;
      }
    }
    assertTrue(begin >= 0 && end > begin, "README.md has the markers " + BEGIN + " ... " + END);
    List<String> expected = renderTable();
    assertEquals(expected, lines.subList(begin + 1, end),
        "the README table differs from reference.json; put this between the markers:\n" + String.join("\n", expected));
  }

  @Test
  void readme_exampleConfiguration_isValid() throws IOException {
    String text = Files.readString(readme(), StandardCharsets.UTF_8);
    int section = text.indexOf("\n## Configuration\n");
    assertTrue(section >= 0, "README.md has a Configuration section");
    int start = text.indexOf("```json\n", section) + "```json\n".length();
    String json = text.substring(start, text.indexOf("```", start));
    Path keys = Path.of("/run/secrets/memjcache-keys");
    org.junit.jupiter.api.Assumptions.assumeFalse(Files.exists(keys), "this machine has the example's key file");
    json = json.replace(keys.toString(), Configs.write(dir.resolve("keys"), "ring").toString());
    Path ca = Configs.write(dir.resolve("ca.pem"), "x");
    Environment environment = Configs.environment(Map.of("MEMJCACHE_CA", ca.toString(), "MEMCACHED_PASSWORD", "x"),
        Map.of());
    ConfigFile file = Configs.parse(json, environment);
    CacheTemplates caches = file.cacheTemplates(CacheDefaults.BUILT_IN, CacheTemplate.EMPTY);
    assertEquals(ca, file.tls().trustCertificates().orElseThrow());
    assertEquals(SerializationFormat.BYTES, caches.forCache("sessions").valueFormat());
    assertEquals(List.of("com.example.domain.**"),
        caches.forCache("com.example.domain.Order").javaSerialization().allowedPatterns());
    assertTrue(caches.forCache("other").statisticsEnabled());
    assertEquals("file:" + dir.resolve("keys"), file.encryption().keyRing().orElseThrow().description());
  }

  /**
   * Each {@code "tls"}, {@code "sasl"} and {@code "encryption"} example of the README's Security
   * section, put into a file of its own, is accepted by the parser as written: a reader copies
   * them.
   */
  @Test
  void readme_securityExamples_areValid() throws IOException {
    String text = Files.readString(readme(), StandardCharsets.UTF_8);
    int section = text.indexOf("\n## Security\n");
    int end = text.indexOf("\n## ", section + 1);
    assertTrue(section >= 0 && end > section, "README.md has a Security section");
    java.util.regex.Matcher snippet = java.util.regex.Pattern.compile("```json\n(.*?)```", java.util.regex.Pattern.DOTALL)
        .matcher(text.substring(section, end));
    Environment environment = Configs.environment(Map.of("MEMCACHED_PASSWORD", "x"), Map.of());
    List<String> parsed = new ArrayList<>();
    while (snippet.find()) {
      String json = snippet.group(1).strip();
      java.util.regex.Matcher path = java.util.regex.Pattern.compile("\"(/(?:etc|run)/[^\"]+)\"").matcher(json);
      while (path.find()) {
        Path local = Configs.write(dir.resolve(Path.of(path.group(1)).getFileName().toString()), "x");
        json = json.replace(path.group(1), local.toString());
      }
      ConfigFile file = Configs.parse("{\"servers\": [\"cache-1:11211\"], " + json + "}", environment);
      parsed.add(json.substring(1, json.indexOf('"', 1)));
      if (json.startsWith("\"tls\"")) {
        assertEquals(TlsSettings.Protocol.TLS_1_3, file.tls().minimumProtocol(), json);
      }
    }
    assertEquals(List.of("tls", "sasl", "encryption"), parsed, "the Security section's examples");
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new TreeSet<>();
    Iterator<String> it = node.fieldNames();
    it.forEachRemaining(names::add);
    return names;
  }
}
