package io.memjcache.internal.cluster;

import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Runs the cluster's background tasks (probes of down nodes, closing removed ones) later. The
 * client passes its I/O event loops, so the cluster owns no thread of its own; tests pass a fake
 * clock.
 */
@FunctionalInterface
public interface Scheduler {
  /** Runs {@code task} once after {@code delay}; the returned future cancels it. */
  Future<?> schedule(Runnable task, long delay, TimeUnit unit);
}
