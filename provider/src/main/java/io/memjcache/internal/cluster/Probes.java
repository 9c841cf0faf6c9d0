package io.memjcache.internal.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The cluster's background work: probing each down node, one probe at a time, paced by its {@link
 * NodeHealth} back-off (and never before its authentication back-off ends), and closing removed
 * nodes once they have no request outstanding. Everything runs on the {@link Scheduler}; nothing
 * is scheduled once the cluster is closed, and what was scheduled is cancelled.
 */
final class Probes {
  private static final System.Logger LOG = System.getLogger(Probes.class.getName());
  private static final long DRAIN_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private final Cluster cluster;
  private final Scheduler scheduler;
  private final Function<Node, CompletableFuture<Void>> probe;
  private final Map<Node, Future<?>> scheduled = new HashMap<>();
  private final Set<Node> running = new HashSet<>();
  private final Map<Node, CompletableFuture<Void>> draining = new HashMap<>();

  /** @param probe opens a connection to the node and asks it something (Node::probe) */
  Probes(Cluster cluster, Scheduler scheduler, Function<Node, CompletableFuture<Void>> probe) {
    this.cluster = cluster;
    this.scheduler = scheduler;
    this.probe = probe;
  }

  /** Schedules the node's next probe after its back-off. */
  void scheduleNext(Node node) {
    long delay = Math.max(node.health().nextProbeDelayNanos(), node.backoffRemainingNanos());
    schedule(node, delay);
  }

  /** Probes the node as soon as possible (it answered a request while down), unless a probe runs. */
  void probeNow(Node node) {
    schedule(node, 0);
  }

  private synchronized void schedule(Node node, long delayNanos) {
    if (running.contains(node)) {
      return;
    }
    Future<?> earlier = scheduled.remove(node);
    if (earlier != null) {
      earlier.cancel(false);
    }
    Future<?> next = cluster.schedule(scheduler, () -> run(node), delayNanos);
    if (next != null) {
      scheduled.put(node, next);
    }
  }

  private void run(Node node) {
    synchronized (this) {
      scheduled.remove(node);
      if (!running.add(node)) {
        return;
      }
    }
    if (cluster.isClosed() || !cluster.isMember(node) || !node.health().isDown()) {
      synchronized (this) {
        running.remove(node);
      }
      return;
    }
    CompletableFuture<Integer> attempt;
    try {
      attempt = probe.apply(node).thenCompose(answered -> cluster.clearStaleValues(node));
    } catch (RuntimeException e) {
      attempt = CompletableFuture.failedFuture(e);
    }
    attempt.whenComplete((cleared, error) -> {
      synchronized (this) {
        running.remove(node);
      }
      if (error == null) {
        cluster.rejoin(node, cleared, TimeUnit.NANOSECONDS.toMillis(node.health().downForNanos()));
      } else if (!cluster.isClosed() && cluster.isMember(node)) {
        LOG.log(System.Logger.Level.DEBUG, "probe of memcached node " + node.name() + " failed: " + error);
        scheduleNext(node);
      }
    });
  }

  /** Stops probing a node (it was removed). */
  synchronized void cancel(Node node) {
    Future<?> pending = scheduled.remove(node);
    if (pending != null) {
      pending.cancel(false);
    }
  }

  /** Cancels every probe, and completes the futures of removed nodes (which the cluster closes). */
  void cancelAll() {
    List<CompletableFuture<Void>> closing;
    synchronized (this) {
      for (Future<?> pending : scheduled.values()) {
        pending.cancel(false);
      }
      scheduled.clear();
      closing = new ArrayList<>(draining.values());
      draining.clear();
    }
    closing.forEach(done -> done.complete(null));
  }

  /** Closes a removed node once nothing sent through it is outstanding (or the cluster closes). */
  CompletableFuture<Void> closeWhenIdle(Node node) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    synchronized (this) {
      draining.put(node, done);
    }
    closeWhenIdle(node, done);
    return done;
  }

  private void closeWhenIdle(Node node, CompletableFuture<Void> done) {
    if (node.outstanding() > 0 && !cluster.isClosed()) {
      Future<?> next = cluster.schedule(scheduler, () -> closeWhenIdle(node, done), DRAIN_POLL_NANOS);
      if (next != null) {
        return;
      }
    }
    node.close();
    cluster.retired(node);
    synchronized (this) {
      draining.remove(node, done);
    }
    done.complete(null);
  }
}
