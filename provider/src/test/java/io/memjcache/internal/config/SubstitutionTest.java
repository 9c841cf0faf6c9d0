package io.memjcache.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** ${env:NAME} and ${sys:name} references, with defaults after ":-", and $${ as a literal. */
class SubstitutionTest {
  private final Environment environment = Configs.environment(
      Map.of("HOST", "cache-1", "PORT", "11311", "EMPTY", ""), Map.of("app.port", "11411"));

  private String substitute(String text) {
    return Substitution.substitute(text, environment);
  }

  @Test
  void substitute_environmentAndSystemProperty() {
    assertEquals("cache-1:11311", substitute("${env:HOST}:${env:PORT}"));
    assertEquals("cache-1:11411", substitute("${env:HOST}:${sys:app.port}"));
  }

  @Test
  void substitute_noReference_isUnchanged() {
    assertEquals("java.util.Map$Entry", substitute("java.util.Map$Entry"));
    assertEquals("$", substitute("$"));
    assertEquals("a$b{c}", substitute("a$b{c}"));
  }

  @Test
  void substitute_default_whenUnsetOrEmpty() {
    assertEquals("localhost:11211", substitute("${env:SERVERS:-localhost:11211}"));
    assertEquals("fallback", substitute("${env:EMPTY:-fallback}"), "as in a shell, empty takes the default");
    assertEquals("", substitute("${env:SERVERS:-}"));
    assertEquals("cache-1", substitute("${env:HOST:-other}"));
    assertEquals("", substitute("${env:EMPTY}"), "empty without a default is empty");
  }

  @Test
  void substitute_escapedReference_isLiteral() {
    assertEquals("${env:HOST}", substitute("$${env:HOST}"));
    assertEquals("${x} and cache-1", substitute("$${x} and ${env:HOST}"));
  }

  @Test
  void substitute_unset_throwsNamingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> substitute("${env:NOPE}"));
    assertTrue(e.getMessage().startsWith("environment variable NOPE is not set"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> substitute("${sys:nope}"));
    assertTrue(e.getMessage().startsWith("system property nope is not set"), e.getMessage());
  }

  @Test
  void substitute_malformed_throws() {
    assertThrows(IllegalArgumentException.class, () -> substitute("${HOST}"));
    assertThrows(IllegalArgumentException.class, () -> substitute("${env:}"));
    assertThrows(IllegalArgumentException.class, () -> substitute("${env:A B}"));
    assertThrows(IllegalArgumentException.class, () -> substitute("${env:HOST"));
    assertThrows(IllegalArgumentException.class, () -> substitute("${env:X:-${env:HOST}}"), "defaults are literal");
  }

  @Test
  void hasReference_ignoresEscapes() {
    assertTrue(Substitution.hasReference("${env:X}"));
    assertTrue(Substitution.hasReference("a $${x} ${env:X}"));
    assertFalse(Substitution.hasReference("$${env:X}"));
    assertFalse(Substitution.hasReference("8192"));
  }
}
