package io.memjcache.internal.jcache.event;

import static io.memjcache.internal.jcache.event.TestCaches.factoryOf;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOError;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import javax.cache.Cache;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryEventFilter;
import javax.cache.event.CacheEntryListener;
import javax.cache.event.CacheEntryListenerException;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.EventType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

class EventDispatcherTest {
  private final String name;
  private final Cache<Integer, String> cache;
  private final EventDispatcher<Integer, String> dispatcher;

  EventDispatcherTest(TestInfo info) {
    name = "test-" + info.getTestMethod().orElseThrow().getName();
    cache = TestCaches.named(name);
    dispatcher = new EventDispatcher<>(name);
  }

  @AfterEach
  void closeDispatcher() {
    dispatcher.close();
  }

  static final class CreatedOnly implements CacheEntryCreatedListener<Integer, String> {
    final List<List<Integer>> calls = new ArrayList<>();

    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends Integer, ? extends String>> events) {
      List<Integer> keys = new ArrayList<>();
      events.forEach(e -> keys.add(e.getKey()));
      calls.add(keys);
    }
  }

  static final class RemovedOnly implements CacheEntryRemovedListener<Integer, String> {
    @Override
    public void onRemoved(Iterable<CacheEntryEvent<? extends Integer, ? extends String>> events) {}
  }

  /** Throws the given throwable from every listener call. */
  static final class Throwing extends RecordingListener<Integer, String> {
    private final Throwable toThrow;

    Throwing(Throwable toThrow) {
      this.toThrow = toThrow;
    }

    @Override
    void record(EventType type, Iterable<CacheEntryEvent<? extends Integer, ? extends String>> events) {
      super.record(type, events);
      EventDispatcherTest.<RuntimeException>sneakyThrow(toThrow);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
    throw (T) t;
  }

  private static CacheEntryListenerConfiguration<Integer, String> config(
      CacheEntryListener<Integer, String> listener, boolean oldValueRequired, boolean synchronous) {
    return new MutableCacheEntryListenerConfiguration<>(factoryOf(listener), null, oldValueRequired, synchronous);
  }

  private static CacheEntryListenerConfiguration<Integer, String> filtered(
      CacheEntryListener<Integer, String> listener, CacheEntryEventFilter<Integer, String> filter,
      boolean oldValueRequired) {
    return new MutableCacheEntryListenerConfiguration<>(factoryOf(listener), factoryOf(filter), oldValueRequired, true);
  }

  private List<Thread> poolThreads() {
    String prefix = "memjcache-events-" + name + "-";
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith(prefix) && t.isAlive())
        .toList();
  }

  private static void awaitCalls(RecordingListener<?, ?> listener, int calls) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (listener.calls.size() < calls && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(calls, listener.calls.size());
  }

  // ---- registration ----

  /** TCK CacheListenerTest.testDynamicRegistration: the same configuration can only be registered once. */
  @Test
  void register_equalConfigurationTwice_throwsIllegalArgument() {
    var configuration = config(new RecordingListener<>(), false, true);
    dispatcher.register(configuration);
    assertThrows(IllegalArgumentException.class, () -> dispatcher.register(configuration));
    var copy = new MutableCacheEntryListenerConfiguration<>(configuration);
    assertThrows(IllegalArgumentException.class, () -> dispatcher.register(copy));
    assertEquals(1, dispatcher.registrations().size());
  }

  @Test
  void register_null_throwsNullPointer() {
    assertThrows(NullPointerException.class, () -> dispatcher.register(null));
    assertThrows(NullPointerException.class, () -> dispatcher.deregister(null));
  }

  @Test
  void register_afterClose_throwsIllegalState() {
    dispatcher.close();
    assertThrows(IllegalStateException.class, () -> dispatcher.register(config(new RecordingListener<>(), false, true)));
  }

  @Test
  void register_twoConfigurations_keptInRegistrationOrder() {
    var first = config(new RecordingListener<>(), false, true);
    var second = config(new RecordingListener<>(), true, false);
    var r1 = dispatcher.register(first);
    var r2 = dispatcher.register(second);
    assertEquals(List.of(r1, r2), dispatcher.registrations());
    assertSame(second, r2.configuration());
  }

  /** TCK CacheListenerTest.testDeregistration: deregistering twice has no effect the second time. */
  @Test
  void deregister_registered_closesListenerAndStopsDelivery() {
    var listener = new RecordingListener<Integer, String>();
    var configuration = config(listener, false, true);
    dispatcher.register(configuration);
    assertTrue(dispatcher.deregister(configuration));
    assertTrue(listener.closed);
    assertFalse(dispatcher.deregister(configuration));
    assertTrue(dispatcher.registrations().isEmpty());

    dispatcher.batch(cache).created(1, "a").dispatch();
    assertTrue(listener.calls.isEmpty());
  }

  @Test
  void deregister_neverRegistered_returnsFalse() {
    assertFalse(dispatcher.deregister(config(new RecordingListener<>(), false, true)));
  }

  @Test
  void queries_dependOnRegisteredListenerTypes() {
    assertFalse(dispatcher.hasListeners());
    assertFalse(dispatcher.needsOldValue());

    var created = config(new CreatedOnly(), false, true);
    dispatcher.register(created);
    assertTrue(dispatcher.hasListeners());
    assertTrue(dispatcher.hasListenersFor(EventType.CREATED));
    assertFalse(dispatcher.hasListenersFor(EventType.REMOVED));
    assertFalse(dispatcher.needsOldValue());

    var removed = config(new RemovedOnly(), false, true);
    dispatcher.register(removed);
    assertTrue(dispatcher.hasListenersFor(EventType.REMOVED));
    assertTrue(dispatcher.needsOldValue());

    dispatcher.deregister(removed);
    assertFalse(dispatcher.needsOldValue());
    dispatcher.deregister(created);
    assertFalse(dispatcher.hasListeners());
  }

  // ---- collecting ----

  @Test
  void batch_noListeners_inertCollector() {
    Events<Integer, String> events = dispatcher.batch(cache);
    assertSame(events, dispatcher.batch(cache));
    events.created(1, "a").removed(2, "b");
    assertTrue(events.isEmpty());
    assertDoesNotThrow(events::dispatch);
  }

  @Test
  void batch_typeNobodyListensFor_notRecorded() {
    dispatcher.register(config(new CreatedOnly(), false, true));
    Events<Integer, String> events = dispatcher.batch(cache);
    assertNotSame(dispatcher.batch(cache), events);
    events.updated(1, "a", "b").removed(1, "b").expired(1, "b");
    assertTrue(events.isEmpty());
    events.created(1, "a");
    assertFalse(events.isEmpty());
  }

  @Test
  void dispatch_twice_deliversOnce() {
    var listener = new RecordingListener<Integer, String>();
    dispatcher.register(config(listener, false, true));
    Events<Integer, String> events = dispatcher.batch(cache).created(1, "a");
    events.dispatch();
    events.dispatch();
    assertEquals(1, listener.calls.size());
    assertTrue(events.isEmpty());
  }

  // ---- delivery ----

  /** Events reach a listener in the order they happened; consecutive events of one type share a call. */
  @Test
  void dispatch_mixedTypes_oneCallPerRunOfOneTypeInOrder() {
    var listener = new RecordingListener<Integer, String>();
    dispatcher.register(config(listener, true, true));
    dispatcher.batch(cache)
        .created(1, "a").created(2, "b")
        .updated(1, "a", "a2")
        .created(3, "c")
        .removed(2, "b").expired(3, "c")
        .dispatch();

    assertEquals(List.of(EventType.CREATED, EventType.UPDATED, EventType.CREATED, EventType.REMOVED, EventType.EXPIRED),
        listener.calls.stream().map(RecordingListener.Call::type).toList());
    assertEquals(List.of(1, 2, 1, 3, 2, 3), listener.keys());
    assertEquals(List.of(1, 2), listener.calls.get(0).keys());
  }

  /** A listener gets only the types it implements, so the events it does get form one batch. */
  @Test
  void dispatch_listenerForOneType_getsOnlyThatTypeInOneCall() {
    var createdOnly = new CreatedOnly();
    dispatcher.register(config(createdOnly, false, true));
    dispatcher.batch(cache).created(1, "a").updated(1, "a", "b").created(2, "c").removed(1, "b").created(3, "d")
        .dispatch();
    assertEquals(List.of(List.of(1, 2, 3)), createdOnly.calls);
  }

  @Test
  void dispatch_filter_deliversOnlyEventsItPasses() {
    var listener = new RecordingListener<Integer, String>();
    CacheEntryEventFilter<Integer, String> evenKeys = event -> event.getKey() % 2 == 0;
    dispatcher.register(filtered(listener, evenKeys, false));
    dispatcher.batch(cache).created(1, "a").created(2, "b").created(3, "c").created(4, "d").dispatch();
    assertEquals(List.of(2, 4), listener.keys());
    assertEquals(1, listener.calls.size());
  }

  /** Like the RI, the filter sees the whole event even when the listener did not ask for old values. */
  @Test
  void dispatch_filterOfListenerWithoutOldValues_seesOldValue() {
    var listener = new RecordingListener<Integer, String>();
    List<String> seen = new ArrayList<>();
    CacheEntryEventFilter<Integer, String> filter = event -> seen.add(event.getOldValue());
    dispatcher.register(filtered(listener, filter, false));
    dispatcher.batch(cache).removed(1, "gone").dispatch();
    assertEquals(List.of("gone"), seen);
    assertNull(listener.calls.get(0).events().get(0).getOldValue());
  }

  @Test
  void dispatch_oldValueRequired_oldValuesDelivered() {
    var listener = new RecordingListener<Integer, String>();
    dispatcher.register(config(listener, true, true));
    dispatcher.batch(cache).updated(1, "old", "new").removed(2, "gone").dispatch();

    CacheEntryEvent<? extends Integer, ? extends String> updated = listener.calls.get(0).events().get(0);
    assertTrue(updated.isOldValueAvailable());
    assertEquals("old", updated.getOldValue());
    assertEquals("new", updated.getValue());
    CacheEntryEvent<? extends Integer, ? extends String> removed = listener.calls.get(1).events().get(0);
    assertTrue(removed.isOldValueAvailable());
    assertEquals("gone", removed.getOldValue());
    assertEquals("gone", removed.getValue());
    assertSame(cache, removed.getSource());
  }

  /**
   * TCK CacheTestSupport.MyCacheEntryListener: without isOldValueRequired a REMOVED or EXPIRED event
   * must have both value and old value, or neither. Like the RI, we give neither.
   */
  @Test
  void dispatch_oldValueNotRequired_oldValuesWithheld() {
    var listener = new RecordingListener<Integer, String>();
    dispatcher.register(config(listener, false, true));
    dispatcher.batch(cache).updated(1, "old", "new").removed(2, "gone").expired(3, "old3").dispatch();

    CacheEntryEvent<? extends Integer, ? extends String> updated = listener.calls.get(0).events().get(0);
    assertFalse(updated.isOldValueAvailable());
    assertNull(updated.getOldValue());
    assertEquals("new", updated.getValue());
    for (int i = 1; i <= 2; i++) {
      CacheEntryEvent<? extends Integer, ? extends String> event = listener.calls.get(i).events().get(0);
      assertFalse(event.isOldValueAvailable());
      assertNull(event.getOldValue());
      assertNull(event.getValue());
    }
  }

  @Test
  void dispatch_synchronous_deliveredOnCallingThreadBeforeReturn() {
    var listener = new RecordingListener<Integer, String>();
    dispatcher.register(config(listener, false, true));
    dispatcher.batch(cache).created(1, "a").dispatch();
    assertEquals(1, listener.calls.size());
    assertSame(Thread.currentThread(), listener.calls.get(0).thread());
    assertTrue(poolThreads().isEmpty(), "synchronous listeners need no threads");
  }

  /** Spec (CacheEntryListener): exceptions other than CacheEntryListenerException are wrapped in one. */
  @Test
  void dispatch_syncListenerThrowsRuntimeException_wrappedInCacheEntryListenerException() {
    var failure = new UnsupportedOperationException("broken");
    dispatcher.register(config(new Throwing(failure), false, true));
    var e = assertThrows(CacheEntryListenerException.class, () -> dispatcher.batch(cache).created(1, "a").dispatch());
    assertSame(failure, e.getCause());
  }

  @Test
  void dispatch_syncListenerThrowsCacheEntryListenerException_propagatedAsIs() {
    var failure = new CacheEntryListenerException("I broke");
    dispatcher.register(config(new Throwing(failure), false, true));
    var e = assertThrows(CacheEntryListenerException.class, () -> dispatcher.batch(cache).created(1, "a").dispatch());
    assertSame(failure, e);
  }

  /** TCK CacheListenerTest.testBrokenCacheEntryListener: "We don't wrap Error". */
  @Test
  void dispatch_syncListenerThrowsError_propagatedUnwrapped() {
    var failure = new IOError(null);
    dispatcher.register(config(new Throwing(failure), false, true));
    var e = assertThrows(IOError.class, () -> dispatcher.batch(cache).removed(1, "a").dispatch());
    assertSame(failure, e);
  }

  @Test
  void dispatch_syncListenerThrowsCheckedException_wrapped() {
    var failure = new Exception("checked");
    dispatcher.register(config(new Throwing(failure), false, true));
    var e = assertThrows(CacheEntryListenerException.class, () -> dispatcher.batch(cache).created(1, "a").dispatch());
    assertSame(failure, e.getCause());
  }

  /** A broken listener does not keep the events from the others; the first failure is reported. */
  @Test
  void dispatch_oneSyncListenerThrows_othersStillNotified() {
    var before = new Throwing(new IllegalStateException("first"));
    var healthy = new RecordingListener<Integer, String>();
    var after = new Throwing(new IllegalArgumentException("second"));
    dispatcher.register(config(before, false, true));
    dispatcher.register(config(healthy, false, true));
    dispatcher.register(config(after, false, true));

    var e = assertThrows(CacheEntryListenerException.class,
        () -> dispatcher.batch(cache).created(1, "a").updated(1, "a", "b").dispatch());
    assertInstanceOf(IllegalStateException.class, e.getCause());
    assertEquals(2, healthy.calls.size());
    assertEquals(2, after.calls.size(), "a throwing listener still gets its other calls");
    assertEquals(1, e.getCause().getSuppressed().length, "the later listener's failure, once");
    assertInstanceOf(IllegalArgumentException.class, e.getCause().getSuppressed()[0]);
  }

  @Test
  void dispatch_syncFilterThrows_wrapped() {
    var listener = new RecordingListener<Integer, String>();
    CacheEntryEventFilter<Integer, String> broken = event -> {
      throw new IllegalStateException("bad filter");
    };
    dispatcher.register(filtered(listener, broken, false));
    var e = assertThrows(CacheEntryListenerException.class, () -> dispatcher.batch(cache).created(1, "a").dispatch());
    assertInstanceOf(IllegalStateException.class, e.getCause());
    assertTrue(listener.calls.isEmpty());
  }

  @Test
  void dispatch_asynchronous_deliveredOnPoolThreadInOrder() throws Exception {
    var listener = new RecordingListener<Integer, String>();
    dispatcher.register(config(listener, false, false));
    for (int i = 0; i < 200; i++) {
      dispatcher.batch(cache).created(i, "v" + i).dispatch();
    }
    awaitCalls(listener, 200);
    assertEquals(IntStream.range(0, 200).boxed().toList(), listener.keys());
    for (var call : listener.calls) {
      assertNotSame(Thread.currentThread(), call.thread());
      assertTrue(call.thread().getName().startsWith("memjcache-events-" + name), call.thread().getName());
      assertTrue(call.thread().isDaemon());
    }
  }

  @Test
  void dispatch_asynchronousListenerBlocked_callerDoesNotWait() throws Exception {
    var release = new CountDownLatch(1);
    var listener = new RecordingListener<Integer, String>() {
      @Override
      void record(EventType type, Iterable<CacheEntryEvent<? extends Integer, ? extends String>> events) {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        super.record(type, events);
      }
    };
    var sync = new RecordingListener<Integer, String>();
    dispatcher.register(config(listener, false, false));
    dispatcher.register(config(sync, false, true));
    dispatcher.batch(cache).created(1, "a").dispatch();
    assertEquals(1, sync.calls.size());
    assertTrue(listener.calls.isEmpty());
    release.countDown();
    awaitCalls(listener, 1);
  }

  @Test
  void dispatch_asynchronousListenerThrows_loggedNotPropagated() throws Exception {
    var failing = new Throwing(new IllegalStateException("async failure"));
    dispatcher.register(config(failing, false, false));
    assertDoesNotThrow(() -> dispatcher.batch(cache).created(1, "a").dispatch());
    assertDoesNotThrow(() -> dispatcher.batch(cache).created(2, "b").dispatch());
    awaitCalls(failing, 2);
    assertEquals(List.of(1, 2), failing.keys());
  }

  // ---- closing ----

  @Test
  void close_synchronousListeners_closedAndDeregistered() {
    var listener = new RecordingListener<Integer, String>();
    dispatcher.register(config(listener, false, true));
    dispatcher.close();
    assertTrue(listener.closed);
    assertTrue(dispatcher.registrations().isEmpty());
    assertFalse(dispatcher.hasListeners());
    dispatcher.batch(cache).created(1, "a").dispatch();
    assertTrue(listener.calls.isEmpty());
    assertDoesNotThrow(dispatcher::close);
  }

  @Test
  void close_asynchronousListener_deliversQueuedEventsThenClosesAndLeavesNoThreads() throws Exception {
    var listener = new RecordingListener<Integer, String>() {
      @Override
      void record(EventType type, Iterable<CacheEntryEvent<? extends Integer, ? extends String>> events) {
        if (closed) {
          throw new AssertionError("event after close");
        }
        try {
          Thread.sleep(2);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        super.record(type, events);
      }
    };
    var second = new RecordingListener<Integer, String>();
    dispatcher.register(config(listener, false, false));
    dispatcher.register(config(second, false, false));
    for (int i = 0; i < 50; i++) {
      dispatcher.batch(cache).created(i, "v").dispatch();
    }
    assertFalse(poolThreads().isEmpty());
    dispatcher.close();

    assertEquals(50, listener.calls.size());
    assertEquals(50, second.calls.size());
    assertTrue(listener.closed);
    assertTrue(second.closed);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!poolThreads().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(5); // a terminated pool's last worker may still be unwinding
    }
    assertEquals(List.of(), poolThreads());
  }

  @Test
  void deregister_asynchronousListener_closedAfterItsQueuedEvents() throws Exception {
    var release = new CountDownLatch(1);
    var listener = new RecordingListener<Integer, String>() {
      @Override
      void record(EventType type, Iterable<CacheEntryEvent<? extends Integer, ? extends String>> events) {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        super.record(type, events);
      }
    };
    var configuration = config(listener, false, false);
    dispatcher.register(configuration);
    dispatcher.batch(cache).created(1, "a").dispatch();
    dispatcher.batch(cache).created(2, "b").dispatch();
    assertTrue(dispatcher.deregister(configuration));
    assertFalse(listener.closed, "closed only after the queued events");
    release.countDown();
    awaitCalls(listener, 2);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!listener.closed && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertTrue(listener.closed);
  }

  /** A listener may close its own cache; close() must not then wait for the thread it runs on. */
  @Test
  void close_fromAsynchronousListener_returnsWithoutWaitingForItself() throws Exception {
    var closedAt = new CountDownLatch(1);
    var listener = new RecordingListener<Integer, String>() {
      @Override
      void record(EventType type, Iterable<CacheEntryEvent<? extends Integer, ? extends String>> events) {
        super.record(type, events);
        dispatcher.close();
        closedAt.countDown();
      }
    };
    dispatcher.register(config(listener, false, false));
    dispatcher.batch(cache).created(1, "a").dispatch();
    assertTrue(closedAt.await(2, TimeUnit.SECONDS), "close() from a pool thread returned promptly");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while ((!listener.closed || !poolThreads().isEmpty()) && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertTrue(listener.closed);
    assertEquals(List.of(), poolThreads());
  }
}
