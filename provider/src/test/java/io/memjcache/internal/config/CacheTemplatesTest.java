package io.memjcache.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.config.SerializationFormat;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Which settings a cache name gets: defaults, then every matching template from the least to the
 * most specific (more literal characters, then fewer '*', then the one written first), then the
 * declared cache of that name; field by field.
 */
class CacheTemplatesTest {
  private static final String FILE = """
      {
        "defaults": {"statistics": true, "keyFormat": "java", "generationRefresh": 100},
        "templates": {
          "com.example.*": {"valueFormat": "json", "generationRefresh": 200},
          "com.example.domain.*": {"valueFormat": "java", "management": true},
          "com.example.domain.Order": {"valueFormat": "bytes"},
          "*": {"keyFormat": "string"},
          "com.example.?omain.Line*": {"generationRefresh": 300}
        },
        "caches": {
          "com.example.domain.Order": {"valueFormat": "string", "statistics": false}
        }
      }""";

  private final CacheTemplates templates =
      Configs.parse(FILE).cacheTemplates(CacheDefaults.BUILT_IN, CacheTemplate.EMPTY);

  @Test
  void forCache_noTemplateMatches_getsDefaults() {
    assertEquals(templates.defaults(), Configs.parse("""
        {"defaults": {"statistics": true, "keyFormat": "java", "generationRefresh": 100}}""")
        .cacheTemplates(CacheDefaults.BUILT_IN, CacheTemplate.EMPTY).forCache("x"));
    CacheDefaults other = templates.forCache("org.other.Thing");
    assertEquals(SerializationFormat.STRING, other.keyFormat(), "'*' matches every name");
    assertTrue(other.statisticsEnabled());
    assertEquals(Duration.ofMillis(100), other.generationRefresh());
  }

  @Test
  void forCache_moreSpecificTemplate_winsFieldByField() {
    CacheDefaults customer = templates.forCache("com.example.domain.Customer");
    assertEquals(SerializationFormat.JAVA, customer.valueFormat(), "com.example.domain.* beats com.example.*");
    assertEquals(Duration.ofMillis(200), customer.generationRefresh(), "only com.example.* sets it");
    assertTrue(customer.managementEnabled());
    assertEquals(SerializationFormat.STRING, customer.keyFormat(), "from '*', over the defaults");
    assertTrue(customer.statisticsEnabled(), "from the defaults");
  }

  @Test
  void forCache_starMatchesDots() {
    CacheDefaults collection = templates.forCache("com.example.domain.Customer.orders");
    assertEquals(SerializationFormat.JAVA, collection.valueFormat());
  }

  @Test
  void forCache_questionMarkMatchesOneCharacter() {
    assertEquals(Duration.ofMillis(300), templates.forCache("com.example.domain.LineItem").generationRefresh());
    assertEquals(Duration.ofMillis(300), templates.forCache("com.example.Domain.LineItem").generationRefresh());
    assertEquals(Duration.ofMillis(200), templates.forCache("com.example.dommain.LineItem").generationRefresh());
  }

  @Test
  void forCache_declaredCache_appliesAfterEveryTemplate() {
    CacheDefaults order = templates.forCache("com.example.domain.Order");
    assertEquals(SerializationFormat.STRING, order.valueFormat(), "the declared cache beats the exact template");
    assertFalse(order.statisticsEnabled());
    assertTrue(order.managementEnabled(), "from com.example.domain.*");
  }

  @Test
  void forCache_exactTemplateWithoutDeclaration_beatsPatterns() {
    CacheTemplates exact = Configs.parse("""
        {"templates": {"orders*": {"valueFormat": "json"}, "orders": {"valueFormat": "bytes"}}}""")
        .cacheTemplates(CacheDefaults.BUILT_IN, CacheTemplate.EMPTY);
    assertEquals(SerializationFormat.BYTES, exact.forCache("orders").valueFormat());
    assertEquals(SerializationFormat.JSON, exact.forCache("orders2").valueFormat());
    assertEquals(java.util.List.of(), exact.declaredCaches(), "templates declare no cache");
  }

  @Test
  void forCache_equallySpecific_firstWrittenWins() {
    CacheTemplates tie = Configs.parse("""
        {"templates": {"a.*.c": {"valueFormat": "json"}, "a.b.*": {"valueFormat": "bytes"}}}""")
        .cacheTemplates(CacheDefaults.BUILT_IN, CacheTemplate.EMPTY);
    assertEquals(SerializationFormat.JSON, tie.forCache("a.b.c").valueFormat());
    CacheTemplates reversed = Configs.parse("""
        {"templates": {"a.b.*": {"valueFormat": "bytes"}, "a.*.c": {"valueFormat": "json"}}}""")
        .cacheTemplates(CacheDefaults.BUILT_IN, CacheTemplate.EMPTY);
    assertEquals(SerializationFormat.BYTES, reversed.forCache("a.b.c").valueFormat());
  }

  @Test
  void forCache_sameLiteralsFewerStars_wins() {
    CacheTemplates stars = Configs.parse("""
        {"templates": {"*a*b*": {"valueFormat": "json"}, "a*b": {"valueFormat": "bytes"}}}""")
        .cacheTemplates(CacheDefaults.BUILT_IN, CacheTemplate.EMPTY);
    assertEquals(SerializationFormat.BYTES, stars.forCache("axxb").valueFormat());
  }

  @Test
  void forCache_patternCharactersOfRegexAreLiteral() {
    CacheTemplates literal = Configs.parse("""
        {"templates": {"a.b(c)+*": {"valueFormat": "json"}}}""")
        .cacheTemplates(CacheDefaults.BUILT_IN, CacheTemplate.EMPTY);
    assertEquals(SerializationFormat.JSON, literal.forCache("a.b(c)+x").valueFormat());
    assertEquals(SerializationFormat.AUTO, literal.forCache("aXb(c)+x").valueFormat(), "'.' is no regex wildcard");
  }

  @Test
  void namePattern_specificityCounts() {
    NamePattern pattern = NamePattern.parse("com.example.*.?", 0);
    assertEquals(13, pattern.literals());
    assertEquals(1, pattern.stars());
    assertTrue(pattern.matches("com.example.x.y"));
    assertFalse(pattern.matches("com.example.x.yz"));
  }
}
