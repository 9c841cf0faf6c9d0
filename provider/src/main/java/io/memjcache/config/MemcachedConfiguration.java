package io.memjcache.config;

import io.memjcache.serialization.JavaSerializationSettings;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Factory;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheWriter;

/**
 * A JCache {@link MutableConfiguration} with memjcache's per-cache settings: TLS, SASL, value
 * encryption, the key and value formats, the Java deserialization allow-list and the generation
 * refresh interval. Every setter returns this configuration, as {@code MutableConfiguration}'s do.
 *
 * <p>Each memjcache setting is <em>unset</em> until it is set (its getter returns an empty
 * {@code Optional}); an unset setting inherits the manager's default for this cache (from the
 * configuration file's templates, else the built-in default). Setting {@code null} makes a
 * setting unset again. A cache cannot switch off a security mode that the manager's defaults
 * turn on; it can replace its settings.
 *
 * <p>{@code createCache} copies the configuration; {@code cache.getConfiguration(MemcachedConfiguration.class)}
 * returns the cache's effective configuration, with the inherited settings filled in.
 *
 * <p>The security settings hold secret sources and are not serializable: serializing a
 * configuration that has TLS, SASL or encryption set fails with {@link NotSerializableException}.
 *
 * @param <K> the type of keys
 * @param <V> the type of values
 */
public class MemcachedConfiguration<K, V> extends MutableConfiguration<K, V> {
  private static final long serialVersionUID = 1L;

  private transient TlsSettings tls;
  private transient SaslSettings sasl;
  private transient EncryptionSettings encryption;
  private SerializationFormat keyFormat;
  private SerializationFormat valueFormat;
  private List<String> javaSerializationAllowedPatterns;
  private Duration generationRefresh;

  /** A configuration with JCache's defaults and every memjcache setting unset. */
  public MemcachedConfiguration() {}

  /**
   * A copy of {@code configuration}; when it is a {@code MemcachedConfiguration}, its memjcache
   * settings are copied too (the settings objects are immutable).
   */
  public MemcachedConfiguration(CompleteConfiguration<K, V> configuration) {
    super(configuration);
    if (configuration instanceof MemcachedConfiguration) {
      MemcachedConfiguration<K, V> other = (MemcachedConfiguration<K, V>) configuration;
      this.tls = other.tls;
      this.sasl = other.sasl;
      this.encryption = other.encryption;
      this.keyFormat = other.keyFormat;
      this.valueFormat = other.valueFormat;
      this.javaSerializationAllowedPatterns = other.javaSerializationAllowedPatterns;
      this.generationRefresh = other.generationRefresh;
    }
  }

  // ------------------------------------------------------------------ memjcache settings

  /** TLS for this cache's connections; unset inherits the manager's. */
  public Optional<TlsSettings> getTls() {
    return Optional.ofNullable(tls);
  }

  /** TLS for this cache's connections ({@code null}: inherit the manager's). */
  public MemcachedConfiguration<K, V> setTls(TlsSettings tls) {
    this.tls = tls;
    return this;
  }

  /** SASL authentication of this cache's connections; unset inherits the manager's. */
  public Optional<SaslSettings> getSasl() {
    return Optional.ofNullable(sasl);
  }

  /** SASL authentication of this cache's connections ({@code null}: inherit the manager's). */
  public MemcachedConfiguration<K, V> setSasl(SaslSettings sasl) {
    this.sasl = sasl;
    return this;
  }

  /** Encryption of this cache's values; unset inherits the manager's. */
  public Optional<EncryptionSettings> getEncryption() {
    return Optional.ofNullable(encryption);
  }

  /** Encryption of this cache's values ({@code null}: inherit the manager's). */
  public MemcachedConfiguration<K, V> setEncryption(EncryptionSettings encryption) {
    this.encryption = encryption;
    return this;
  }

  /** How keys become bytes; unset inherits the manager's (by default {@link SerializationFormat#AUTO}). */
  public Optional<SerializationFormat> getKeyFormat() {
    return Optional.ofNullable(keyFormat);
  }

