package io.memjcache.internal.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javax.cache.configuration.Factory;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.expiry.ModifiedExpiryPolicy;
import javax.cache.expiry.TouchedExpiryPolicy;

/**
 * An expiry policy a configuration file can express: one of JCache's standard policies and its
 * duration, in milliseconds.
 *
 * @param policy which standard policy
 * @param duration how long entries live under it (null for {@link Policy#ETERNAL})
 */
public record ExpirySettings(Policy policy, Duration duration) {
  /** JCache's standard expiry policies. */
  public enum Policy {
    /** {@link CreatedExpiryPolicy}: entries live {@code duration} after they are created. */
    CREATED,
    /** {@link AccessedExpiryPolicy}: after they are created or last read. */
    ACCESSED,
    /** {@link ModifiedExpiryPolicy}: after they are created or last updated. */
    MODIFIED,
    /** {@link TouchedExpiryPolicy}: after they are created, last read or last updated. */
    TOUCHED,
    /** {@link EternalExpiryPolicy}: entries do not expire (memcached may still evict them). */
    ETERNAL;

    /** The name in configuration files, e.g. {@code "created"}. */
    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** No expiry: JCache's default. */
  public static final ExpirySettings ETERNAL = new ExpirySettings(Policy.ETERNAL, null);

  public ExpirySettings {
    Objects.requireNonNull(policy, "policy");
    if (policy == Policy.ETERNAL) {
      if (duration != null) {
        throw new IllegalArgumentException("the eternal expiry policy takes no duration");
      }
    } else {
      Objects.requireNonNull(duration, "duration");
      if (duration.isNegative()) {
        throw new IllegalArgumentException("an expiry duration must not be negative, was " + duration);
      }
    }
  }

  /** A factory of this policy, as {@code MutableConfiguration#setExpiryPolicyFactory} takes it. */
  public Factory<ExpiryPolicy> factory() {
    if (policy == Policy.ETERNAL) {
      return EternalExpiryPolicy.factoryOf();
    }
    javax.cache.expiry.Duration d = duration.isZero() ? javax.cache.expiry.Duration.ZERO
        : new javax.cache.expiry.Duration(TimeUnit.MILLISECONDS, duration.toMillis());
    switch (policy) {
      case CREATED:
        return CreatedExpiryPolicy.factoryOf(d);
      case ACCESSED:
        return AccessedExpiryPolicy.factoryOf(d);
      case MODIFIED:
        return ModifiedExpiryPolicy.factoryOf(d);
      case TOUCHED:
        return TouchedExpiryPolicy.factoryOf(d);
      default:
        throw new AssertionError(policy);
    }
  }
}
