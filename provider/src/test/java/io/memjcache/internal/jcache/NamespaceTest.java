package io.memjcache.internal.jcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The generation a JVM uses never goes back past its own clear(). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NamespaceTest {
  /**
   * A generation item whose reads can be held after they have seen the value, as when memcached has
   * answered but the reading thread has not yet stored the answer.
   */
  private static class HeldSource implements Namespace.Source {
    final AtomicLong item = new AtomicLong(100);
    volatile CountDownLatch readSeen;
    volatile CountDownLatch release;

    @Override
    public long read() {
      long value = item.get();
      CountDownLatch held = release;
      if (held != null) {
        readSeen.countDown();
        try {
          assertTrue(held.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
      }
      return value;
    }

    @Override
    public Long increment() {
      return item.incrementAndGet();
    }

    void holdNextRead() {
      readSeen = new CountDownLatch(1);
      release = new CountDownLatch(1);
    }

    void releaseRead() {
      CountDownLatch held = release;
      release = null;
      held.countDown();
    }
  }

  @Test
  void refreshAnsweredBeforeAClear_storedAfterIt_doesNotBringBackTheClearedGeneration() throws Exception {
    HeldSource source = new HeldSource();
    Namespace namespace = new Namespace(source, 1);
    assertEquals(100, namespace.current());
    Thread.sleep(5); // the refresh bound (1 ms) has passed: the next current() re-reads
    source.holdNextRead();
    CompletableFuture<Long> refreshing = CompletableFuture.supplyAsync(namespace::current);
    assertTrue(source.readSeen.await(10, TimeUnit.SECONDS));
    assertEquals(101, namespace.advance(), "clear() moves to the next generation");
    source.releaseRead();
    refreshing.get(10, TimeUnit.SECONDS);
    assertEquals(101, namespace.current(), "the refresh that read 100 before the clear must not win");
  }

  @Test
  void refreshEveryCall_readBeforeAClear_doesNotBringBackTheClearedGeneration() throws Exception {
    HeldSource source = new HeldSource();
    Namespace namespace = new Namespace(source, 0);
    source.holdNextRead();
    CompletableFuture<Long> refreshing = CompletableFuture.supplyAsync(namespace::current);
    assertTrue(source.readSeen.await(10, TimeUnit.SECONDS));
    assertEquals(101, namespace.advance());
    source.releaseRead();
    assertEquals(101, refreshing.get(10, TimeUnit.SECONDS), "the reader returns the generation of the clear");
    assertEquals(101, namespace.current());
  }

  @Test
  void refresh_afterAnotherClientsClear_takesTheNewGeneration() throws Exception {
    HeldSource source = new HeldSource();
    Namespace namespace = new Namespace(source, 1);
    source.item.set(205); // another JVM cleared
    Thread.sleep(5);
    assertEquals(205, namespace.current());
  }

  @Test
  void advance_afterTheItemWasEvicted_takesTheFreshGeneration() {
    HeldSource source = new HeldSource() {
      @Override
      public Long increment() {
        item.set(7); // gone, and re-created by the read with another value
        return null;
      }
    };
    Namespace namespace = new Namespace(source, 1_000);
    assertEquals(7, namespace.advance());
    assertEquals(7, namespace.current());
  }
}
