package io.memjcache.internal.failover;

import io.memjcache.internal.client.DeleteResult;
import io.memjcache.internal.client.Item;
import io.memjcache.internal.client.MemcachedClient;
import io.memjcache.internal.client.StoreResult;
import io.memjcache.internal.cluster.Node;
import io.memjcache.internal.transport.MemcachedException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Threads running mixed get / set / delete on keys of their own, with {@link CheckedValue}s, and
 * counting per key's own node (the node the key belonged to when the workload was built) what
 * succeeded and failed, in 100 ms buckets. Each thread owns its keys, so it knows the last write it
 * issued and the last one acknowledged: a value for another key or a corrupted one is a wrong value,
 * one older than an acknowledged write (or read after an acknowledged delete) is a stale read. A
 * miss is always fine: a cache may lose data, and a killed server does.
 */
final class Workload implements AutoCloseable {
  static final long BUCKET_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final int SAMPLES = 20;

  private final MemcachedClient client;
  private final List<String> nodes;
  private final byte[][][] keys;
  private final int[][] homes;
  private final int buckets;
  private final AtomicLongArray[] ok;
  private final AtomicLongArray[] failed;
  private final AtomicLong[] lastFailureNanos;
  private final AtomicLong[] maxFailureLatencyNanos;
  private final AtomicLong wrongValues = new AtomicLong();
  private final AtomicLong staleReads = new AtomicLong();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final Map<String, Boolean> errorSamples = new ConcurrentHashMap<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running;
  private long startNanos;

  /**
   * @param nodes the names of the client's nodes, in order; a key's own node is an index into it
   * @param maxDuration how long the workload may run (the size of the bucket arrays)
   */
  Workload(MemcachedClient client, String prefix, int threadCount, int keysPerThread, Duration maxDuration) {
    this.client = client;
    this.nodes = client.cluster().nodes().stream().map(Node::name).toList();
    this.keys = new byte[threadCount][keysPerThread][];
    this.homes = new int[threadCount][keysPerThread];
    for (int t = 0; t < threadCount; t++) {
      for (int k = 0; k < keysPerThread; k++) {
        keys[t][k] = (prefix + "-t" + t + "-k" + k).getBytes(StandardCharsets.US_ASCII);
        homes[t][k] = nodes.indexOf(client.nodeFor(keys[t][k]).name());
      }
    }
    this.buckets = (int) (maxDuration.toNanos() / BUCKET_NANOS) + 1;
    this.ok = new AtomicLongArray[nodes.size()];
    this.failed = new AtomicLongArray[nodes.size()];
    this.lastFailureNanos = new AtomicLong[nodes.size()];
    this.maxFailureLatencyNanos = new AtomicLong[nodes.size()];
    for (int n = 0; n < nodes.size(); n++) {
      ok[n] = new AtomicLongArray(buckets);
      failed[n] = new AtomicLongArray(buckets);
      lastFailureNanos[n] = new AtomicLong(Long.MIN_VALUE);
      maxFailureLatencyNanos[n] = new AtomicLong();
    }
  }

  List<String> nodes() {
    return nodes;
  }

  /** How many of the keys belong to each node. */
  int[] keysPerNode() {
    int[] counts = new int[nodes.size()];
    for (int[] row : homes) {
      for (int home : row) {
        counts[home]++;
      }
    }
    return counts;
  }

  void start() {
    running = true;
    startNanos = System.nanoTime();
    for (int t = 0; t < keys.length; t++) {
      int thread = t;
      Thread worker = new Thread(() -> run(thread), "failover-workload-" + t);
      worker.setDaemon(true);
      threads.add(worker);
      worker.start();
    }
  }

