package io.memjcache.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ObjectInputFilter;
import java.util.List;
import org.junit.jupiter.api.Test;

class JavaSerializationSettingsTest {

  @Test
  void constructor_invalidPatterns_rejected() {
    for (String pattern : List.of("", " ", "a;b", "maxdepth=5", " com.example.*", "com.example.*  ")) {
      assertThrows(IllegalArgumentException.class,
          () -> JavaSerializationSettings.DEFAULTS.withAllowedPatterns(pattern), "'" + pattern + "'");
    }
    assertThrows(NullPointerException.class, () -> JavaSerializationSettings.DEFAULTS.withAllowedPatterns((String) null));
  }

  @Test
  void constructor_invalidLimits_rejected() {
    JavaSerializationSettings d = JavaSerializationSettings.DEFAULTS;
    assertThrows(IllegalArgumentException.class, () -> d.withLimits(0, 1, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> d.withLimits(1, 0, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> d.withLimits(1, 1, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> d.withLimits(1, 1, 1, -1));
  }

  @Test
  void withAllowedClasses_arraysPrimitivesObject_onlyElementTypeNames() {
    JavaSerializationSettings settings = JavaSerializationSettings.DEFAULTS
        .withAllowedClasses(JavaSerializationSettingsTest[][].class, int.class, Object.class, long[].class, Object[].class)
        .withAllowedClasses(JavaSerializationSettingsTest.class);
    assertEquals(List.of(JavaSerializationSettingsTest.class.getName()), settings.allowedPatterns());
  }

  @Test
  void withAllowedPatterns_appends_andCopiesTheList() {
    JavaSerializationSettings settings = JavaSerializationSettings.DEFAULTS
        .withAllowedPatterns("com.example.a.**").withAllowedPatterns("com.example.b.*");
    assertEquals(List.of("com.example.a.**", "com.example.b.*"), settings.allowedPatterns());
    assertThrows(UnsupportedOperationException.class, () -> settings.allowedPatterns().add("x"));
  }

  @Test
  void filterPattern_order_limitsDeniedUserDefaultsThenRejectAll() {
    String pattern = JavaSerializationSettings.DEFAULTS.withAllowedPatterns("com.example.**").filterPattern();
    assertTrue(pattern.startsWith("maxdepth=20;maxrefs=1000000;maxbytes=67108864;maxarray=10000000;"), pattern);
    int denied = pattern.indexOf("!javax.management.**");
    int user = pattern.indexOf(";com.example.**;");
    int defaults = pattern.indexOf(";java.util.HashMap;");
    assertTrue(denied > 0 && denied < user && user < defaults, pattern);
    assertTrue(pattern.endsWith(";!*"));
    ObjectInputFilter.Config.createFilter(pattern); // parses
  }
}
