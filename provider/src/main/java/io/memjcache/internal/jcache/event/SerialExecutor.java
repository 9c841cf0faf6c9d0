package io.memjcache.internal.jcache.event;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs tasks one at a time, in submission order, on a shared pool: the lane that keeps one
 * asynchronous listener's events in order while different listeners run in parallel.
 */
final class SerialExecutor implements Executor {
  private static final System.Logger LOG = System.getLogger(SerialExecutor.class.getName());

  private final Executor pool;
  private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
  private boolean draining;

  SerialExecutor(Executor pool) {
    this.pool = pool;
  }

  /**
   * Queues a task behind those already queued.
   *
   * @throws RejectedExecutionException if the pool is shut down and no drain is under way
   */
  @Override
  public void execute(Runnable task) {
    synchronized (tasks) {
      tasks.add(task);
      if (draining) {
        return;
      }
      draining = true;
    }
    try {
      pool.execute(this::drain);
    } catch (RejectedExecutionException e) {
      synchronized (tasks) {
        tasks.clear();
        draining = false;
      }
      throw e;
    }
  }

  private void drain() {
    while (true) {
      Runnable task;
      synchronized (tasks) {
        task = tasks.poll();
        if (task == null) {
          draining = false;
          return;
        }
      }
      try {
        task.run();
      } catch (Throwable t) {
        LOG.log(System.Logger.Level.WARNING, "asynchronous listener task failed", t);
      }
    }
  }
}
