package io.memjcache.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.memjcache.internal.config.ConfigException;
import io.memjcache.internal.config.Environment;
import io.memjcache.internal.jcache.ManagerSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code cluster} block of the configuration file, its checks and its documented defaults. */
class ClusterSettingsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir
  Path dir;

  private ManagerSettings resolve(String json) throws IOException {
    Path file = Files.writeString(dir.resolve("memjcache.json"), json);
    return ManagerSettings.resolve(file.toUri(), getClass().getClassLoader(), new Properties(),
        Environment.withVariables(Map.of()));
  }

  private String error(String json) {
    return assertThrows(ConfigException.class, () -> resolve(json)).getMessage();
  }

  @Test
  void noFile_defaults() {
    ManagerSettings settings = ManagerSettings.resolve(URI.create("memcached://localhost:11211"),
        getClass().getClassLoader(), new Properties(), Environment.withVariables(Map.of()));
    assertEquals(ClusterSettings.DEFAULTS, settings.cluster());
    assertEquals(new ClusterSettings(3, FailurePolicy.REDISTRIBUTE, Duration.ofMillis(200), Duration.ofSeconds(10)),
        ClusterSettings.DEFAULTS);
  }

  @Test
  void referenceJson_clusterDefaults_areTheBuiltInOnes() throws IOException {
    ObjectNode cluster = MAPPER.createObjectNode();
    try (InputStream in = getClass().getResourceAsStream("/io/memjcache/reference.json")) {
      for (JsonNode setting : MAPPER.readTree(in).get("settings")) {
        String path = setting.get("path").asText();
        if (path.startsWith("cluster.")) {
          cluster.set(path.substring("cluster.".length()), setting.get("default"));
        }
      }
    }
    assertEquals(4, cluster.size(), cluster.toString());
    assertEquals(ClusterSettings.DEFAULTS, resolve("{\"cluster\": " + cluster + "}").cluster());
    assertEquals(ClusterSettings.DEFAULTS, resolve("{\"cluster\": {}}").cluster());
  }

  @Test
  void clusterBlock_everyField_isRead() throws IOException {
    ManagerSettings settings = resolve("""
        {"cluster": {"failureThreshold": 5, "failurePolicy": "failFast", "probeInterval": "PT0.5S",
                     "maxProbeInterval": 30000}}""");
    assertEquals(new ClusterSettings(5, FailurePolicy.FAIL_FAST, Duration.ofMillis(500), Duration.ofSeconds(30)),
        settings.cluster());
    assertEquals(FailurePolicy.REDISTRIBUTE,
        resolve("{\"cluster\": {\"failurePolicy\": \"redistribute\"}}").cluster().failurePolicy());
  }

  @Test
  void clusterBlock_badValues_areErrorsNamingThePath() {
    assertTrue(error("{\"cluster\": {\"failureThreshold\": 0}}")
        .endsWith("$.cluster.failureThreshold: must be at least 1, got 0"), error("{\"cluster\": {\"failureThreshold\": 0}}"));
    String policy = error("{\"cluster\": {\"failurePolicy\": \"sometimes\"}}");
    assertTrue(policy.endsWith("$.cluster.failurePolicy: expected one of \"redistribute\", \"failFast\", got \"sometimes\""),
        policy);
    String zero = error("{\"cluster\": {\"probeInterval\": \"PT0S\"}}");
    assertTrue(zero.contains("$.cluster.probeInterval: must be positive"), zero);
    String order = error("{\"cluster\": {\"probeInterval\": \"PT20S\"}}");
    assertTrue(order.contains("$.cluster: maxProbeInterval (PT10S) must not be shorter than probeInterval (PT20S)"),
        order);
    String unknown = error("{\"cluster\": {\"threshold\": 3}}");
    assertTrue(unknown.contains("$.cluster.threshold: unknown field"), unknown);
  }

  @Test
  void constructor_impossibleValues_areRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> new ClusterSettings(0, FailurePolicy.REDISTRIBUTE, Duration.ofMillis(1), Duration.ofMillis(1)));
    assertThrows(IllegalArgumentException.class,
        () -> new ClusterSettings(1, FailurePolicy.REDISTRIBUTE, Duration.ZERO, Duration.ofMillis(1)));
    assertThrows(IllegalArgumentException.class,
        () -> new ClusterSettings(1, FailurePolicy.REDISTRIBUTE, Duration.ofMillis(2), Duration.ofMillis(1)));
    assertThrows(NullPointerException.class,
        () -> new ClusterSettings(1, null, Duration.ofMillis(1), Duration.ofMillis(1)));
  }
}
