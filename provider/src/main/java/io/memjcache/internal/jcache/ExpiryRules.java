package io.memjcache.internal.jcache;

import io.memjcache.internal.jcache.store.ExpiryMath;
import java.util.function.Supplier;
import javax.cache.expiry.Duration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.expiry.ModifiedExpiryPolicy;

/**
 * A cache's {@link ExpiryPolicy} turned into absolute expiry times, with the spec's rules for what
 * the policy returns: null on creation (or a failing policy) means eternal; null on update or
 * access (or a failing policy) means the expiry stays as it is ({@link ExpiryMath#UNCHANGED}).
 */
final class ExpiryRules {
  private final ExpiryPolicy policy;
  private final boolean eternal;

  ExpiryRules(ExpiryPolicy policy) {
    this.policy = policy;
    this.eternal = policy instanceof EternalExpiryPolicy;
  }

  /**
   * Whether reading an entry never changes its expiry: eternal entries, or the standard policies
   * that set expiry on creation or on update only.
   */
  boolean accessChangesNothing() {
    return eternal || policy instanceof CreatedExpiryPolicy || policy instanceof ModifiedExpiryPolicy;
  }

  /** Whether every entry is eternal and no access or update changes that (plain puts need no read). */
  boolean eternal() {
    return eternal;
  }

  ExpiryPolicy policy() {
    return policy;
  }

  /** The expiry of an entry created now; {@code <= now} means it must not be stored. */
  long creation(long now) {
    long at = ExpiryMath.expiresAt(duration(policy::getExpiryForCreation), now);
    return at == ExpiryMath.UNCHANGED ? ExpiryMath.ETERNAL : at;
  }

  /** The expiry of an entry updated now; {@code <= now} means it is removed after the update. */
  long update(long currentExpiresAt, long now) {
    long at = ExpiryMath.expiresAt(duration(policy::getExpiryForUpdate), now);
    return at == ExpiryMath.UNCHANGED ? currentExpiresAt : at;
  }

  /** The expiry of an entry read now, or {@link ExpiryMath#UNCHANGED}. */
  long access(long now) {
    return eternal ? ExpiryMath.UNCHANGED : ExpiryMath.expiresAt(duration(policy::getExpiryForAccess), now);
  }

  private static Duration duration(Supplier<Duration> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return null; // a failing policy changes nothing
    }
  }
}
