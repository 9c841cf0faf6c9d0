package io.memjcache.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.internal.transport.ConnectionException;
import io.memjcache.internal.transport.MemcachedTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The health state machine on a fake clock with chosen randomness. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class NodeHealthTest {
  private long now = 5_000_000_000L;
  private double random = 0.5; // no jitter

  private NodeHealth health(ClusterSettings settings) {
    return new NodeHealth(settings, () -> now, () -> random);
  }

  private static ConnectionException refused() {
    return new ConnectionException("cannot connect to h:1: Connection refused");
  }

  private void advanceMillis(long millis) {
    now += TimeUnit.MILLISECONDS.toNanos(millis);
  }

  @Test
  void recordFailure_belowThreshold_staysUp() {
    NodeHealth health = health(ClusterSettings.DEFAULTS);
    assertFalse(health.recordFailure(refused()));
    assertFalse(health.recordFailure(new MemcachedTimeoutException("GET to h:1 timed out after 2000 ms")));
    NodeStatus status = health.status("h:1");
    assertEquals(new NodeStatus("h:1", NodeState.UP, 2, "GET to h:1 timed out after 2000 ms", 0), status);
  }

  @Test
  void recordFailure_atThreshold_goesDownOnce() {
    NodeHealth health = health(ClusterSettings.DEFAULTS);
    assertFalse(health.recordFailure(refused()));
    assertFalse(health.recordFailure(refused()));
    assertTrue(health.recordFailure(refused()), "the third consecutive failure takes it down");
    assertTrue(health.isDown());
    assertFalse(health.recordFailure(refused()), "already down: no second transition");
    assertEquals(4, health.status("h:1").consecutiveFailures());
  }

  @Test
  void recordAnswer_betweenFailures_resetsTheCount() {
    NodeHealth health = health(ClusterSettings.DEFAULTS);
    for (int round = 0; round < 10; round++) {
      assertFalse(health.recordFailure(refused()));
      assertFalse(health.recordFailure(refused()));
      assertFalse(health.recordAnswer());
    }
    assertEquals(NodeState.UP, health.state());
    assertEquals(0, health.status("h:1").consecutiveFailures());
    assertEquals("cannot connect to h:1: Connection refused", health.status("h:1").lastError(),
        "the last error is kept for monitoring");
  }

  @Test
  void recordAnswer_whileDown_staysDownAndReportsOnlyTheFirst() {
    NodeHealth health = health(ClusterSettings.DEFAULTS.withFailureThreshold(1));
    assertTrue(health.recordFailure(refused()));
    assertTrue(health.recordAnswer(), "the first answer while down asks for a probe");
    assertFalse(health.recordAnswer());
    assertTrue(health.isDown(), "only a probe brings a node back");
    health.nextProbeDelayNanos();
    assertTrue(health.recordAnswer(), "reported again after the next probe was scheduled");
  }

  @Test
  void failureThresholdOfOne_firstFailureTakesItDown() {
    NodeHealth health = health(ClusterSettings.DEFAULTS.withFailureThreshold(1));
    assertTrue(health.recordFailure(refused()));
  }

  @Test
  void nextProbeDelay_doublesFrom200MillisTo10Seconds() {
    NodeHealth health = health(ClusterSettings.DEFAULTS);
    for (int i = 0; i < 3; i++) {
      health.recordFailure(refused());
    }
    List<Long> millis = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      millis.add(TimeUnit.NANOSECONDS.toMillis(health.nextProbeDelayNanos()));
    }
    assertEquals(List.of(200L, 400L, 800L, 1600L, 3200L, 6400L, 10000L, 10000L, 10000L), millis);
  }

  @Test
  void nextProbeDelay_jitterIsWithinPlusMinus20Percent() {
    NodeHealth health = health(ClusterSettings.DEFAULTS.withProbeIntervals(Duration.ofSeconds(1), Duration.ofSeconds(1)));
    random = 0.0;
    assertEquals(800, TimeUnit.NANOSECONDS.toMillis(health.nextProbeDelayNanos()));
    random = 0.999_999;
    assertEquals(1199, TimeUnit.NANOSECONDS.toMillis(health.nextProbeDelayNanos()));
    random = 0.25;
    assertEquals(900, TimeUnit.NANOSECONDS.toMillis(health.nextProbeDelayNanos()));
  }

  @Test
  void recordUp_afterDown_isUpWithNoFailures() {
    NodeHealth health = health(ClusterSettings.DEFAULTS);
    for (int i = 0; i < 3; i++) {
      health.recordFailure(refused());
    }
    advanceMillis(1234);
    assertEquals(1234, TimeUnit.NANOSECONDS.toMillis(health.downForNanos()));
    assertTrue(health.recordUp());
    assertFalse(health.recordUp(), "already up");
    NodeStatus status = health.status("h:1");
    assertEquals(NodeState.UP, status.state());
    assertEquals(0, status.consecutiveFailures());
    assertEquals(0, health.downForNanos());
  }

  @Test
  void downAgainSoonAfterComingBack_probeBackOffContinues() {
    NodeHealth health = health(ClusterSettings.DEFAULTS);
    for (int i = 0; i < 3; i++) {
      health.recordFailure(refused());
    }
    health.nextProbeDelayNanos(); // 200
    health.nextProbeDelayNanos(); // 400
    health.recordUp();
    advanceMillis(1_000); // flapping: down again within the longest probe interval
    for (int i = 0; i < 3; i++) {
      health.recordFailure(refused());
    }
    assertEquals(800, TimeUnit.NANOSECONDS.toMillis(health.nextProbeDelayNanos()));
  }

  @Test
  void downAgainLongAfterComingBack_probeBackOffStartsOver() {
    NodeHealth health = health(ClusterSettings.DEFAULTS);
    for (int i = 0; i < 3; i++) {
      health.recordFailure(refused());
    }
    health.nextProbeDelayNanos();
    health.nextProbeDelayNanos();
    health.recordUp();
    advanceMillis(10_000);
    for (int i = 0; i < 3; i++) {
      health.recordFailure(refused());
    }
    assertEquals(200, TimeUnit.NANOSECONDS.toMillis(health.nextProbeDelayNanos()));
  }

  @Test
  void recordReconnect_isCounted() {
    NodeHealth health = health(ClusterSettings.DEFAULTS);
    health.recordReconnect();
    health.recordReconnect();
    assertEquals(2, health.status("h:1").reconnects());
    assertNull(health.status("h:1").lastError());
  }

  @Test
  void downMessage_namesTheNodeTheFailuresAndTheNextProbe() {
    NodeHealth health = health(ClusterSettings.DEFAULTS);
    for (int i = 0; i < 3; i++) {
      health.recordFailure(refused());
    }
    health.nextProbeDelayNanos();
    advanceMillis(50);
    assertEquals("node h:1 is down after 3 consecutive failures (last: cannot connect to h:1: Connection refused);"
        + " next probe in 150 ms", health.downMessage("h:1"));
  }

  @Test
  void describe_exceptionWithoutMessage_usesItsType() {
    assertEquals("IllegalStateException", NodeHealth.describe(new IllegalStateException()));
  }
}
