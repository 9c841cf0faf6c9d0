package io.memjcache.internal.jcache.management;

import java.util.concurrent.atomic.LongAdder;
import javax.cache.management.CacheStatisticsMXBean;

/**
 * A cache's statistics: exact counters the cache adapter records into, and the
 * {@code CacheStatistics} MXBean view of them (percentages 0 to 100, average times in
 * microseconds, every figure 0 while nothing was counted).
 */
public final class CacheStatistics implements CacheStatisticsMXBean {
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder puts = new LongAdder();
  private final LongAdder removals = new LongAdder();
  private final LongAdder evictions = new LongAdder();
  private final LongAdder getNanos = new LongAdder();
  private final LongAdder putNanos = new LongAdder();
  private final LongAdder removeNanos = new LongAdder();

  public void recordHits(long count) {
    hits.add(count);
  }

  public void recordMisses(long count) {
    misses.add(count);
  }

  public void recordPuts(long count) {
    puts.add(count);
  }

  public void recordRemovals(long count) {
    removals.add(count);
  }

  public void recordEvictions(long count) {
    evictions.add(count);
  }

  /** Adds the duration of one get operation (single or bulk); averaged over hits + misses. */
  public void recordGetTime(long nanos) {
    getNanos.add(nanos);
  }

  /** Adds the duration of one put operation (single or bulk); averaged over puts. */
  public void recordPutTime(long nanos) {
    putNanos.add(nanos);
  }

  /** Adds the duration of one remove operation (single or bulk); averaged over removals. */
  public void recordRemoveTime(long nanos) {
    removeNanos.add(nanos);
  }

  @Override
  public void clear() {
    hits.reset();
    misses.reset();
    puts.reset();
    removals.reset();
    evictions.reset();
    getNanos.reset();
    putNanos.reset();
    removeNanos.reset();
  }

  @Override
  public long getCacheHits() {
    return hits.sum();
  }

  @Override
  public float getCacheHitPercentage() {
    return percentage(hits.sum(), misses.sum());
  }

  @Override
  public long getCacheMisses() {
    return misses.sum();
  }

  @Override
  public float getCacheMissPercentage() {
    return percentage(misses.sum(), hits.sum());
  }

  @Override
  public long getCacheGets() {
    return hits.sum() + misses.sum();
  }

  @Override
  public long getCachePuts() {
    return puts.sum();
  }

  @Override
  public long getCacheRemovals() {
    return removals.sum();
  }

  @Override
  public long getCacheEvictions() {
    return evictions.sum();
  }

  @Override
  public float getAverageGetTime() {
    return averageMicros(getNanos.sum(), getCacheGets());
  }

  @Override
  public float getAveragePutTime() {
    return averageMicros(putNanos.sum(), puts.sum());
  }

  @Override
  public float getAverageRemoveTime() {
    return averageMicros(removeNanos.sum(), removals.sum());
  }

  private static float percentage(long part, long rest) {
    long total = part + rest;
    return total <= 0 ? 0f : (float) (part * 100.0 / total);
  }

  private static float averageMicros(long nanos, long count) {
    return count <= 0 || nanos <= 0 ? 0f : (float) (nanos / 1_000.0 / count);
  }
}