  /** How keys become bytes ({@code null}: inherit). Checked against the key type when the cache is created. */
  public MemcachedConfiguration<K, V> setKeyFormat(SerializationFormat format) {
    this.keyFormat = format;
    return this;
  }

  /** How values become bytes; unset inherits the manager's (by default {@link SerializationFormat#AUTO}). */
  public Optional<SerializationFormat> getValueFormat() {
    return Optional.ofNullable(valueFormat);
  }

  /** How values become bytes ({@code null}: inherit). Checked against the value type when the cache is created. */
  public MemcachedConfiguration<K, V> setValueFormat(SerializationFormat format) {
    this.valueFormat = format;
    return this;
  }

  /**
   * The classes Java deserialization may create for this cache beyond the JDK's value types and
   * the cache's key and value types; unset inherits the manager's list.
   */
  public Optional<List<String>> getJavaSerializationAllowedPatterns() {
    return Optional.ofNullable(javaSerializationAllowedPatterns);
  }

  /**
   * Replaces the inherited list of classes Java deserialization may create, as
   * {@link JavaSerializationSettings#allowedPatterns() ObjectInputFilter patterns} such as
   * {@code "com.example.domain.**"}. The JDK's value types and the cache's key and value types
   * are always allowed, known gadget classes never. No argument means no extra class.
   *
   * @throws IllegalArgumentException if a pattern is not a single valid class pattern
   */
  public MemcachedConfiguration<K, V> setJavaSerializationAllowedPatterns(String... patterns) {
    Objects.requireNonNull(patterns, "patterns");
    return setJavaSerializationAllowedPatterns(List.of(patterns));
  }

  /**
   * Replaces the inherited allow-list, see {@link #setJavaSerializationAllowedPatterns(String...)}
   * ({@code null}: inherit).
   */
  public MemcachedConfiguration<K, V> setJavaSerializationAllowedPatterns(Collection<String> patterns) {
    if (patterns == null) {
      this.javaSerializationAllowedPatterns = null;
    } else {
      List<String> copy = List.copyOf(patterns);
      // The settings check every pattern, so a typo fails here rather than on the first read.
      JavaSerializationSettings.DEFAULTS.withAllowedPatterns(copy.toArray(new String[0]));
      this.javaSerializationAllowedPatterns = copy;
    }
    return this;
  }

  /**
   * How stale this cache's view of another client's {@code clear()} or {@code destroyCache()}
   * may be; unset inherits the manager's (by default one second).
   */
  public Optional<Duration> getGenerationRefresh() {
    return Optional.ofNullable(generationRefresh);
  }

  /**
   * How stale this cache's view of another client's {@code clear()} may be ({@code null}:
   * inherit); zero re-reads the generation on every operation, at one more round trip each.
   *
   * @throws IllegalArgumentException if {@code refresh} is negative
   */
  public MemcachedConfiguration<K, V> setGenerationRefresh(Duration refresh) {
    if (refresh != null && refresh.isNegative()) {
      throw new IllegalArgumentException("the generation refresh must not be negative, was " + refresh);
    }
    this.generationRefresh = refresh;
    return this;
  }

  // ------------------------------------------------------------------ JCache settings, covariant

  @Override
  public MemcachedConfiguration<K, V> setTypes(Class<K> keyType, Class<V> valueType) {
    super.setTypes(keyType, valueType);
    return this;
  }

  @Override
  public MemcachedConfiguration<K, V> addCacheEntryListenerConfiguration(
      CacheEntryListenerConfiguration<K, V> cacheEntryListenerConfiguration) {
    super.addCacheEntryListenerConfiguration(cacheEntryListenerConfiguration);
    return this;
  }

  @Override
  public MemcachedConfiguration<K, V> removeCacheEntryListenerConfiguration(
      CacheEntryListenerConfiguration<K, V> cacheEntryListenerConfiguration) {
    super.removeCacheEntryListenerConfiguration(cacheEntryListenerConfiguration);
    return this;
  }

