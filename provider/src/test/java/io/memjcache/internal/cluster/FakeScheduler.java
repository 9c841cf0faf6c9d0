package io.memjcache.internal.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Scheduler} on a fake clock: nothing runs until {@link #advance} moves the clock past a
 * task's time; tasks then run on the calling thread, in time order, each seeing the clock at its own
 * time. Also the clock of the code under test ({@link #nanoTime}).
 */
final class FakeScheduler implements Scheduler {
  private record Task(long at, long sequence, FutureTask<Void> work) {}

  private final PriorityQueue<Task> tasks =
      new PriorityQueue<>(Comparator.comparingLong(Task::at).thenComparingLong(Task::sequence));
  private final List<Long> delays = new ArrayList<>();
  private long now = 1_000_000_000L;
  private long sequence;

  @Override
  public synchronized Future<?> schedule(Runnable task, long delay, TimeUnit unit) {
    long nanos = unit.toNanos(delay);
    delays.add(nanos);
    FutureTask<Void> work = new FutureTask<>(task, null);
    tasks.add(new Task(now + nanos, sequence++, work));
    return work;
  }

  synchronized long nanoTime() {
    return now;
  }

  /** Moves the clock forward, running every task that falls due on the way. */
  void advance(long duration, TimeUnit unit) {
    long until;
    synchronized (this) {
      until = now + unit.toNanos(duration);
    }
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.peek();
        if (next == null || next.at() > until) {
          now = until;
          return;
        }
        tasks.poll();
        now = Math.max(now, next.at());
      }
      next.work().run(); // a cancelled task does nothing
    }
  }

  void advanceMillis(long millis) {
    advance(millis, TimeUnit.MILLISECONDS);
  }

  /** Tasks scheduled and neither run nor cancelled. */
  synchronized int pending() {
    return (int) tasks.stream().filter(t -> !t.work().isDone()).count();
  }

  /** The delay of every task ever scheduled, in nanoseconds, in scheduling order. */
  synchronized List<Long> delays() {
    return new ArrayList<>(delays);
  }
}
