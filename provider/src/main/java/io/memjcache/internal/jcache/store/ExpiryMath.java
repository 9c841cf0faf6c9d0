package io.memjcache.internal.jcache.store;

import javax.cache.expiry.Duration;

/**
 * Expiry arithmetic: JCache durations to absolute expiry times in epoch millis, and those to the
 * exptime memcached gets, which is only a garbage-collection hint (the envelope's expiry decides).
 */
public final class ExpiryMath {
  /** The expiry of an entry that never expires. */
  public static final long ETERNAL = Long.MAX_VALUE;
  /**
   * What {@link #expiresAt} returns for a null duration: JCache's "leave the expiry unchanged".
   * Never a real expiry (those are not negative); callers must test for it before storing.
   */
  public static final long UNCHANGED = Long.MIN_VALUE;
  /** memcached reads an exptime larger than this many seconds (30 days) as an absolute Unix time. */
  public static final long MAX_RELATIVE_SECONDS = 2_592_000L;
  /** Seconds added to the server exptime, so the server never drops an entry before it expires. */
  public static final long MARGIN_SECONDS = 1;

  private ExpiryMath() {}

  /**
   * The memcached exptime for an entry expiring at {@code expiresAtMillis}: 0 (never) for
   * {@link #ETERNAL}; otherwise the remaining seconds rounded up plus {@link #MARGIN_SECONDS}, at
   * least 1 (an already expired entry gets 1, never 0 = never); beyond 30 days the absolute Unix
   * time of that moment instead, as memcached requires, capped at {@link Integer#MAX_VALUE}
   * (2038-01-19) so that no server build reads it as negative. Never negative.
   */
  public static int serverExptime(long expiresAtMillis, long nowMillis) {
    if (expiresAtMillis == ETERNAL) {
      return 0;
    }
    if (expiresAtMillis <= nowMillis) {
      return 1;
    }
    long remainingMillis = expiresAtMillis - nowMillis;
    if (remainingMillis < 0) {
      remainingMillis = Long.MAX_VALUE; // overflow: now far in the past
    }
    long seconds = remainingMillis / 1000 + (remainingMillis % 1000 == 0 ? 0 : 1) + MARGIN_SECONDS;
    if (seconds <= MAX_RELATIVE_SECONDS) {
      return (int) seconds;
    }
    long absolute = Math.floorDiv(nowMillis, 1000L) + seconds;
    if (absolute > Integer.MAX_VALUE || absolute < seconds) {
      return Integer.MAX_VALUE;
    }
    return (int) absolute;
  }

  /**
   * The absolute expiry for a JCache duration starting at {@code nowMillis}: {@link #UNCHANGED} for
   * null (the caller keeps the current expiry), {@link #ETERNAL} for an eternal duration,
   * {@code nowMillis} (already expired) for a zero duration, otherwise now plus the duration in
   * millis, saturating at {@code Long.MAX_VALUE - 1} so that a huge duration never becomes eternal.
   */
  public static long expiresAt(Duration duration, long nowMillis) {
    if (duration == null) {
      return UNCHANGED;
    }
    if (duration.isEternal()) {
      return ETERNAL;
    }
    if (duration.isZero()) {
      return nowMillis;
    }
    long millis = duration.getTimeUnit().toMillis(duration.getDurationAmount());
    long sum = nowMillis + millis;
    if (((nowMillis ^ sum) & (millis ^ sum)) < 0 || sum == ETERNAL) {
      return ETERNAL - 1;
    }
    return sum;
  }

  /** Whether an entry expiring at {@code expiresAtMillis} has expired at {@code nowMillis}. */
  public static boolean isExpired(long expiresAtMillis, long nowMillis) {
    return expiresAtMillis <= nowMillis;
  }
}
