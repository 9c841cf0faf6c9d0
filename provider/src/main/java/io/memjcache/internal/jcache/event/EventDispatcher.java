package io.memjcache.internal.jcache.event;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryEventFilter;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryListenerException;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.event.EventType;

/**
 * One cache's listener registrations and the delivery of its events. Synchronous listeners run on
 * the caller's thread before {@link Events#dispatch()} returns, and their failures reach the
 * caller; each asynchronous listener gets its events in order on a daemon pool, made with the first
 * asynchronous registration, whose idle threads end after ten seconds and which {@link #close()} stops.
 */
public final class EventDispatcher<K, V> implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(EventDispatcher.class.getName());
  private static final long CLOSE_WAIT_MILLIS = 5_000;
  private static final int OLD_VALUE_TYPES =
      bit(EventType.UPDATED) | bit(EventType.REMOVED) | bit(EventType.EXPIRED);

  private final String name;
  private final Object lock = new Object();
  private volatile List<ListenerRegistration<K, V>> registrations = List.of();
  /** Bit per {@link EventType#ordinal()}: some registration's listener handles that type. */
  private volatile int typeMask;
  private ThreadPoolExecutor pool;
  private boolean closed;

  public EventDispatcher() {
    this("cache");
  }

  /** @param name the cache's name, used in thread names and log messages */
  public EventDispatcher(String name) {
    this.name = Objects.requireNonNull(name, "name");
  }

  private static int bit(EventType type) {
    return 1 << type.ordinal();
  }

  /**
   * Creates the listener (and filter) of a configuration and starts delivering events to it.
   *
   * @throws IllegalArgumentException if an equal configuration is already registered
   * @throws IllegalStateException if this dispatcher is closed
   */
  public ListenerRegistration<K, V> register(CacheEntryListenerConfiguration<K, V> configuration) {
    Objects.requireNonNull(configuration, "configuration");
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("the event dispatcher of cache " + name + " is closed");
      }
      for (ListenerRegistration<K, V> registration : registrations) {
        if (registration.configuration().equals(configuration)) {
          throw new IllegalArgumentException("this cache entry listener configuration is already registered");
        }
      }
      ListenerRegistration<K, V> registration = new ListenerRegistration<>(configuration);
      if (!registration.isSynchronous()) {
        registration.lane = new SerialExecutor(pool());
      }
      List<ListenerRegistration<K, V>> updated = new ArrayList<>(registrations);
      updated.add(registration);
      publish(updated);
      return registration;
    }
  }

  /**
   * Stops delivering events to the listener registered with an equal configuration and closes its
   * listener and filter (an asynchronous one after the events already queued for it).
   *
   * @return false when no equal configuration was registered
   */
  public boolean deregister(CacheEntryListenerConfiguration<K, V> configuration) {
    Objects.requireNonNull(configuration, "configuration");
    synchronized (lock) {
      List<ListenerRegistration<K, V>> updated = new ArrayList<>(registrations);
      for (ListenerRegistration<K, V> registration : updated) {
        if (registration.configuration().equals(configuration)) {
          updated.remove(registration);
          publish(updated);
          closeRegistration(registration);
          return true;
        }
      }
      return false;
    }
  }

  /** The current registrations, in registration order. */
  public List<ListenerRegistration<K, V>> registrations() {
    return registrations;
  }

  public boolean hasListeners() {
    return typeMask != 0;
  }

  /** Whether some registered listener implements the sub-interface for this event type. */
  public boolean hasListenersFor(EventType type) {
    return (typeMask & bit(type)) != 0;
  }

  /**
   * Whether an operation must read the previous value to fire its events: true when a listener
   * for UPDATED, REMOVED or EXPIRED is registered.
   */
  public boolean needsOldValue() {
    return (typeMask & OLD_VALUE_TYPES) != 0;
  }

  /** A collector for the events of one cache operation; cheap and inert when nobody listens. */
  @SuppressWarnings("unchecked")
  public Events<K, V> batch(Cache<K, V> source) {
    return hasListeners() ? new Events<>(this, source) : (Events<K, V>) Events.NONE;
  }

  /**
   * Deregisters and closes every listener, waits (a few seconds at most) for the queued
   * asynchronous deliveries, and stops the pool's threads. Idempotent.
   */
  @Override
  public void close() {
    ThreadPoolExecutor stopping;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      List<ListenerRegistration<K, V>> closing = registrations;
      publish(List.of());
      for (ListenerRegistration<K, V> registration : closing) {
        closeRegistration(registration);
      }
      stopping = pool;
      pool = null;
      if (stopping != null) {
        stopping.shutdown();
      }
    }
    if (stopping != null && !(Thread.currentThread() instanceof EventThread thread && thread.pool == stopping)) {
      awaitTermination(stopping); // not when an asynchronous listener closes its own cache: it would wait for itself
    }
  }

  private void awaitTermination(ThreadPoolExecutor stopping) {
    try {
      if (!stopping.awaitTermination(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
        LOG.log(System.Logger.Level.WARNING,
            "asynchronous listeners of cache " + name + " still running after close; interrupting them");
        stopping.shutdownNow();
        stopping.awaitTermination(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      stopping.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** Must hold the lock. */
  private void publish(List<ListenerRegistration<K, V>> updated) {
    int mask = 0;
    for (ListenerRegistration<K, V> registration : updated) {
      for (EventType type : EventType.values()) {
        if (registration.handles(type)) {
          mask |= bit(type);
        }
      }
    }
    registrations = List.copyOf(updated);
    typeMask = mask;
  }

  /** Must hold the lock, so that the pool is not shut down before the close is queued. */
  private static void closeRegistration(ListenerRegistration<?, ?> registration) {
    if (registration.lane == null) {
      registration.close();
      return;
    }
    try {
      registration.lane.execute(registration::close);
    } catch (RejectedExecutionException e) {
      registration.close();
    }
  }

  /** Must hold the lock. */
  private ThreadPoolExecutor pool() {
    if (pool == null) {
      DaemonThreads threads = new DaemonThreads("memjcache-events-" + name);
      pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 10, TimeUnit.SECONDS, new SynchronousQueue<>(), threads);
      threads.pool = pool;
    }
    return pool;
  }

  /** Delivers the events of one operation to every registration; called by {@link Events#dispatch()}. */
  void dispatch(List<MemcachedCacheEntryEvent<K, V>> events) {
    List<ListenerRegistration<K, V>> current = registrations;
    for (ListenerRegistration<K, V> registration : current) {
      if (!registration.isSynchronous()) {
        deliverLater(registration, events);
      }
    }
    Throwable failure = null;
    for (ListenerRegistration<K, V> registration : current) {
      if (registration.isSynchronous()) {
        failure = combine(failure, deliver(registration, events));
      }
    }
    if (failure instanceof Error error) {
      throw error;
    }
    if (failure instanceof CacheEntryListenerException listenerException) {
      throw listenerException;
    }
    if (failure != null) {
      throw new CacheEntryListenerException("a cache entry listener of cache " + name + " failed", failure);
    }
  }

  private void deliverLater(ListenerRegistration<K, V> registration, List<MemcachedCacheEntryEvent<K, V>> events) {
    try {
      registration.lane.execute(() -> {
        Throwable failure = deliver(registration, events);
        if (failure != null) {
          LOG.log(System.Logger.Level.WARNING,
              "asynchronous listener " + registration.listener().getClass().getName() + " of cache " + name
                  + " failed", failure);
        }
      });
    } catch (RejectedExecutionException e) {
      LOG.log(System.Logger.Level.DEBUG, "events of cache " + name + " dropped: the cache is closing");
    }
  }

  /**
   * Gives one registration the events it listens for and its filter passes, as maximal runs of one
   * event type in the order they happened, one listener call per run.
   *
   * @return the first failure (others are suppressed into it), or null
   */
  private static <K, V> Throwable deliver(
      ListenerRegistration<K, V> registration, List<MemcachedCacheEntryEvent<K, V>> events) {
    CacheEntryEventFilter<? super K, ? super V> filter = registration.filter();
    Throwable failure = null;
    List<CacheEntryEvent<? extends K, ? extends V>> run = new ArrayList<>();
    EventType runType = null;
    for (MemcachedCacheEntryEvent<K, V> event : events) {
      EventType type = event.getEventType();
      if (!registration.handles(type)) {
        continue;
      }
      try {
        if (filter != null && !filter.evaluate(event)) {
          continue;
        }
      } catch (Throwable t) {
        failure = combine(failure, t);
        continue;
      }
      if (type != runType && !run.isEmpty()) {
        failure = combine(failure, invoke(registration, runType, run));
        run = new ArrayList<>();
      }
      runType = type;
      run.add(registration.isOldValueRequired() ? event : event.withoutOldValue());
    }
    if (!run.isEmpty()) {
      failure = combine(failure, invoke(registration, runType, run));
    }
    return failure;
  }

  @SuppressWarnings("unchecked")
  private static <K, V> Throwable invoke(
      ListenerRegistration<K, V> registration, EventType type, List<CacheEntryEvent<? extends K, ? extends V>> run) {
    Iterable<CacheEntryEvent<? extends K, ? extends V>> batch = Collections.unmodifiableList(run);
    Object listener = registration.listener();
    try {
      switch (type) {
        case CREATED -> ((CacheEntryCreatedListener<K, V>) listener).onCreated(batch);
        case UPDATED -> ((CacheEntryUpdatedListener<K, V>) listener).onUpdated(batch);
        case REMOVED -> ((CacheEntryRemovedListener<K, V>) listener).onRemoved(batch);
        case EXPIRED -> ((CacheEntryExpiredListener<K, V>) listener).onExpired(batch);
        default -> throw new IllegalStateException("unknown event type " + type);
      }
      return null;
    } catch (Throwable t) {
      return t;
    }
  }

  private static Throwable combine(Throwable first, Throwable next) {
    if (first == null) {
      return next;
    }
    if (next != null && next != first) {
      first.addSuppressed(next);
    }
    return first;
  }

  /** Names the pool's threads and makes them daemons, so a forgotten close never blocks JVM exit. */
  private static final class DaemonThreads implements ThreadFactory {
    private final String prefix;
    private final AtomicInteger count = new AtomicInteger();
    private volatile ThreadPoolExecutor pool;

    DaemonThreads(String prefix) {
      this.prefix = prefix;
    }

    @Override
    public Thread newThread(Runnable task) {
      Thread thread = new EventThread(task, prefix + "-" + count.incrementAndGet(), pool);
      thread.setDaemon(true);
      return thread;
    }
  }

  /** A thread of one dispatcher's pool, so that close() can tell when it runs on one. */
  private static final class EventThread extends Thread {
    final ThreadPoolExecutor pool;

    EventThread(Runnable task, String name, ThreadPoolExecutor pool) {
      super(task, name);
      this.pool = pool;
    }
  }
}
