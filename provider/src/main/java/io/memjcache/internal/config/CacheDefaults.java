package io.memjcache.internal.config;

import io.memjcache.config.EncryptionSettings;
import io.memjcache.config.MemcachedConfiguration;
import io.memjcache.config.SaslSettings;
import io.memjcache.config.SerializationFormat;
import io.memjcache.config.TlsSettings;
import io.memjcache.serialization.JavaSerializationSettings;
import io.memjcache.serialization.Serializer;
import java.time.Duration;
import java.util.Objects;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.expiry.EternalExpiryPolicy;

/**
 * The effective settings the manager gives one cache name: built-in defaults, then the
 * configuration file's {@code defaults}, matching templates and declared cache, then the manager's
 * properties. {@link #applyTo} turns an application's configuration into the one the cache uses.
 *
 * @param expiry the expiry policy for a configuration that leaves JCache's default (eternal)
 * @param statisticsEnabled statistics for a configuration that leaves them off
 * @param managementEnabled the configuration MXBean for a configuration that leaves it off
 * @param keyFormat how keys become bytes, unless the configuration says
 * @param valueFormat how values become bytes, unless the configuration says
 * @param javaSerialization the Java deserialization filter: allowed patterns (unless the
 *     configuration gives its own) and limits
 * @param generationRefresh how stale a view of another client's clear() may be, unless the
 *     configuration says
 * @param tls TLS, unless the configuration gives its own; null: none
 * @param sasl SASL, unless the configuration gives its own; null: none
 * @param encryption value encryption, unless the configuration gives its own; null: none
 */
