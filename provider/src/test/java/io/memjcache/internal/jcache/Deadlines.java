package io.memjcache.internal.jcache;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polling against deadlines, so that timing assertions state a bound without sleeping blindly. */
final class Deadlines {
  private Deadlines() {}

  /**
   * Polls {@code condition} every few milliseconds until it holds, and returns the milliseconds that
   * took; fails with {@code message} if it still does not hold after {@code withinMillis}.
   */
  static long awaitTrue(long withinMillis, Supplier<String> message, BooleanSupplier condition) {
    long start = System.nanoTime();
    long deadline = start + withinMillis * 1_000_000L;
    while (true) {
      if (condition.getAsBoolean()) {
        return (System.nanoTime() - start) / 1_000_000L;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(message.get() + " (not within " + withinMillis + " ms)");
      }
      sleep(5);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Sleeps until the wall clock has passed {@code epochMillis}. */
  static void sleepUntil(long epochMillis) {
    long remaining;
    while ((remaining = epochMillis - System.currentTimeMillis()) >= 0) {
      sleep(remaining + 1);
    }
  }
}
