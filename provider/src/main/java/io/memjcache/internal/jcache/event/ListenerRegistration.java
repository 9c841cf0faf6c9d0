package io.memjcache.internal.jcache.event;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.Factory;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEventFilter;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryListener;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.event.EventType;

/**
 * One registered listener: its configuration, the listener and filter made by the configuration's
 * factories, and the event types the listener implements. {@link #close()} closes the listener and
 * the filter when they are {@link AutoCloseable} (which includes {@link java.io.Closeable}).
 */
public final class ListenerRegistration<K, V> implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ListenerRegistration.class.getName());

  private final CacheEntryListenerConfiguration<K, V> configuration;
  private final CacheEntryListener<? super K, ? super V> listener;
  private final CacheEntryEventFilter<? super K, ? super V> filter;
  private final boolean oldValueRequired;
  private final boolean synchronous;
  private final Set<EventType> eventTypes;
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Runs this asynchronous listener's deliveries in order; null for synchronous listeners. */
  SerialExecutor lane;

  /**
   * Creates the listener and (if configured) the filter from the configuration's factories.
   *
   * @throws NullPointerException if the listener factory is missing or makes null
   */
  public ListenerRegistration(CacheEntryListenerConfiguration<K, V> configuration) {
    this.configuration = Objects.requireNonNull(configuration, "configuration");
    this.oldValueRequired = configuration.isOldValueRequired();
    this.synchronous = configuration.isSynchronous();
    Factory<CacheEntryListener<? super K, ? super V>> listenerFactory =
        Objects.requireNonNull(configuration.getCacheEntryListenerFactory(), "listener factory");
    this.listener = Objects.requireNonNull(listenerFactory.create(), "listener factory made null");
    Factory<CacheEntryEventFilter<? super K, ? super V>> filterFactory =
        configuration.getCacheEntryEventFilterFactory();
    try {
      this.filter = filterFactory == null ? null : filterFactory.create();
    } catch (RuntimeException | Error e) {
      closeQuietly(listener);
      throw e;
    }
    this.eventTypes = typesOf(listener);
  }

  private static Set<EventType> typesOf(CacheEntryListener<?, ?> listener) {
    Set<EventType> types = EnumSet.noneOf(EventType.class);
    if (listener instanceof CacheEntryCreatedListener) {
      types.add(EventType.CREATED);
    }
    if (listener instanceof CacheEntryUpdatedListener) {
      types.add(EventType.UPDATED);
    }
    if (listener instanceof CacheEntryRemovedListener) {
      types.add(EventType.REMOVED);
    }
    if (listener instanceof CacheEntryExpiredListener) {
      types.add(EventType.EXPIRED);
    }
    return types;
  }

  public CacheEntryListenerConfiguration<K, V> configuration() {
    return configuration;
  }

  public CacheEntryListener<? super K, ? super V> listener() {
    return listener;
  }

  /** The filter, or null when the configuration has no filter factory. */
  public CacheEntryEventFilter<? super K, ? super V> filter() {
    return filter;
  }

  public boolean isOldValueRequired() {
    return oldValueRequired;
  }

  public boolean isSynchronous() {
    return synchronous;
  }

  /** Whether the listener implements the sub-interface for this event type. */
  public boolean handles(EventType type) {
    return eventTypes.contains(type);
  }

  /** Closes the listener, then the filter, each if it is closeable; failures are logged. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      closeQuietly(listener);
      if (filter != listener) {
        closeQuietly(filter);
      }
    }
  }

  private static void closeQuietly(Object customization) {
    if (customization instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        LOG.log(System.Logger.Level.WARNING, "closing " + customization.getClass().getName() + " failed", e);
      }
    }
  }

  @Override
  public String toString() {
    return "ListenerRegistration{" + listener.getClass().getName() + ", types=" + eventTypes
        + ", synchronous=" + synchronous + ", oldValueRequired=" + oldValueRequired + "}";
  }
}
