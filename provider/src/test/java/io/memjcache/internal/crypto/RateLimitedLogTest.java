package io.memjcache.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RateLimitedLogTest {
  @Test
  void log_atMostOncePerInterval_andBuildsOnlyWrittenMessages() {
    CryptoFixtures.ManualClock clock = new CryptoFixtures.ManualClock();
    List<String> lines = new ArrayList<>();
    RateLimitedLog log = new RateLimitedLog(lines::add, Duration.ofSeconds(10).toNanos(), clock::nanoTime);
    AtomicInteger built = new AtomicInteger();
    assertTrue(log.log(() -> "first " + built.incrementAndGet()));
    assertFalse(log.log(() -> "second " + built.incrementAndGet()));
    clock.advance(Duration.ofSeconds(9));
    assertFalse(log.log(() -> "third " + built.incrementAndGet()));
    clock.advance(Duration.ofSeconds(1));
    assertTrue(log.log(() -> "fourth " + built.incrementAndGet()));
    assertEquals(List.of("first 1", "fourth 2"), lines);
    assertEquals(2, built.get());
  }
}
