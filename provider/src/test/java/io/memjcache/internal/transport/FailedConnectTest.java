package io.memjcache.internal.transport;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.concurrent.EventExecutor;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A connection attempt that fails (refused, or past its connect timeout) leaves nothing scheduled
 * on the event loops: each handler's timeout sweep must stop with its channel, connected or not,
 * or every probe of a dead node would add a task that runs every few milliseconds for good.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FailedConnectTest {
  private static final int ATTEMPTS = 50;

  private EventLoops loops;

  @BeforeEach
  void acquire() {
    loops = EventLoops.acquire();
  }

  @AfterEach
  void release() {
    loops.release();
  }

  @Test
  void refusedConnections_leaveNoScheduledTasksBehind() throws Exception {
    InetSocketAddress closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = new InetSocketAddress("127.0.0.1", socket.getLocalPort());
    }
    int before = scheduledTasks();
    for (int i = 0; i < ATTEMPTS; i++) {
      CompletableFuture<Connection> opening =
          Connection.open(loops, closed, ConnectionSettings.DEFAULTS, null, List.of());
      try {
        opening.get(10, TimeUnit.SECONDS);
        throw new AssertionError("a closed port accepted a connection");
      } catch (java.util.concurrent.ExecutionException expected) {
        // refused
      }
    }
    Thread.sleep(100); // closing completes on the event loops
    int after = scheduledTasks();
    assertTrue(after - before < ATTEMPTS / 5,
        ATTEMPTS + " refused connections left " + (after - before) + " tasks scheduled (" + before + " before)");
  }

  /** Tasks scheduled on all the event loops, counted on each loop's own thread. */
  private int scheduledTasks() throws Exception {
    int total = 0;
    for (EventExecutor executor : loops.group()) {
      total += executor.submit(() -> queueSize(executor)).get(5, TimeUnit.SECONDS);
    }
    return total;
  }

  private static int queueSize(EventExecutor executor) throws ReflectiveOperationException {
    for (Class<?> c = executor.getClass(); c != null; c = c.getSuperclass()) {
      try {
        Field field = c.getDeclaredField("scheduledTaskQueue");
        field.setAccessible(true);
        Object queue = field.get(executor);
        return queue == null ? 0 : ((Collection<?>) queue).size();
      } catch (NoSuchFieldException e) {
        // look further up
      }
    }
    throw new AssertionError("no scheduledTaskQueue in " + executor.getClass());
  }
}
