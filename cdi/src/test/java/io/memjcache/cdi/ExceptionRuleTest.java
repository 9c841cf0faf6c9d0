package io.memjcache.cdi;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The four rules the spec gives for cachedExceptions/nonCachedExceptions (and cacheFor, evictFor). */
class ExceptionRuleTest {

  @Test
  void selects_bothEmpty_answersTheDefault() {
    assertTrue(new ExceptionRule(List.of(), List.of(), true).selects(new IOException()));
    assertFalse(new ExceptionRule(List.of(), List.of(), false).selects(new IOException()));
  }

  @Test
  void selects_includeOnly_instancesOfIncludedTypes() {
    ExceptionRule rule = new ExceptionRule(List.of(IllegalArgumentException.class), List.of(), false);
    assertTrue(rule.selects(new IllegalArgumentException()));
    assertTrue(rule.selects(new NumberFormatException()), "a subclass passes the instanceof check");
    assertFalse(rule.selects(new IllegalStateException()));
  }

  @Test
  void selects_excludeOnly_everythingButExcludedTypes() {
    ExceptionRule rule = new ExceptionRule(List.of(), List.of(IllegalArgumentException.class), false);
    assertFalse(rule.selects(new IllegalArgumentException()));
    assertFalse(rule.selects(new NumberFormatException()));
    assertTrue(rule.selects(new IllegalStateException()));
    assertTrue(rule.selects(new IOException()));
  }

  @Test
  void selects_both_includedButNotExcluded() {
    ExceptionRule rule = new ExceptionRule(List.of(RuntimeException.class),
        List.of(IllegalArgumentException.class), true);
    assertTrue(rule.selects(new IllegalStateException()));
    assertFalse(rule.selects(new NumberFormatException()));
    assertFalse(rule.selects(new IOException()), "not included");
  }
}
