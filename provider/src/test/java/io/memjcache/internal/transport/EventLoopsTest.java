package io.memjcache.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.internal.protocol.Opcode;
import io.memjcache.internal.protocol.Request;
import io.netty.channel.Channel;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shared I/O threads: reference counted, named "memjcache-io-*", gone after the last release,
 * and startable again afterwards. These tests assume no other test in the JVM holds a reference,
 * which is true when every test closes what it opens.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EventLoopsTest {
  private static final ConnectionSettings SETTINGS = ConnectionSettings.DEFAULTS
      .withOperationTimeout(Duration.ofSeconds(5)).withConnectTimeout(Duration.ofSeconds(5));

  static Set<String> memjcacheThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.startsWith("memjcache"))
        .collect(Collectors.toSet());
  }

  /** Waits up to 5 s for every memjcache thread to end; returns those still alive. */
  static Set<String> awaitNoMemjcacheThreads() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    Set<String> alive = memjcacheThreads();
    while (!alive.isEmpty() && System.nanoTime() - deadline < 0) {
      Thread.sleep(20);
      alive = memjcacheThreads();
    }
    return alive;
  }

  @Test
  void release_lastReference_stopsEveryIoThread() throws Exception {
    assertEquals(Set.of(), awaitNoMemjcacheThreads(), "threads left over from an earlier test");
    EventLoops loops = EventLoops.acquire();
    try (FakeMemcached fake = FakeMemcached.start((request, peer) -> peer.replyOk(request))) {
      Connection connection = Connection.open(loops, fake.address(), SETTINGS, null, List.of()).get(5, TimeUnit.SECONDS);
      connection.send(new SingleCommand<>(Request.bare(Opcode.NOOP), (r, n) -> null)).get(5, TimeUnit.SECONDS);
      assertFalse(memjcacheThreads().isEmpty(), "an open connection runs on a memjcache-io thread");
      assertTrue(memjcacheThreads().stream().allMatch(name -> name.startsWith("memjcache-io-")), memjcacheThreads().toString());
      connection.close();
    } finally {
      loops.release();
    }
    assertEquals(Set.of(), awaitNoMemjcacheThreads());
  }

  @Test
  void release_notLastReference_keepsThreadsForOtherUsers() throws Exception {
    EventLoops first = EventLoops.acquire();
    EventLoops second = EventLoops.acquire();
    try {
      assertSame(first, second, "acquire shares one set of threads");
      first.release();
      assertFalse(second.group().isShuttingDown(), "one release of two must not stop the threads");
      second.group().submit(() -> { }).get(5, TimeUnit.SECONDS);
    } finally {
      second.release();
    }
    assertTrue(second.group().isTerminated() || second.group().awaitTermination(5, TimeUnit.SECONDS));
  }

  @Test
  void acquire_afterLastRelease_startsFreshThreadsThatWork() throws Exception {
    EventLoops old = EventLoops.acquire();
    old.release();
    assertTrue(old.group().isTerminated() || old.group().awaitTermination(5, TimeUnit.SECONDS));

    EventLoops fresh = EventLoops.acquire();
    try {
      assertNotSame(old, fresh);
      assertFalse(fresh.group().isShuttingDown());
      try (FakeMemcached fake = FakeMemcached.start((request, peer) -> peer.replyOk(request))) {
        Connection connection = Connection.open(fresh, fake.address(), SETTINGS, null, List.of()).get(5, TimeUnit.SECONDS);
        connection.send(new SingleCommand<>(Request.bare(Opcode.NOOP), (r, n) -> null)).get(5, TimeUnit.SECONDS);
        connection.close();
      }
    } finally {
      fresh.release();
    }
  }

  @Test
  void release_calledTwice_secondIsHarmless() throws Exception {
    EventLoops loops = EventLoops.acquire();
    loops.release();
    loops.release();
    EventLoops next = EventLoops.acquire();
    try {
      next.group().submit(() -> { }).get(5, TimeUnit.SECONDS);
    } finally {
      next.release();
    }
  }

  @Test
  void transportName_isEpollOrNio() {
    EventLoops loops = EventLoops.acquire();
    try {
      assertTrue(Set.of("epoll", "nio").contains(loops.transportName()), loops.transportName());
    } finally {
      loops.release();
    }
  }

  /**
   * A closed connection must not stay reachable from the event loop: with reconnects over days, each
   * leftover would be a leak. (Netty keeps nothing of a closed, deregistered channel.)
   */
  @Test
  void close_connection_channelBecomesUnreachableWhileLoopsLive() throws Exception {
    EventLoops loops = EventLoops.acquire();
    try (FakeMemcached fake = FakeMemcached.start((request, peer) -> peer.replyOk(request))) {
      // Connection.open also schedules its connect-timeout check, which holds the channel until it
      // fires (connectTimeout later, it is not cancelled on success): keep that short here.
      WeakReference<Channel> channel = openUseAndClose(loops, fake,
          SETTINGS.withConnectTimeout(Duration.ofMillis(300)));
      for (int i = 0; i < 100 && channel.get() != null; i++) {
        System.gc();
        Thread.sleep(30);
      }
      assertNull(channel.get(), "the closed connection's channel is still reachable (a task scheduled on the"
          + " event loop for it was never cancelled?)");
    } finally {
      loops.release();
    }
  }

  private static WeakReference<Channel> openUseAndClose(EventLoops loops, FakeMemcached fake,
      ConnectionSettings settings) throws Exception {
    Connection connection = Connection.open(loops, fake.address(), settings, null, List.of()).get(5, TimeUnit.SECONDS);
    connection.send(new SingleCommand<>(Request.bare(Opcode.NOOP), (r, n) -> null)).get(5, TimeUnit.SECONDS);
    connection.close();
    connection.closeFuture().get(5, TimeUnit.SECONDS);
    return new WeakReference<>(connection.channel());
  }
}
