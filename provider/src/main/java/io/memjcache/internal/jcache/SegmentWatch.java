package io.memjcache.internal.jcache;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * What one JVM knows about the key-index segments of a cache, so that overwrites can skip the index
 * and the index still heals after memcached evicts a segment.
 *
 * <p>Overwrites of existing entries append nothing (their creator indexed them), so a segment lost
 * to eviction would not be rebuilt by later writes. Writers therefore look at each segment they
 * write to at most once per {@link #CHECK_NANOS} (a TOUCH, which also keeps the segment recent in
 * memcached's LRU). A segment is known lost when an overwrite succeeded but its segment is absent,
 * or when a segment this JVM saw in the current generation is absent later. For {@link
 * #REPAIR_NANOS} after that, the first overwrite of each key in the segment appends its record
 * again; keys nobody writes in that time stay invisible to iteration until they are removed or
 * expire and are created again (or the cache is cleared).
 */
final class SegmentWatch {
  /** How often a writer checks one segment. */
  static final long CHECK_NANOS = 1_000_000_000L;
  /** How long overwrites index their keys again after a segment was found lost. */
  static final long REPAIR_NANOS = 30 * 60_000_000_000L;
  private static final long NONE = Long.MIN_VALUE;

  private final LongSupplier nanoClock;
  private final AtomicLongArray nextCheck;
  private final AtomicLongArray seenInGeneration;
  private final AtomicLongArray repairUntil;
  private final java.util.concurrent.atomic.AtomicIntegerArray started;

  SegmentWatch(int segments) {
    this(segments, System::nanoTime);
  }

  /** With the clock to read ({@link System#nanoTime} but in tests). */
  SegmentWatch(int segments, LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
    this.nextCheck = new AtomicLongArray(segments);
    this.seenInGeneration = new AtomicLongArray(segments);
    this.repairUntil = new AtomicLongArray(segments);
    this.started = new java.util.concurrent.atomic.AtomicIntegerArray(segments);
    long now = nanoClock.getAsLong();
    for (int s = 0; s < segments; s++) {
      nextCheck.set(s, now - 1); // the first write to each segment checks it
      seenInGeneration.set(s, NONE);
      repairUntil.set(s, NONE);
    }
  }

  /** Whether the caller should check {@code segment} now; true for one caller per interval. */
  boolean checkDue(int segment) {
    long now = nanoClock.getAsLong();
    long next = nextCheck.get(segment);
    return now - next >= 0 && nextCheck.compareAndSet(segment, next, now + CHECK_NANOS);
  }

  /** The segment exists in {@code generation}. */
  void present(long generation, int segment) {
    if (seenInGeneration.get(segment) != generation) {
      seenInGeneration.set(segment, generation);
    }
  }

  /** The segment was found absent in {@code generation}: lost if this JVM had seen it there. */
  void absent(long generation, int segment) {
    if (seenInGeneration.get(segment) == generation) {
      lost(segment);
    }
  }

  /** The segment is known lost: start (or extend) repairing it. */
  void lost(int segment) {
    repairUntil.set(segment, nanoClock.getAsLong() + REPAIR_NANOS);
    started.set(segment, 1);
  }

  /** Whether a repair of {@code segment} started since the last call (true once per loss). */
  boolean repairStarted(int segment) {
    return started.get(segment) == 1 && started.compareAndSet(segment, 1, 0);
  }

  /** Whether overwrites in {@code segment} must index their keys again. */
  boolean repairing(int segment) {
    long until = repairUntil.get(segment);
    return until != NONE && nanoClock.getAsLong() - until < 0;
  }
}
