package io.memjcache.internal.jcache.event;

import javax.cache.Cache;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.EventType;

/**
 * An immutable cache entry event. For REMOVED and EXPIRED events {@link #getValue()} returns the
 * same value as {@link #getOldValue()}, as JCache 1.1 requires.
 */
public final class MemcachedCacheEntryEvent<K, V> extends CacheEntryEvent<K, V> {
  private static final long serialVersionUID = 1L;

  private final K key;
  private final V value;
  private final V oldValue;
  private final boolean oldValueAvailable;

  /**
   * Creates an event; {@code oldValue} is ignored unless {@code oldValueAvailable}.
   *
   * @throws IllegalArgumentException if {@code source} is null (from {@link java.util.EventObject})
   */
  public MemcachedCacheEntryEvent(
      Cache<K, V> source, EventType eventType, K key, V value, V oldValue, boolean oldValueAvailable) {
    super(source, eventType);
    this.key = key;
    this.value = value;
    this.oldValue = oldValueAvailable ? oldValue : null;
    this.oldValueAvailable = oldValueAvailable;
  }

  public static <K, V> MemcachedCacheEntryEvent<K, V> created(Cache<K, V> source, K key, V value) {
    return new MemcachedCacheEntryEvent<>(source, EventType.CREATED, key, value, null, false);
  }

  /** An UPDATED event; the old value counts as available when it is not null. */
  public static <K, V> MemcachedCacheEntryEvent<K, V> updated(Cache<K, V> source, K key, V oldValue, V value) {
    return new MemcachedCacheEntryEvent<>(source, EventType.UPDATED, key, value, oldValue, oldValue != null);
  }

  /** A REMOVED event whose value and old value are both {@code oldValue}. */
  public static <K, V> MemcachedCacheEntryEvent<K, V> removed(Cache<K, V> source, K key, V oldValue) {
    return new MemcachedCacheEntryEvent<>(source, EventType.REMOVED, key, oldValue, oldValue, oldValue != null);
  }

  /** An EXPIRED event whose value and old value are both {@code oldValue}. */
  public static <K, V> MemcachedCacheEntryEvent<K, V> expired(Cache<K, V> source, K key, V oldValue) {
    return new MemcachedCacheEntryEvent<>(source, EventType.EXPIRED, key, oldValue, oldValue, oldValue != null);
  }

  /**
   * This event as seen by a listener that did not ask for old values: no old value, and for
   * REMOVED and EXPIRED events no value either (the value of those events is the old value).
   */
  @SuppressWarnings("unchecked")
  MemcachedCacheEntryEvent<K, V> withoutOldValue() {
    if (!oldValueAvailable) {
      return this;
    }
    EventType type = getEventType();
    V visibleValue = type == EventType.REMOVED || type == EventType.EXPIRED ? null : value;
    return new MemcachedCacheEntryEvent<>(getSource(), type, key, visibleValue, null, false);
  }

  @Override
  public K getKey() {
    return key;
  }

  @Override
  public V getValue() {
    return value;
  }

  @Override
  public V getOldValue() {
    return oldValue;
  }

  @Override
  public boolean isOldValueAvailable() {
    return oldValueAvailable;
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    if (clazz != null && clazz.isInstance(this)) {
      return clazz.cast(this);
    }
    throw new IllegalArgumentException("cannot unwrap a cache entry event to " + clazz);
  }

  @Override
  public String toString() {
    return "MemcachedCacheEntryEvent{" + getEventType() + ", key=" + key + "}";
  }
}
