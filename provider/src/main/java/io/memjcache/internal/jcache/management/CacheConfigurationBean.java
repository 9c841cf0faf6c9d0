package io.memjcache.internal.jcache.management;

import java.util.Objects;
import java.util.function.Supplier;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.management.CacheMXBean;

/**
 * The {@code CacheConfiguration} MXBean of a cache. It reads the configuration on every call, so it
 * shows later changes such as statistics or management being switched on or off.
 */
public final class CacheConfigurationBean implements CacheMXBean {
  private final Supplier<? extends CompleteConfiguration<?, ?>> configuration;

  public CacheConfigurationBean(Supplier<? extends CompleteConfiguration<?, ?>> configuration) {
    this.configuration = Objects.requireNonNull(configuration, "configuration");
  }

  private CompleteConfiguration<?, ?> current() {
    return configuration.get();
  }

  @Override
  public String getKeyType() {
    return current().getKeyType().getName();
  }

  @Override
  public String getValueType() {
    return current().getValueType().getName();
  }

  @Override
  public boolean isReadThrough() {
    return current().isReadThrough();
  }

  @Override
  public boolean isWriteThrough() {
    return current().isWriteThrough();
  }

  @Override
  public boolean isStoreByValue() {
    return current().isStoreByValue();
  }

  @Override
  public boolean isStatisticsEnabled() {
    return current().isStatisticsEnabled();
  }

  @Override
  public boolean isManagementEnabled() {
    return current().isManagementEnabled();
  }
}
