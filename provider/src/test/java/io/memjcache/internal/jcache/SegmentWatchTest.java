package io.memjcache.internal.jcache;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SegmentWatchTest {
  private final AtomicLong clock = new AtomicLong(-5_000_000_000L); // nanoTime may be negative
  private final SegmentWatch watch = new SegmentWatch(4, clock::get);

  @Test
  void checkDue_firstWriteThenOncePerInterval_perSegment() {
    assertTrue(watch.checkDue(0), "the first write to a segment checks it");
    assertFalse(watch.checkDue(0), "one caller per interval");
    assertTrue(watch.checkDue(1), "segments are independent");

    clock.addAndGet(SegmentWatch.CHECK_NANOS - 1);
    assertFalse(watch.checkDue(0));
    clock.addAndGet(1);
    assertTrue(watch.checkDue(0));
    assertFalse(watch.checkDue(0));
  }

  @Test
  void absent_segmentSeenInThisGeneration_isLostAndRepairedForAWhile() {
    watch.present(7, 2);
    assertFalse(watch.repairing(2));

    watch.absent(7, 2);

    assertTrue(watch.repairing(2));
    assertTrue(watch.repairStarted(2), "reported once per loss");
    assertFalse(watch.repairStarted(2));
    assertFalse(watch.repairing(1), "only that segment");
    clock.addAndGet(SegmentWatch.REPAIR_NANOS - 1);
    assertTrue(watch.repairing(2));
    clock.addAndGet(1);
    assertFalse(watch.repairing(2), "repair ends");
  }

  @Test
  void absent_segmentNeverSeenOrSeenInAnotherGeneration_isNotLost() {
    watch.absent(7, 0); // a new cache: no segment yet
    watch.present(6, 1);
    watch.absent(7, 1); // after clear(): the new generation's segment does not exist yet

    assertFalse(watch.repairing(0));
    assertFalse(watch.repairing(1));
  }

  @Test
  void lost_again_extendsTheRepair() {
    watch.lost(3);
    clock.addAndGet(SegmentWatch.REPAIR_NANOS - 10);
    watch.lost(3);
    clock.addAndGet(20);

    assertTrue(watch.repairing(3));
  }
}
