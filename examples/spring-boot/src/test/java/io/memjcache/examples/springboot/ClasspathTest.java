package io.memjcache.examples.springboot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Spring Boot 3.5's BOM manages Netty 4.1 and an older Jackson; the pom imports Netty's and
 * Jackson's BOMs before Boot's so that memjcache gets the versions it is built with. A reordered
 * or removed import shows here, not as a NoSuchMethodError at run time.
 */
class ClasspathTest {

  @Test
  void classpath_everyNettyArtifact_isTheVersionMemjcacheNeeds() {
    String expected = expected("expected.netty.version");
    Map<String, String> versions = new TreeMap<>();
    io.netty.util.Version.identify().forEach((artifact, version) -> versions.put(artifact, version.artifactVersion()));
    assertFalse(versions.isEmpty(), "Netty reports its artifacts");
    versions.forEach((artifact, version) -> assertEquals(expected, version, artifact + " in " + versions));
  }

  @Test
  void classpath_jackson_isTheVersionOfMemjcachesBuild() {
    String expected = expected("expected.jackson.version");
    assertEquals(expected, com.fasterxml.jackson.core.json.PackageVersion.VERSION.toString(), "jackson-core");
    assertEquals(expected, com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString(), "jackson-databind");
    assertEquals(expected, com.fasterxml.jackson.datatype.jsr310.PackageVersion.VERSION.toString(), "jackson-datatype-jsr310");
  }

  private static String expected(String property) {
    String value = System.getProperty(property);
    assertNotNull(value, property + " is set by the pom's surefire configuration");
    return value;
  }
}
