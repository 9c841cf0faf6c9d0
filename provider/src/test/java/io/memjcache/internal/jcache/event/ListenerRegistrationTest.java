package io.memjcache.internal.jcache.event;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryEventFilter;
import javax.cache.event.CacheEntryListener;
import javax.cache.event.EventType;
import org.junit.jupiter.api.Test;

class ListenerRegistrationTest {

  /** A filter that passes everything and counts its closes. */
  static final class ClosingFilter implements CacheEntryEventFilter<String, String>, Closeable {
    final AtomicInteger closes = new AtomicInteger();

    @Override
    public boolean evaluate(CacheEntryEvent<? extends String, ? extends String> event) {
      return true;
    }

    @Override
    public void close() {
      closes.incrementAndGet();
    }
  }

  static final class CreatedOnly implements CacheEntryCreatedListener<String, String> {
    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {}
  }

  private static MutableCacheEntryListenerConfiguration<String, String> config(
      CacheEntryListener<String, String> listener, CacheEntryEventFilter<String, String> filter,
      boolean oldValueRequired, boolean synchronous) {
    return new MutableCacheEntryListenerConfiguration<>(TestCaches.factoryOf(listener),
        filter == null ? null : TestCaches.factoryOf(filter), oldValueRequired, synchronous);
  }

  @Test
  void constructor_configuration_createsListenerAndFilterFromFactories() {
    var listener = new RecordingListener<String, String>();
    var filter = new ClosingFilter();
    var configuration = config(listener, filter, true, false);
    var registration = new ListenerRegistration<>(configuration);
    assertSame(configuration, registration.configuration());
    assertSame(listener, registration.listener());
    assertSame(filter, registration.filter());
    assertTrue(registration.isOldValueRequired());
    assertFalse(registration.isSynchronous());
  }

  @Test
  void constructor_noFilterFactory_filterNull() {
    var registration = new ListenerRegistration<>(config(new RecordingListener<>(), null, false, true));
    assertNull(registration.filter());
    assertTrue(registration.isSynchronous());
    assertFalse(registration.isOldValueRequired());
  }

  @Test
  void handles_listenerImplementsSomeTypes_onlyThose() {
    var registration = new ListenerRegistration<>(config(new CreatedOnly(), null, false, true));
    assertTrue(registration.handles(EventType.CREATED));
    assertFalse(registration.handles(EventType.UPDATED));
    assertFalse(registration.handles(EventType.REMOVED));
    assertFalse(registration.handles(EventType.EXPIRED));

    var all = new ListenerRegistration<>(config(new RecordingListener<>(), null, false, true));
    for (EventType type : EventType.values()) {
      assertTrue(all.handles(type));
    }
  }

  @Test
  void close_closeableListenerAndFilter_closesBothOnce() {
    var listener = new RecordingListener<String, String>();
    var filter = new ClosingFilter();
    var registration = new ListenerRegistration<>(config(listener, filter, false, true));
    registration.close();
    registration.close();
    assertTrue(listener.closed);
    assertEquals(1, filter.closes.get());
  }

  @Test
  void close_plainListener_doesNothing() {
    var registration = new ListenerRegistration<>(config(new CreatedOnly(), null, false, true));
    assertDoesNotThrow(registration::close);
  }

  /** Closing a customization that fails must not stop the cache from closing. */
  @Test
  void close_listenerCloseThrows_swallowedAndFilterStillClosed() {
    class Failing extends RecordingListener<String, String> {
      @Override
      public void close() {
        throw new IllegalStateException("boom");
      }
    }
    var filter = new ClosingFilter();
    var registration = new ListenerRegistration<>(config(new Failing(), filter, false, true));
    assertDoesNotThrow(registration::close);
    assertEquals(1, filter.closes.get());
  }

  @Test
  void constructor_filterFactoryThrows_closesListenerAndRethrows() {
    var listener = new RecordingListener<String, String>();
    var configuration = new MutableCacheEntryListenerConfiguration<String, String>(
        TestCaches.factoryOf(listener), () -> {
          throw new IllegalStateException("no filter");
        }, false, true);
    assertThrows(IllegalStateException.class, () -> new ListenerRegistration<>(configuration));
    assertTrue(listener.closed);
  }

  @Test
  void constructor_noListenerFactory_throwsNullPointer() {
    var configuration = new MutableCacheEntryListenerConfiguration<String, String>(null, null, false, true);
    assertThrows(NullPointerException.class, () -> new ListenerRegistration<>(configuration));
  }

  @Test
  void close_ioExceptionFromCloseable_swallowed() {
    class IoFailing extends RecordingListener<String, String> {
      @Override
      public void close() {
        sneakyThrow(new IOException("io"));
      }
    }
    var registration = new ListenerRegistration<>(config(new IoFailing(), null, false, true));
    assertDoesNotThrow(registration::close);
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
    throw (T) t;
  }
}
