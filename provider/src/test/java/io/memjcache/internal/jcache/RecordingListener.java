package io.memjcache.internal.jcache;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.event.EventType;

/** A synchronous listener of every event type that keeps what it was told, old values included. */
final class RecordingListener<K, V> implements CacheEntryCreatedListener<K, V>, CacheEntryUpdatedListener<K, V>,
    CacheEntryRemovedListener<K, V>, CacheEntryExpiredListener<K, V>, Serializable {
  private static final long serialVersionUID = 1L;

  /** One event as the listener saw it. */
  record Seen<K, V>(EventType type, K key, V value, V oldValue) {}

  private final transient List<Seen<K, V>> seen = new ArrayList<>();

  /** A configuration registering this very instance, synchronous, with old values. */
  MutableCacheEntryListenerConfiguration<K, V> configuration() {
    return new MutableCacheEntryListenerConfiguration<>(FactoryBuilder.factoryOf(this), null, true, true);
  }

  synchronized List<Seen<K, V>> seen() {
    return List.copyOf(seen);
  }

  synchronized List<Seen<K, V>> seen(EventType type) {
    return seen.stream().filter(s -> s.type() == type).toList();
  }

  private synchronized void record(Iterable<CacheEntryEvent<? extends K, ? extends V>> events) {
    for (CacheEntryEvent<? extends K, ? extends V> event : events) {
      seen.add(new Seen<>(event.getEventType(), event.getKey(), event.getValue(),
          event.isOldValueAvailable() ? event.getOldValue() : null));
    }
  }

  @Override
  public void onCreated(Iterable<CacheEntryEvent<? extends K, ? extends V>> events) {
    record(events);
  }

  @Override
  public void onUpdated(Iterable<CacheEntryEvent<? extends K, ? extends V>> events) {
    record(events);
  }

  @Override
  public void onRemoved(Iterable<CacheEntryEvent<? extends K, ? extends V>> events) {
    record(events);
  }

  @Override
  public void onExpired(Iterable<CacheEntryEvent<? extends K, ? extends V>> events) {
    record(events);
  }
}
