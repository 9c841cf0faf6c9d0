package io.memjcache.internal.jcache.management;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CacheStatisticsTest {
  private final CacheStatistics statistics = new CacheStatistics();

  /** TCK CacheMBStatisticsBeanTest.testCacheStatisticsAllZero: every figure is exactly 0 at first. */
  @Test
  void getters_nothingRecorded_allZero() {
    assertEquals(0L, statistics.getCacheHits());
    assertEquals(0L, statistics.getCacheMisses());
    assertEquals(0L, statistics.getCacheGets());
    assertEquals(0L, statistics.getCachePuts());
    assertEquals(0L, statistics.getCacheRemovals());
    assertEquals(0L, statistics.getCacheEvictions());
    assertEquals(0f, statistics.getCacheHitPercentage());
    assertEquals(0f, statistics.getCacheMissPercentage());
    assertEquals(0f, statistics.getAverageGetTime());
    assertEquals(0f, statistics.getAveragePutTime());
    assertEquals(0f, statistics.getAverageRemoveTime());
  }

  @Test
  void gets_hitsAndMisses_isTheirSum() {
    statistics.recordHits(3);
    statistics.recordMisses(2);
    statistics.recordHits(1);
    assertEquals(4L, statistics.getCacheHits());
    assertEquals(2L, statistics.getCacheMisses());
    assertEquals(6L, statistics.getCacheGets());
  }

  /** The TCK expects 66 and 33 within 1.0, 50 and 100 exactly. */
  @Test
  void percentages_hitsAndMisses_percentOfGets() {
    statistics.recordHits(2);
    statistics.recordMisses(1);
    assertEquals(66.666f, statistics.getCacheHitPercentage(), 0.001f);
    assertEquals(33.333f, statistics.getCacheMissPercentage(), 0.001f);

    statistics.recordMisses(1);
    assertEquals(50.0f, statistics.getCacheHitPercentage());
    assertEquals(50.0f, statistics.getCacheMissPercentage());
  }

  @Test
  void percentages_onlyMisses_zeroAndHundred() {
    statistics.recordMisses(5);
    assertEquals(0f, statistics.getCacheHitPercentage());
    assertEquals(100.0f, statistics.getCacheMissPercentage());
  }

  @Test
  void averageGetTime_nanosOverGets_inMicroseconds() {
    statistics.recordHits(3);
    statistics.recordMisses(1);
    statistics.recordGetTime(2_000);
    statistics.recordGetTime(4_000);
    assertEquals(1.5f, statistics.getAverageGetTime());
  }

  /** Unlike the RI (which divides by gets, in whole microseconds), puts and removes average over their own counts. */
  @Test
  void averagePutAndRemoveTime_overOwnCounts_fractionalMicroseconds() {
    statistics.recordPuts(4);
    statistics.recordPutTime(1_000);
    statistics.recordRemovals(2);
    statistics.recordRemoveTime(3_000);
    assertEquals(0.25f, statistics.getAveragePutTime());
    assertEquals(1.5f, statistics.getAverageRemoveTime());
    assertEquals(0f, statistics.getAverageGetTime());
  }

  @Test
  void averageTime_timeWithoutCount_zero() {
    statistics.recordPutTime(5_000);
    assertEquals(0f, statistics.getAveragePutTime());
  }

  @Test
  void evictions_recorded_countedApartFromRemovals() {
    statistics.recordEvictions(2);
    assertEquals(2L, statistics.getCacheEvictions());
    assertEquals(0L, statistics.getCacheRemovals());
  }

  @Test
  void clear_afterActivity_everythingZero() {
    statistics.recordHits(1);
    statistics.recordMisses(1);
    statistics.recordPuts(1);
    statistics.recordRemovals(1);
    statistics.recordEvictions(1);
    statistics.recordGetTime(10);
    statistics.recordPutTime(10);
    statistics.recordRemoveTime(10);
    statistics.clear();
    getters_nothingRecorded_allZero();

    statistics.recordPuts(1);
    statistics.recordPutTime(3_000);
    assertEquals(3.0f, statistics.getAveragePutTime());
  }
}
