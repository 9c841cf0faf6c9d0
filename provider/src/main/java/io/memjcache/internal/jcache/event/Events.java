package io.memjcache.internal.jcache.event;

import java.util.ArrayList;
import java.util.List;
import javax.cache.Cache;
import javax.cache.event.EventType;

/**
 * The events of one cache operation, collected while it runs and delivered together by
 * {@link #dispatch()} after the cache has been changed. Events of a type no registered listener
 * handles are not even built.
 */
public final class Events<K, V> {
  /** The collector handed out while no listener is registered: records and dispatches nothing. */
  static final Events<Object, Object> NONE = new Events<>(null, null);

  private final EventDispatcher<K, V> dispatcher;
  private final Cache<K, V> source;
  private List<MemcachedCacheEntryEvent<K, V>> events;

  Events(EventDispatcher<K, V> dispatcher, Cache<K, V> source) {
    this.dispatcher = dispatcher;
    this.source = source;
  }

  /** Records that {@code key} was absent and is now mapped to {@code value}. */
  public Events<K, V> created(K key, V value) {
    if (wants(EventType.CREATED)) {
      add(MemcachedCacheEntryEvent.created(source, key, value));
    }
    return this;
  }

  /** Records that {@code key} was mapped to {@code oldValue} (null if not read) and now to {@code value}. */
  public Events<K, V> updated(K key, V oldValue, V value) {
    if (wants(EventType.UPDATED)) {
      add(MemcachedCacheEntryEvent.updated(source, key, oldValue, value));
    }
    return this;
  }

  /** Records that the mapping of {@code key} (to {@code oldValue}, null if not read) was removed. */
  public Events<K, V> removed(K key, V oldValue) {
    if (wants(EventType.REMOVED)) {
      add(MemcachedCacheEntryEvent.removed(source, key, oldValue));
    }
    return this;
  }

  /** Records that the mapping of {@code key} (to {@code oldValue}, null if not read) expired. */
  public Events<K, V> expired(K key, V oldValue) {
    if (wants(EventType.EXPIRED)) {
      add(MemcachedCacheEntryEvent.expired(source, key, oldValue));
    }
    return this;
  }

  public synchronized boolean isEmpty() {
    return events == null || events.isEmpty();
  }

  /**
   * Delivers and forgets the recorded events: synchronous listeners before this returns,
   * asynchronous ones queued in order.
   *
   * @throws javax.cache.event.CacheEntryListenerException if a synchronous listener or filter threw
   *     an exception (wrapped unless it already was one); the first failure, with later ones
   *     suppressed into it, after every synchronous listener has had its events
   * @throws Error if a synchronous listener threw an error: errors are not wrapped
   */
  public void dispatch() {
    List<MemcachedCacheEntryEvent<K, V>> taken;
    synchronized (this) {
      taken = events;
      events = null;
    }
    if (taken != null && !taken.isEmpty()) {
      dispatcher.dispatch(taken);
    }
  }

  private boolean wants(EventType type) {
    return dispatcher != null && dispatcher.hasListenersFor(type);
  }

  private synchronized void add(MemcachedCacheEntryEvent<K, V> event) {
    if (events == null) {
      events = new ArrayList<>(4);
    }
    events.add(event);
  }
}
