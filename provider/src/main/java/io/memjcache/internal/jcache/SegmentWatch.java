package io.memjcache.internal.jcache;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What one JVM knows about the key-index segments of a cache, so that overwrites can skip the index
 * and the index still heals after memcached evicts a segment.
 *
 * <p>Overwrites of existing entries append nothing (their creator indexed them), so a segment lost
 * to eviction would not be rebuilt by later writes. Writers therefore look at each segment they
 * write to at most once per {@link #CHECK_NANOS} (a TOUCH, which also keeps the segment recent in
 * memcached's LRU). A segment is known lost when an overwrite succeeded but its segment is absent,
 * or when a segment this JVM saw in the current generation is absent later. For {@link
 * #REPAIR_NANOS} after that, overwrites in the segment append their key again, as every write did
 * before; keys nobody writes in that time stay invisible to iteration until they are written.
 */
final class SegmentWatch {
  /** How often a writer checks one segment. */
  static final long CHECK_NANOS = 1_000_000_000L;
  /** How long overwrites index their keys again after a segment was found lost. */
  static final long REPAIR_NANOS = 120_000_000_000L;
  private static final long NONE = Long.MIN_VALUE;

  private final AtomicLongArray nextCheck;
  private final AtomicLongArray seenInGeneration;
  private final AtomicLongArray repairUntil;

  SegmentWatch(int segments) {
    this.nextCheck = new AtomicLongArray(segments);
    this.seenInGeneration = new AtomicLongArray(segments);
    this.repairUntil = new AtomicLongArray(segments);
    long now = System.nanoTime();
    for (int s = 0; s < segments; s++) {
      nextCheck.set(s, now - 1); // the first write to each segment checks it
      seenInGeneration.set(s, NONE);
      repairUntil.set(s, NONE);
    }
  }

  /** Whether the caller should check {@code segment} now; true for one caller per interval. */
  boolean checkDue(int segment) {
    long now = System.nanoTime();
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
    repairUntil.set(segment, System.nanoTime() + REPAIR_NANOS);
  }

  /** Whether overwrites in {@code segment} must index their keys again. */
  boolean repairing(int segment) {
    long until = repairUntil.get(segment);
    return until != NONE && System.nanoTime() - until < 0;
  }
}
