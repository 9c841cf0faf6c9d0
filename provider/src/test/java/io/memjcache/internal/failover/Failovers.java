package io.memjcache.internal.failover;

import io.memjcache.internal.client.MemcachedClient;
import io.memjcache.internal.cluster.NodeState;
import java.util.concurrent.TimeUnit;

/** Waiting for node states, and the figures the failover tests print. */
final class Failovers {
  private Failovers() {}

  /** Polls every 2 ms until node {@code index} is in {@code state}; returns when it was first seen so. */
  static long awaitState(MemcachedClient client, int index, NodeState state, long timeoutMillis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (client.nodeStates().get(index).state() != state) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("node " + index + " not " + state + " within " + timeoutMillis + " ms: "
            + client.nodeStates());
      }
      sleep(2);
    }
    return System.nanoTime();
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  static long nanos(long millis) {
    return TimeUnit.MILLISECONDS.toNanos(millis);
  }
}
