package io.memjcache.internal.crypto;

import static io.memjcache.internal.crypto.CryptoFixtures.INTERVAL;
import static io.memjcache.internal.crypto.CryptoFixtures.active;
import static io.memjcache.internal.crypto.CryptoFixtures.primary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.config.KeyRing;
import io.memjcache.config.KeyRingSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RefreshingKeyRingTest {
  private final CryptoFixtures.ManualClock clock = new CryptoFixtures.ManualClock();
  private final AtomicReference<KeyRing> source = new AtomicReference<>(KeyRing.of(primary(1)));
  private final AtomicInteger reads = new AtomicInteger();
  private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
  private final List<Runnable> background = new ArrayList<>();

  private RefreshingKeyRing ring() {
    KeyRingSource src = KeyRingSource.from("test", () -> {
      reads.incrementAndGet();
      if (failure.get() != null) {
        throw failure.get();
      }
      return source.get();
    });
    return new RefreshingKeyRing(src, INTERVAL, clock::nanoTime, background::add);
  }

  private void runBackground() {
    List<Runnable> tasks = new ArrayList<>(background);
    background.clear();
    tasks.forEach(Runnable::run);
  }

  @Test
  void construction_readsOnce() {
    RefreshingKeyRing ring = ring();
    assertEquals(1, reads.get());
    assertEquals(1, ring.current().primary().id());
    assertEquals(1, reads.get(), "not again within the interval");
  }

  @Test
  void construction_invalidSource_failsWithTheSourceNamed() {
    KeyRingSource broken = KeyRingSource.from("vault", () -> {
      throw new IllegalStateException("secret: do not log me");
    });
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new RefreshingKeyRing(broken, INTERVAL, clock::nanoTime, Runnable::run));
    assertTrue(e.getMessage().contains("callback:vault"), e.getMessage());
    assertTrue(!e.getMessage().contains("do not log me"), e.getMessage());
  }

  @Test
  void current_afterTheInterval_readsInTheBackground() {
    RefreshingKeyRing ring = ring();
    KeyRing first = ring.current();
    source.set(KeyRing.of(active(1), primary(2)));
    clock.advance(INTERVAL);
    assertSame(first, ring.current(), "the caller does not wait");
    assertEquals(1, background.size());
    ring.current();
    assertEquals(1, background.size(), "one reading at a time");
    runBackground();
    assertEquals(2, ring.current().primary().id());
    assertEquals(2, reads.get());
  }

  @Test
  void current_afterLongIdleness_readsBeforeAnswering() {
    RefreshingKeyRing ring = ring();
    source.set(KeyRing.of(active(1), primary(2)));
    clock.advance(INTERVAL.multipliedBy(2));
    assertEquals(2, ring.current().primary().id());
    assertTrue(background.isEmpty());
  }

  @Test
  void current_afterLongIdleness_concurrentCallersWaitForTheReading() throws Exception {
    java.util.concurrent.CountDownLatch reading = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean block = new java.util.concurrent.atomic.AtomicBoolean();
    KeyRingSource src = KeyRingSource.from("test", () -> {
      if (block.get()) {
        reading.countDown();
        try {
          release.await(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return source.get();
    });
    RefreshingKeyRing ring = new RefreshingKeyRing(src, INTERVAL, clock::nanoTime, background::add);
    source.set(KeyRing.of(active(1), primary(2))); // key 1 retired as primary; a reader must not use the old ring
    block.set(true);
    clock.advance(INTERVAL.multipliedBy(2));
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      java.util.concurrent.Future<KeyRing> first = pool.submit(ring::current);
      assertTrue(reading.await(5, java.util.concurrent.TimeUnit.SECONDS));
      java.util.concurrent.Future<KeyRing> second = pool.submit(ring::current);
      Thread.sleep(100);
      assertTrue(!second.isDone(), "the second caller went on with the ring read two intervals ago");
      release.countDown();
      assertEquals(2, first.get(5, java.util.concurrent.TimeUnit.SECONDS).primary().id());
      assertEquals(2, second.get(5, java.util.concurrent.TimeUnit.SECONDS).primary().id());
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void currentWithoutReading_afterLongIdleness_answersAtOnceAndReadsInTheBackground() {
    RefreshingKeyRing ring = ring();
    KeyRing first = ring.current();
    source.set(KeyRing.of(active(1), primary(2)));
    clock.advance(INTERVAL.multipliedBy(3));

    assertSame(first, ring.currentWithoutReading(), "an I/O thread never waits for the source");
    assertEquals(1, reads.get(), "nothing read on the calling thread");
    assertEquals(1, background.size());
    runBackground();
    assertEquals(2, ring.currentWithoutReading().primary().id());
  }

  @Test
  void currentWithoutReading_withinTheInterval_readsNothing() {
    RefreshingKeyRing ring = ring();
    clock.advance(INTERVAL.dividedBy(2));
    assertEquals(1, ring.currentWithoutReading().primary().id());
    assertTrue(background.isEmpty());
    assertEquals(1, reads.get());
  }

  @Test
  void unchangedRing_keepsTheSameSnapshot() {
    RefreshingKeyRing ring = ring();
    KeyRing first = ring.current();
    source.set(KeyRing.of(primary(1))); // equal content, another object
    clock.advance(INTERVAL.multipliedBy(3));
    assertSame(first, ring.current());
  }

  @Test
  void failedReading_keepsThePreviousRing() {
    RefreshingKeyRing ring = ring();
    failure.set(new IllegalStateException("vault down"));
    clock.advance(INTERVAL.multipliedBy(2));
    assertEquals(1, ring.current().primary().id());
    failure.set(null);
    source.set(KeyRing.of(active(1), primary(2)));
    clock.advance(INTERVAL.multipliedBy(2));
    assertEquals(2, ring.current().primary().id());
  }

  @Test
  void hashingKey_staysTheFirstRingsEvenWhenTheRingDropsIt() {
    RefreshingKeyRing ring = ring();
    source.set(KeyRing.of(primary(2)));
    clock.advance(INTERVAL.multipliedBy(2));
    assertEquals(2, ring.current().hashingKey().id());
    assertEquals(1, ring.hashingKey().id());
  }

  @Test
  void refreshSoon_readsEarlyAtMostOncePerSecond() {
    RefreshingKeyRing ring = ring();
    clock.advance(Duration.ofMillis(500));
    ring.refreshSoon();
    assertTrue(background.isEmpty(), "less than a second after the last reading");
    clock.advance(Duration.ofMillis(600));
    ring.refreshSoon();
    ring.refreshSoon();
    assertEquals(1, background.size());
  }
}