public record CacheDefaults(
    ExpirySettings expiry,
    boolean statisticsEnabled,
    boolean managementEnabled,
    SerializationFormat keyFormat,
    SerializationFormat valueFormat,
    JavaSerializationSettings javaSerialization,
    Duration generationRefresh,
    TlsSettings tls,
    SaslSettings sasl,
    EncryptionSettings encryption) {

  /** The built-in defaults, written down with their documentation in {@code io/memjcache/reference.json}. */
  public static final CacheDefaults BUILT_IN = new CacheDefaults(ExpirySettings.ETERNAL, false, false,
      SerializationFormat.AUTO, SerializationFormat.AUTO, JavaSerializationSettings.DEFAULTS, Duration.ofSeconds(1),
      null, null, null);

  public CacheDefaults {
    Objects.requireNonNull(expiry, "expiry");
    Objects.requireNonNull(keyFormat, "keyFormat");
    Objects.requireNonNull(valueFormat, "valueFormat");
    Objects.requireNonNull(javaSerialization, "javaSerialization");
    Objects.requireNonNull(generationRefresh, "generationRefresh");
    if (generationRefresh.isNegative()) {
      throw new IllegalArgumentException("generationRefresh must not be negative, was " + generationRefresh);
    }
  }

  public long generationRefreshMillis() {
    return generationRefresh.toMillis();
  }

  /**
   * These settings with every field {@code block} sets taken from it.
   *
   * @throws IllegalArgumentException if the result is not valid (e.g. a Java serialization limit)
   */
  public CacheDefaults with(CacheTemplate block) {
    JavaSerializationSettings java = javaSerialization;
    if (block.allowedPatterns() != null || block.maxDepth() != null || block.maxReferences() != null
        || block.maxBytes() != null || block.maxArrayLength() != null) {
      java = new JavaSerializationSettings(
          block.allowedPatterns() != null ? block.allowedPatterns() : java.allowedPatterns(),
          block.maxDepth() != null ? block.maxDepth() : java.maxDepth(),
          block.maxReferences() != null ? block.maxReferences() : java.maxReferences(),
          block.maxBytes() != null ? block.maxBytes() : java.maxBytes(),
          block.maxArrayLength() != null ? block.maxArrayLength() : java.maxArrayLength());
    }
    return new CacheDefaults(
        block.expiry() != null ? block.expiry() : expiry,
        block.statisticsEnabled() != null ? block.statisticsEnabled() : statisticsEnabled,
        block.managementEnabled() != null ? block.managementEnabled() : managementEnabled,
        block.keyFormat() != null ? block.keyFormat() : keyFormat,
        block.valueFormat() != null ? block.valueFormat() : valueFormat,
        java,
        block.generationRefresh() != null ? block.generationRefresh() : generationRefresh,
        block.tls() != null ? block.tls() : tls,
        block.sasl() != null ? block.sasl() : sasl,
        block.encryption() != null ? block.encryption() : encryption);
  }

  /** These settings with other security defaults (null: none). */
  public CacheDefaults withSecurity(TlsSettings tls, SaslSettings sasl, EncryptionSettings encryption) {
    return new CacheDefaults(expiry, statisticsEnabled, managementEnabled, keyFormat, valueFormat, javaSerialization,
        generationRefresh, tls, sasl, encryption);
  }

  /**
   * The configuration a cache created with {@code configuration} uses: a new
   * {@link MemcachedConfiguration} copy in which
   * <ul>
   *   <li>JCache settings the application left at JCache's defaults are taken from these settings:
   *       an eternal expiry policy becomes {@link #expiry()}, statistics and management that are off
   *       become {@link #statisticsEnabled()} and {@link #managementEnabled()} (a template can turn
   *       them on, never off);</li>
   *   <li>every memjcache setting the application did not set is set to these settings' value
   *       (TLS, SASL and encryption only where these settings have one).</li>
   * </ul>
   * So the result's getters show every effective memjcache setting, and the application's
   * configuration object is never modified.
   */
  public <K, V> MemcachedConfiguration<K, V> applyTo(Configuration<K, V> configuration) {
    Objects.requireNonNull(configuration, "configuration");
    MemcachedConfiguration<K, V> copy;
    if (configuration instanceof CompleteConfiguration) {
      copy = new MemcachedConfiguration<>((CompleteConfiguration<K, V>) configuration);
    } else {
      copy = new MemcachedConfiguration<K, V>()
          .setTypes(configuration.getKeyType(), configuration.getValueType())
          .setStoreByValue(configuration.isStoreByValue());
    }
    if (EternalExpiryPolicy.factoryOf().equals(copy.getExpiryPolicyFactory())) {
      copy.setExpiryPolicyFactory(expiry.factory());
    }
    if (!copy.isStatisticsEnabled()) {
      copy.setStatisticsEnabled(statisticsEnabled);
    }
    if (!copy.isManagementEnabled()) {
      copy.setManagementEnabled(managementEnabled);
    }
    if (copy.getTls().isEmpty()) {
      copy.setTls(tls);
    }
    if (copy.getSasl().isEmpty()) {
      copy.setSasl(sasl);
    }
    if (copy.getEncryption().isEmpty()) {
      copy.setEncryption(encryption);
    }
    if (copy.getKeyFormat().isEmpty()) {
      copy.setKeyFormat(keyFormat);
    }
    if (copy.getValueFormat().isEmpty()) {
      copy.setValueFormat(valueFormat);
    }
    if (copy.getJavaSerializationAllowedPatterns().isEmpty()) {
      copy.setJavaSerializationAllowedPatterns(javaSerialization.allowedPatterns());
    }
    if (copy.getGenerationRefresh().isEmpty()) {
      copy.setGenerationRefresh(generationRefresh);
    }
    return copy;
  }

  /** The Java deserialization filter of a cache: its allowed patterns if set, else these; these limits. */
  public JavaSerializationSettings javaSerialization(MemcachedConfiguration<?, ?> configuration) {
    return configuration.getJavaSerializationAllowedPatterns()
        .map(patterns -> new JavaSerializationSettings(patterns, javaSerialization.maxDepth(),
            javaSerialization.maxReferences(), javaSerialization.maxBytes(), javaSerialization.maxArrayLength()))
        .orElse(javaSerialization);
  }

  /**
   * The key serializer of a cache with this configuration (its key format, else {@link #keyFormat()}).
   *
   * @throws IllegalArgumentException if the format cannot hold the key type
   */
  public <K> Serializer<K> keySerializer(MemcachedConfiguration<K, ?> configuration, ClassLoader classLoader) {
    return configuration.getKeyFormat().orElse(keyFormat)
        .serializer(configuration.getKeyType(), classLoader, javaSerialization(configuration));
  }

  /**
   * The value serializer of a cache with this configuration (its value format, else {@link #valueFormat()}).
   *
   * @throws IllegalArgumentException if the format cannot hold the value type
   */
  public <V> Serializer<V> valueSerializer(MemcachedConfiguration<?, V> configuration, ClassLoader classLoader) {
    return configuration.getValueFormat().orElse(valueFormat)
        .serializer(configuration.getValueType(), classLoader, javaSerialization(configuration));
  }
}
