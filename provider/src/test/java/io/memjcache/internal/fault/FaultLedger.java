package io.memjcache.internal.fault;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts, per fault kind, the faults a test class injected and those the client survived (a correct
 * answer after the fault, by itself), plus operations and wrong values, for one summary line.
 */
final class FaultLedger {
  private final String name;
  private final Map<String, LongAdder> injected = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> survived = new ConcurrentHashMap<>();
  private final LongAdder operations = new LongAdder();
  private final LongAdder failedOperations = new LongAdder();
  private final LongAdder wrongValues = new LongAdder();
  private final AtomicLong worstRecoveryMillis = new AtomicLong();

  FaultLedger(String name) {
    this.name = name;
  }

  void injected(String kind) {
    injected.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  void survived(String kind) {
    survived.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  void injectedAndSurvived(String kind, int times) {
    injected.computeIfAbsent(kind, k -> new LongAdder()).add(times);
    survived.computeIfAbsent(kind, k -> new LongAdder()).add(times);
  }

  void operation(boolean ok) {
    operations.increment();
    if (!ok) {
      failedOperations.increment();
    }
  }

  void operations(long ok, long failed) {
    operations.add(ok + failed);
    failedOperations.add(failed);
  }

  void wrongValue() {
    wrongValues.increment();
  }

  long wrongValues() {
    return wrongValues.sum();
  }

  void recovery(long millis) {
    worstRecoveryMillis.accumulateAndGet(millis, Math::max);
  }

  long totalInjected() {
    return injected.values().stream().mapToLong(LongAdder::sum).sum();
  }

  long totalSurvived() {
    return survived.values().stream().mapToLong(LongAdder::sum).sum();
  }

  String summary() {
    Map<String, String> kinds = new TreeMap<>();
    injected.forEach((kind, count) -> kinds.put(kind,
        survived.getOrDefault(kind, new LongAdder()).sum() + "/" + count.sum()));
    return "FAULT SUMMARY " + name + ": faults injected=" + totalInjected() + " survived=" + totalSurvived()
        + " wrongValues=" + wrongValues.sum() + " operations=" + operations.sum()
        + " (failed during faults=" + failedOperations.sum() + ") worstRecoveryMs=" + worstRecoveryMillis.get()
        + " survived/injected by kind=" + kinds;
  }
}
