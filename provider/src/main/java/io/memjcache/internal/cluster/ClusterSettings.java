package io.memjcache.internal.cluster;

import java.time.Duration;
import java.util.Objects;

/**
 * How a client treats servers that fail: after {@code failureThreshold} consecutive failures
 * (connect failures, timeouts, dropped connections) a node is down; it is then probed, first after
 * {@code probeInterval}, the interval doubling up to {@code maxProbeInterval}, each one varied by
 * ±{@value #PROBE_JITTER_PERCENT}% so that many clients do not probe a server in step.
 *
 * @param failureThreshold consecutive failures that take a node down, at least 1
 * @param failurePolicy what happens to a down node's keys
 * @param probeInterval the first probe's delay, positive
 * @param maxProbeInterval the longest delay between probes, at least {@code probeInterval}
 */
public record ClusterSettings(
    int failureThreshold, FailurePolicy failurePolicy, Duration probeInterval, Duration maxProbeInterval) {

  /** How much each probe delay varies either way, in percent. */
  public static final int PROBE_JITTER_PERCENT = 20;

  public static final ClusterSettings DEFAULTS =
      new ClusterSettings(3, FailurePolicy.REDISTRIBUTE, Duration.ofMillis(200), Duration.ofSeconds(10));

  public ClusterSettings {
    Objects.requireNonNull(failurePolicy, "failurePolicy");
    Objects.requireNonNull(probeInterval, "probeInterval");
    Objects.requireNonNull(maxProbeInterval, "maxProbeInterval");
    if (failureThreshold < 1) {
      throw new IllegalArgumentException("failureThreshold must be at least 1, was " + failureThreshold);
    }
    if (probeInterval.isNegative() || probeInterval.isZero()) {
      throw new IllegalArgumentException("probeInterval must be positive, was " + probeInterval);
    }
    if (maxProbeInterval.compareTo(probeInterval) < 0) {
      throw new IllegalArgumentException("maxProbeInterval (" + maxProbeInterval
          + ") must not be shorter than probeInterval (" + probeInterval + ")");
    }
  }

  public ClusterSettings withFailureThreshold(int threshold) {
    return new ClusterSettings(threshold, failurePolicy, probeInterval, maxProbeInterval);
  }

  public ClusterSettings withFailurePolicy(FailurePolicy policy) {
    return new ClusterSettings(failureThreshold, policy, probeInterval, maxProbeInterval);
  }

  public ClusterSettings withProbeIntervals(Duration first, Duration max) {
    return new ClusterSettings(failureThreshold, failurePolicy, first, max);
  }
}
