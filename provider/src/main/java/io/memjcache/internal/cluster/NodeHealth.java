package io.memjcache.internal.cluster;

import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * The health state machine of one node. Consecutive failures take it {@link NodeState#DOWN} at the
 * threshold; an answer below the threshold resets the count; only a successful probe brings a down
 * node back {@link NodeState#UP}. It also paces the probes: exponential back-off with jitter, not
 * restarted from the first interval when the node fails again soon after coming back (a flapping
 * node is probed ever less often). Time and randomness are passed in so tests can drive it.
 */
final class NodeHealth {
  private final ClusterSettings settings;
  private final LongSupplier clock;
  private final DoubleSupplier random;
  private final long minProbeNanos;
  private final long maxProbeNanos;

  private volatile NodeState state = NodeState.UP;
  private volatile int consecutiveFailures;
  private String lastError;
  private Throwable lastFailure;
  private long reconnects;
  private long probeNanos;
  private long upSinceNanos;
  private long downSinceNanos;
  private boolean everDown;
  private long nextProbeAtNanos;
  private boolean answeredWhileDown;

  /**
   * @param clock nanoseconds, as {@link System#nanoTime}
   * @param random uniform in [0, 1)
   */
  NodeHealth(ClusterSettings settings, LongSupplier clock, DoubleSupplier random) {
    this.settings = settings;
    this.clock = clock;
    this.random = random;
    this.minProbeNanos = settings.probeInterval().toNanos();
    this.maxProbeNanos = settings.maxProbeInterval().toNanos();
    this.probeNanos = minProbeNanos;
  }

  NodeState state() {
    return state;
  }

  boolean isDown() {
    return state == NodeState.DOWN;
  }

  /**
   * The node answered a request. Resets the failure count of an up node; for a down node (which
   * only probes bring back) returns true the first time, so the caller can probe it at once.
   */
  boolean recordAnswer() {
    if (consecutiveFailures == 0 && state == NodeState.UP) {
      return false; // the common case, without a lock
    }
    synchronized (this) {
      if (state == NodeState.DOWN) {
        boolean first = !answeredWhileDown;
        answeredWhileDown = true;
        return first;
      }
      consecutiveFailures = 0;
      return false;
    }
  }

  /** A failure: returns true if it took the node down. */
  synchronized boolean recordFailure(Throwable failure) {
    if (consecutiveFailures < Integer.MAX_VALUE) {
      consecutiveFailures++;
    }
    lastFailure = failure;
    lastError = describe(failure);
    if (state == NodeState.UP && consecutiveFailures >= settings.failureThreshold()) {
      state = NodeState.DOWN;
      answeredWhileDown = false;
      downSinceNanos = clock.getAsLong();
      if (!everDown || clock.getAsLong() - upSinceNanos >= maxProbeNanos) {
        probeNanos = minProbeNanos; // up long enough: start over; else keep backing off
      }
      everDown = true;
      return true;
    }
    return false;
  }

  /** A connection was opened after an earlier one. */
  synchronized void recordReconnect() {
    reconnects++;
  }

  /**
   * The delay before the next probe: the current back-off varied by up to ±20%, after which the
   * back-off doubles, up to the maximum.
   */
  synchronized long nextProbeDelayNanos() {
    long base = probeNanos;
    probeNanos = Math.min(maxProbeNanos, probeNanos * 2);
    double factor = 1 + ClusterSettings.PROBE_JITTER_PERCENT / 100.0 * (2 * random.getAsDouble() - 1);
    long delay = Math.max(1, (long) (base * factor));
    nextProbeAtNanos = clock.getAsLong() + delay;
    answeredWhileDown = false;
    return delay;
  }

  /** A probe succeeded: returns true if that brought the node up. */
  synchronized boolean recordUp() {
    if (state == NodeState.UP) {
      return false;
    }
    state = NodeState.UP;
    consecutiveFailures = 0;
    upSinceNanos = clock.getAsLong();
    return true;
  }

  /** How long the node has been down (0 if it is up). */
  synchronized long downForNanos() {
    return state == NodeState.DOWN ? clock.getAsLong() - downSinceNanos : 0;
  }

  synchronized Throwable lastFailure() {
    return lastFailure;
  }

  synchronized NodeStatus status(String name) {
    return new NodeStatus(name, state, consecutiveFailures, lastError, reconnects);
  }

  /** Why a request for this down node is refused: its failures, the last one, and the next probe. */
  synchronized String downMessage(String name) {
    long untilProbe = Math.max(0, TimeUnit.NANOSECONDS.toMillis(nextProbeAtNanos - clock.getAsLong()));
    return "node " + name + " is down after " + consecutiveFailures + " consecutive failure"
        + (consecutiveFailures == 1 ? "" : "s") + " (last: " + lastError + "); next probe in " + untilProbe + " ms";
  }

  static String describe(Throwable failure) {
    if (failure == null) {
      return null;
    }
    String message = failure.getMessage();
    return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
  }
}
