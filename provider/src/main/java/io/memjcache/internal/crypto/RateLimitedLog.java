package io.memjcache.internal.crypto;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** Writes at most one line per interval; the message is only built when it is written. */
final class RateLimitedLog {
  private final Consumer<String> sink;
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final AtomicLong nextAt;

  RateLimitedLog(Consumer<String> sink, long intervalNanos, LongSupplier nanoTime) {
    this.sink = sink;
    this.intervalNanos = intervalNanos;
    this.nanoTime = nanoTime;
    this.nextAt = new AtomicLong(nanoTime.getAsLong());
  }

  /** Writes the message unless a line was written less than an interval ago; true if written. */
  boolean log(Supplier<String> message) {
    long now = nanoTime.getAsLong();
    long next = nextAt.get();
    if (now - next < 0 || !nextAt.compareAndSet(next, now + intervalNanos)) {
      return false;
    }
    sink.accept(message.get());
    return true;
  }
}
