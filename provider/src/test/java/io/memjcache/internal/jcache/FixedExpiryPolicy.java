package io.memjcache.internal.jcache;

import java.io.Serializable;
import javax.cache.configuration.Factory;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.expiry.Duration;
import javax.cache.expiry.ExpiryPolicy;

/**
 * An expiry policy with a duration chosen for each of creation, access and update (null means
 * "unchanged", as in JCache), for rules the standard policies cannot express, such as an eternal
 * entry that expires on its first read.
 */
final class FixedExpiryPolicy implements ExpiryPolicy, Serializable {
  private static final long serialVersionUID = 1L;

  private final Duration creation;
  private final Duration access;
  private final Duration update;

  private FixedExpiryPolicy(Duration creation, Duration access, Duration update) {
    this.creation = creation;
    this.access = access;
    this.update = update;
  }

  static Factory<ExpiryPolicy> factory(Duration creation, Duration access, Duration update) {
    return new FactoryBuilder.SingletonFactory<>(new FixedExpiryPolicy(creation, access, update));
  }

  @Override
  public Duration getExpiryForCreation() {
    return creation;
  }

  @Override
  public Duration getExpiryForAccess() {
    return access;
  }

  @Override
  public Duration getExpiryForUpdate() {
    return update;
  }
}
