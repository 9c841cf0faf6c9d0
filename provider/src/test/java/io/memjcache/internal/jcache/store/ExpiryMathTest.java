package io.memjcache.internal.jcache.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.cache.expiry.Duration;
import org.junit.jupiter.api.Test;

class ExpiryMathTest {
  private static final long NOW = 1_700_000_000_123L; // 2023-11-14T22:13:20.123Z
  private static final int THIRTY_DAYS = 2_592_000;

  @Test
  void serverExptime_eternal_zero() {
    assertEquals(0, ExpiryMath.serverExptime(Long.MAX_VALUE, NOW));
  }

  @Test
  void serverExptime_remainingMillis_ceilSecondsPlusMargin() {
    assertEquals(2, ExpiryMath.serverExptime(NOW + 1, NOW));
    assertEquals(2, ExpiryMath.serverExptime(NOW + 1000, NOW));
    assertEquals(3, ExpiryMath.serverExptime(NOW + 1001, NOW));
    assertEquals(61, ExpiryMath.serverExptime(NOW + 60_000, NOW));
  }

  @Test
  void serverExptime_alreadyExpired_oneNotZero() {
    assertEquals(1, ExpiryMath.serverExptime(NOW, NOW));
    assertEquals(1, ExpiryMath.serverExptime(NOW - 10_000, NOW));
    assertEquals(1, ExpiryMath.serverExptime(0, NOW));
  }

  /** memcached reads exptime > 2,592,000 (30 days) as an absolute Unix time. */
  @Test
  void serverExptime_thirtyDayBoundary_switchesToAbsolute() {
    long lastRelative = NOW + (THIRTY_DAYS - 1) * 1000L; // ceil + 1 margin = exactly 30 days
    assertEquals(THIRTY_DAYS, ExpiryMath.serverExptime(lastRelative, NOW));
    long firstAbsolute = lastRelative + 1;
    assertEquals(NOW / 1000 + THIRTY_DAYS + 1, ExpiryMath.serverExptime(firstAbsolute, NOW));
    long yearAhead = NOW + 365L * 86_400_000L;
    int absolute = ExpiryMath.serverExptime(yearAhead, NOW);
    assertTrue(absolute > yearAhead / 1000, "the absolute time is after the expiry");
    assertEquals(yearAhead / 1000 + 1, absolute);
  }

  @Test
  void serverExptime_farFuture_cappedAtIntMax() {
    assertEquals(Integer.MAX_VALUE, ExpiryMath.serverExptime(Long.MAX_VALUE - 1, NOW));
    assertEquals(Integer.MAX_VALUE, ExpiryMath.serverExptime(Long.MAX_VALUE - 1, 0));
    assertEquals(Integer.MAX_VALUE, ExpiryMath.serverExptime(Long.MAX_VALUE - 1, Long.MIN_VALUE / 2));
  }

  @Test
  void serverExptime_randomInputs_neverZeroOrNegativeForExpiringEntries() {
    SplittableRandom random = new SplittableRandom(9);
    for (int i = 0; i < 100_000; i++) {
      long now = random.nextLong(0, 4_000_000_000_000L);
      long expiresAt = switch (random.nextInt(3)) {
        case 0 -> now + random.nextLong(-5_000, 5_000);
        case 1 -> now + random.nextLong(0, 100L * 86_400_000L);
        default -> random.nextLong(0, Long.MAX_VALUE);
      };
      int exptime = ExpiryMath.serverExptime(expiresAt, now);
      assertTrue(exptime >= 1, () -> expiresAt + " at " + now);
      if (exptime > THIRTY_DAYS && exptime < Integer.MAX_VALUE) {
        assertTrue(exptime * 1000L > expiresAt, "an absolute exptime is after the expiry");
      } else if (exptime <= THIRTY_DAYS && expiresAt > now) {
        assertTrue(now + exptime * 1000L > expiresAt, "a relative exptime is after the expiry");
      }
    }
  }

  @Test
  void expiresAt_null_unchangedMarker() {
    assertEquals(ExpiryMath.UNCHANGED, ExpiryMath.expiresAt(null, NOW));
  }

  @Test
  void expiresAt_eternal_longMax() {
    assertEquals(Long.MAX_VALUE, ExpiryMath.expiresAt(Duration.ETERNAL, NOW));
    assertEquals(Long.MAX_VALUE, ExpiryMath.expiresAt(new Duration(null, 0), NOW));
  }

  @Test
  void expiresAt_zero_nowAndExpired() {
    assertEquals(NOW, ExpiryMath.expiresAt(Duration.ZERO, NOW));
    assertEquals(NOW, ExpiryMath.expiresAt(new Duration(TimeUnit.HOURS, 0), NOW));
    assertTrue(ExpiryMath.isExpired(ExpiryMath.expiresAt(Duration.ZERO, NOW), NOW));
  }

  @Test
  void expiresAt_duration_nowPlusMillis() {
    assertEquals(NOW + 5_000, ExpiryMath.expiresAt(new Duration(TimeUnit.SECONDS, 5), NOW));
    assertEquals(NOW + 86_400_000, ExpiryMath.expiresAt(Duration.ONE_DAY, NOW));
    assertEquals(NOW + 1, ExpiryMath.expiresAt(new Duration(TimeUnit.MILLISECONDS, 1), NOW));
  }

  @Test
  void expiresAt_overflow_saturatesBelowEternal() {
    assertEquals(Long.MAX_VALUE - 1, ExpiryMath.expiresAt(new Duration(TimeUnit.DAYS, Long.MAX_VALUE), NOW));
    assertEquals(Long.MAX_VALUE - 1, ExpiryMath.expiresAt(new Duration(TimeUnit.MILLISECONDS, Long.MAX_VALUE - NOW), NOW));
    assertEquals(Long.MAX_VALUE - 1, ExpiryMath.expiresAt(new Duration(TimeUnit.MILLISECONDS, Long.MAX_VALUE - NOW - 1), NOW));
    assertEquals(Long.MAX_VALUE - 2, ExpiryMath.expiresAt(new Duration(TimeUnit.MILLISECONDS, Long.MAX_VALUE - NOW - 2), NOW));
  }

  @Test
  void isExpired_boundary_expiresAtNow() {
    assertFalse(ExpiryMath.isExpired(NOW + 1, NOW));
    assertTrue(ExpiryMath.isExpired(NOW, NOW));
    assertTrue(ExpiryMath.isExpired(NOW - 1, NOW));
    assertFalse(ExpiryMath.isExpired(Long.MAX_VALUE, NOW));
  }
}