  @Override
  public MemcachedConfiguration<K, V> setCacheLoaderFactory(Factory<? extends CacheLoader<K, V>> factory) {
    super.setCacheLoaderFactory(factory);
    return this;
  }

  @Override
  public MemcachedConfiguration<K, V> setCacheWriterFactory(
      Factory<? extends CacheWriter<? super K, ? super V>> factory) {
    super.setCacheWriterFactory(factory);
    return this;
  }

  @Override
  public MemcachedConfiguration<K, V> setExpiryPolicyFactory(Factory<? extends ExpiryPolicy> factory) {
    super.setExpiryPolicyFactory(factory);
    return this;
  }

  @Override
  public MemcachedConfiguration<K, V> setReadThrough(boolean isReadThrough) {
    super.setReadThrough(isReadThrough);
    return this;
  }

  @Override
  public MemcachedConfiguration<K, V> setWriteThrough(boolean isWriteThrough) {
    super.setWriteThrough(isWriteThrough);
    return this;
  }

  @Override
  public MemcachedConfiguration<K, V> setStoreByValue(boolean isStoreByValue) {
    super.setStoreByValue(isStoreByValue);
    return this;
  }

  @Override
  public MemcachedConfiguration<K, V> setStatisticsEnabled(boolean enabled) {
    super.setStatisticsEnabled(enabled);
    return this;
  }

  @Override
  public MemcachedConfiguration<K, V> setManagementEnabled(boolean enabled) {
    super.setManagementEnabled(enabled);
    return this;
  }

  // ------------------------------------------------------------------ Object

  /**
   * Equal to another {@code MemcachedConfiguration} with equal JCache and memjcache settings.
   * (A plain {@code MutableConfiguration} compares only the JCache settings, so it may find itself
   * equal to a {@code MemcachedConfiguration} that is not equal to it.)
   */
  @Override
  public boolean equals(Object object) {
    if (this == object) {
      return true;
    }
    if (!(object instanceof MemcachedConfiguration) || !super.equals(object)) {
      return false;
    }
    MemcachedConfiguration<?, ?> other = (MemcachedConfiguration<?, ?>) object;
    return Objects.equals(tls, other.tls)
        && Objects.equals(sasl, other.sasl)
        && Objects.equals(encryption, other.encryption)
        && keyFormat == other.keyFormat
        && valueFormat == other.valueFormat
        && Objects.equals(javaSerializationAllowedPatterns, other.javaSerializationAllowedPatterns)
        && Objects.equals(generationRefresh, other.generationRefresh);
  }

  @Override
  public int hashCode() {
    return 31 * super.hashCode()
        + Objects.hash(tls, sasl, encryption, keyFormat, valueFormat, javaSerializationAllowedPatterns, generationRefresh);
  }

  /** The settings, without any secret (secrets show only where they come from). */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("MemcachedConfiguration{")
        .append("keyType=").append(getKeyType().getName())
        .append(", valueType=").append(getValueType().getName())
        .append(", expiryPolicyFactory=").append(getExpiryPolicyFactory())
        .append(", readThrough=").append(isReadThrough())
        .append(", writeThrough=").append(isWriteThrough())
        .append(", storeByValue=").append(isStoreByValue())
        .append(", statisticsEnabled=").append(isStatisticsEnabled())
        .append(", managementEnabled=").append(isManagementEnabled());
    append(text, "tls", tls);
    append(text, "sasl", sasl);
    append(text, "encryption", encryption);
    append(text, "keyFormat", keyFormat);
    append(text, "valueFormat", valueFormat);
    append(text, "javaSerializationAllowedPatterns", javaSerializationAllowedPatterns);
    append(text, "generationRefresh", generationRefresh);
    return text.append('}').toString();
  }

  private static void append(StringBuilder text, String name, Object value) {
    text.append(", ").append(name).append('=').append(value == null ? "inherited" : value);
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    if (tls != null || sasl != null || encryption != null) {
      throw new NotSerializableException(getClass().getName()
          + " with TLS, SASL or encryption settings (they name secret sources, which are not serializable)");
    }
    out.defaultWriteObject();
  }
}