  private void run(int thread) {
    SplittableRandom random = new SplittableRandom(thread * 7919L + System.nanoTime());
    byte[][] own = keys[thread];
    long[] issued = new long[own.length];
    long[] floor = new long[own.length];
    while (running && System.nanoTime() - startNanos < (buckets - 1) * BUCKET_NANOS) {
      int k = random.nextInt(own.length);
      byte[] key = own[k];
      int home = homes[thread][k];
      double choice = random.nextDouble();
      long t0 = System.nanoTime();
      try {
        if (choice < 0.5) {
          Item item = MemcachedClient.await(client.get(key), 10_000);
          if (item != null) {
            check(key, item.value(), issued[k], floor[k]);
          }
        } else if (choice < 0.85) {
          long sequence = ++issued[k];
          StoreResult stored = MemcachedClient.await(client.set(key, CheckedValue.of(key, sequence), 0, 0), 10_000);
          if (stored.stored()) {
            floor[k] = sequence;
          }
        } else {
          long last = issued[k];
          DeleteResult deleted = MemcachedClient.await(client.delete(key, 0L), 10_000);
          if (deleted != DeleteResult.EXISTS) {
            floor[k] = last + 1; // any value read from now on must come from a later write
          }
        }
        ok[home].incrementAndGet(bucket(t0));
      } catch (RuntimeException e) {
        if (!(e instanceof MemcachedException)) {
          problem("unexpected " + e);
        }
        long now = System.nanoTime();
        failed[home].incrementAndGet(bucket(t0));
        lastFailureNanos[home].accumulateAndGet(now, Math::max);
        maxFailureLatencyNanos[home].accumulateAndGet(now - t0, Math::max);
        if (errorSamples.size() < SAMPLES * nodes.size()) {
          errorSamples.putIfAbsent(nodes.get(home) + ": " + e.getClass().getSimpleName() + ": "
              + String.valueOf(e.getMessage()).replaceAll("[0-9]+ ms", "N ms"), Boolean.TRUE);
        }
        pause(); // a failing request can return at once: do not spin
      }
    }
  }

  private void check(byte[] key, byte[] value, long issued, long floor) {
    long sequence = CheckedValue.sequence(key, value);
    String name = new String(key, StandardCharsets.US_ASCII);
    if (sequence < 0 || sequence > issued) {
      wrongValues.incrementAndGet();
      problem("wrong value for " + name + (sequence < 0 ? " (another key's, or corrupt)" : " (never written: "
          + sequence + " > " + issued + ")"));
    } else if (sequence < floor) {
      staleReads.incrementAndGet();
      problem("stale value for " + name + ": write " + sequence + ", but write " + floor
          + " or a later delete was acknowledged");
    }
  }

  private void problem(String text) {
    if (problems.size() < 50) {
      problems.add(text);
    }
  }

  private static void pause() {
    try {
      Thread.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private int bucket(long nanos) {
    return (int) Math.min(buckets - 1, Math.max(0, (nanos - startNanos) / BUCKET_NANOS));
  }

  /** Stops the threads and waits for them. */
  void stop() throws InterruptedException {
    running = false;
    for (Thread thread : threads) {
      thread.join(15_000);
      if (thread.isAlive()) {
        throw new AssertionError(thread.getName() + " did not stop");
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  // ---------------------------------------------------------------- results

  long wrongValues() {
    return wrongValues.get();
  }

  long staleReads() {
    return staleReads.get();
  }

  List<String> problems() {
    return List.copyOf(problems);
  }

  List<String> errorSamples() {
    return errorSamples.keySet().stream().sorted().toList();
  }

  /** Operations on node {@code home}'s keys that started in [from, to) (whole buckets), succeeded. */
  long ok(int home, long fromNanos, long toNanos) {
    return sum(ok[home], fromNanos, toNanos);
  }

  long failed(int home, long fromNanos, long toNanos) {
    return sum(failed[home], fromNanos, toNanos);
  }

  long okAll(long fromNanos, long toNanos) {
    long total = 0;
    for (int n = 0; n < nodes.size(); n++) {
      total += ok(n, fromNanos, toNanos);
    }
    return total;
  }

  long failedAll(long fromNanos, long toNanos) {
    long total = 0;
    for (int n = 0; n < nodes.size(); n++) {
      total += failed(n, fromNanos, toNanos);
    }
    return total;
  }

  private long sum(AtomicLongArray counts, long fromNanos, long toNanos) {
    long total = 0;
    for (int b = bucket(fromNanos); b <= bucket(toNanos - 1) && b < buckets; b++) {
      total += counts.get(b);
    }
    return total;
  }

  /** When the last failure of an operation on node {@code home}'s keys ended (Long.MIN_VALUE: none). */
  long lastFailureNanos(int home) {
    return lastFailureNanos[home].get();
  }

  /** The longest a failed operation on node {@code home}'s keys took, since the last {@link #resetLatency}. */
  long maxFailureLatencyNanos(int home) {
    return maxFailureLatencyNanos[home].get();
  }

  void resetLatency(int home) {
    maxFailureLatencyNanos[home].set(0);
  }

  /** Operations per second over [from, to), every node's keys together. */
  double throughput(long fromNanos, long toNanos) {
    return okAll(fromNanos, toNanos) * 1e9 / Math.max(1, bucket(toNanos - 1) - bucket(fromNanos) + 1) / BUCKET_NANOS;
  }
}
