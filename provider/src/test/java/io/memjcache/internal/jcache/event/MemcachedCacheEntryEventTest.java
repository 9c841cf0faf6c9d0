package io.memjcache.internal.jcache.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javax.cache.Cache;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.EventType;
import org.junit.jupiter.api.Test;

class MemcachedCacheEntryEventTest {
  private final Cache<String, String> cache = TestCaches.named("c");

  @Test
  void created_always_hasNoOldValue() {
    var event = MemcachedCacheEntryEvent.created(cache, "k", "v");
    assertEquals(EventType.CREATED, event.getEventType());
    assertSame(cache, event.getSource());
    assertEquals("k", event.getKey());
    assertEquals("v", event.getValue());
    assertFalse(event.isOldValueAvailable());
    assertNull(event.getOldValue());
  }

  @Test
  void updated_withOldValue_hasBothValues() {
    var event = MemcachedCacheEntryEvent.updated(cache, "k", "old", "new");
    assertEquals(EventType.UPDATED, event.getEventType());
    assertEquals("new", event.getValue());
    assertEquals("old", event.getOldValue());
    assertTrue(event.isOldValueAvailable());
  }

  @Test
  void updated_oldValueNotRead_oldValueUnavailable() {
    var event = MemcachedCacheEntryEvent.updated(cache, "k", null, "new");
    assertFalse(event.isOldValueAvailable());
    assertNull(event.getOldValue());
  }

  /** JCache 1.1: for REMOVED and EXPIRED, getValue() returns the same as getOldValue(). */
  @Test
  void removedAndExpired_always_valueIsOldValue() {
    var removed = MemcachedCacheEntryEvent.removed(cache, "k", "gone");
    var expired = MemcachedCacheEntryEvent.expired(cache, "k", "gone");
    assertEquals(EventType.REMOVED, removed.getEventType());
    assertEquals(EventType.EXPIRED, expired.getEventType());
    for (var event : new MemcachedCacheEntryEvent<?, ?>[] {removed, expired}) {
      assertEquals("gone", event.getValue());
      assertEquals("gone", event.getOldValue());
      assertTrue(event.isOldValueAvailable());
    }
  }

  @Test
  void constructor_oldValueNotAvailable_oldValueHidden() {
    var event = new MemcachedCacheEntryEvent<>(cache, EventType.UPDATED, "k", "v", "old", false);
    assertNull(event.getOldValue());
  }

  /** What a listener whose configuration has isOldValueRequired() false sees (the RI's choice). */
  @Test
  void withoutOldValue_removed_valueAndOldValueNull() {
    var event = MemcachedCacheEntryEvent.removed(cache, "k", "gone").withoutOldValue();
    assertFalse(event.isOldValueAvailable());
    assertNull(event.getValue());
    assertNull(event.getOldValue());
    assertEquals("k", event.getKey());
  }

  @Test
  void withoutOldValue_updated_keepsNewValue() {
    var event = MemcachedCacheEntryEvent.updated(cache, "k", "old", "new").withoutOldValue();
    assertEquals(EventType.UPDATED, event.getEventType());
    assertEquals("new", event.getValue());
    assertNull(event.getOldValue());
    assertFalse(event.isOldValueAvailable());
  }

  @Test
  void withoutOldValue_created_sameEvent() {
    var event = MemcachedCacheEntryEvent.created(cache, "k", "v");
    assertSame(event, event.withoutOldValue());
  }

  @Test
  void unwrap_ownClassOrSupertype_returnsThis() {
    var event = MemcachedCacheEntryEvent.created(cache, "k", "v");
    assertSame(event, event.unwrap(MemcachedCacheEntryEvent.class));
    assertSame(event, event.unwrap(CacheEntryEvent.class));
  }

  @Test
  void unwrap_unrelatedClassOrNull_throwsIllegalArgument() {
    var event = MemcachedCacheEntryEvent.created(cache, "k", "v");
    assertThrows(IllegalArgumentException.class, () -> event.unwrap(String.class));
    assertThrows(IllegalArgumentException.class, () -> event.unwrap(null));
  }

  @Test
  void toString_always_omitsValues() {
    var event = MemcachedCacheEntryEvent.updated(cache, "k", "secret-old", "secret-new");
    assertFalse(event.toString().contains("secret"));
  }
}
