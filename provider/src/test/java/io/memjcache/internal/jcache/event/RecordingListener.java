package io.memjcache.internal.jcache.event;

import java.io.Closeable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.event.EventType;

/** A listener for all four event types that records each call, and whether it was closed. */
class RecordingListener<K, V> implements CacheEntryCreatedListener<K, V>, CacheEntryUpdatedListener<K, V>,
    CacheEntryRemovedListener<K, V>, CacheEntryExpiredListener<K, V>, Closeable {

  /** One listener call: its type, its events, and the thread it ran on. */
  record Call<K, V>(EventType type, List<CacheEntryEvent<? extends K, ? extends V>> events, Thread thread) {
    List<Object> keys() {
      List<Object> keys = new ArrayList<>();
      events.forEach(e -> keys.add(e.getKey()));
      return keys;
    }
  }

  final List<Call<K, V>> calls = new CopyOnWriteArrayList<>();
  volatile boolean closed;

  @Override
  public void onCreated(Iterable<CacheEntryEvent<? extends K, ? extends V>> events) {
    record(EventType.CREATED, events);
  }

  @Override
  public void onUpdated(Iterable<CacheEntryEvent<? extends K, ? extends V>> events) {
    record(EventType.UPDATED, events);
  }

  @Override
  public void onRemoved(Iterable<CacheEntryEvent<? extends K, ? extends V>> events) {
    record(EventType.REMOVED, events);
  }

  @Override
  public void onExpired(Iterable<CacheEntryEvent<? extends K, ? extends V>> events) {
    record(EventType.EXPIRED, events);
  }

  void record(EventType type, Iterable<CacheEntryEvent<? extends K, ? extends V>> events) {
    List<CacheEntryEvent<? extends K, ? extends V>> copy = new ArrayList<>();
    for (CacheEntryEvent<? extends K, ? extends V> event : events) {
      if (event.getEventType() != type) {
        throw new AssertionError("event " + event + " delivered as " + type);
      }
      copy.add(event);
    }
    calls.add(new Call<>(type, copy, Thread.currentThread()));
  }

  /** Every delivered event's key, in delivery order. */
  List<Object> keys() {
    List<Object> keys = new ArrayList<>();
    calls.forEach(c -> keys.addAll(c.keys()));
    return keys;
  }

  @Override
  public void close() {
    closed = true;
  }
}
