package io.memjcache.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.config.EncryptionSettings;
import io.memjcache.config.MemcachedConfiguration;
import io.memjcache.config.SaslSettings;
import io.memjcache.config.Secret;
import io.memjcache.config.SerializationFormat;
import io.memjcache.config.TlsSettings;
import io.memjcache.serialization.JavaSerializationSettings;
import io.memjcache.serialization.Serializer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.EternalExpiryPolicy;
import org.junit.jupiter.api.Test;

/**
 * How a manager's per-cache settings meet the application's configuration: JCache settings only
 * where the application left JCache's defaults, memjcache settings wherever it set none.
 */
class CacheDefaultsTest {
  private static final TlsSettings TLS = TlsSettings.builder().engine(TlsSettings.Engine.JDK).build();
  private static final SaslSettings SASL =
      SaslSettings.builder().username("app").password(Secret.fromEnvironment("PW")).build();
  private static final EncryptionSettings ENCRYPTION = EncryptionSettings.builder().build();

  private final CacheDefaults template = new CacheDefaults(
      new ExpirySettings(ExpirySettings.Policy.CREATED, Duration.ofMinutes(10)), true, true,
      SerializationFormat.JAVA, SerializationFormat.JSON,
      JavaSerializationSettings.DEFAULTS.withAllowedPatterns("com.example.**").withLimits(10, 100, 1000, 10),
      Duration.ofMillis(250), TLS, SASL, ENCRYPTION);

  @Test
  void applyTo_plainMutableConfiguration_takesEveryDefault() {
    MutableConfiguration<String, Object> plain = new MutableConfiguration<String, Object>()
        .setTypes(String.class, Object.class);
    MemcachedConfiguration<String, Object> effective = template.applyTo(plain);

    assertEquals(String.class, effective.getKeyType());
    assertEquals(CreatedExpiryPolicy.factoryOf(new javax.cache.expiry.Duration(java.util.concurrent.TimeUnit.MINUTES, 10))
        .create(), effective.getExpiryPolicyFactory().create());
    assertTrue(effective.isStatisticsEnabled());
    assertTrue(effective.isManagementEnabled());
    assertEquals(Optional.of(TLS), effective.getTls());
    assertEquals(Optional.of(SASL), effective.getSasl());
    assertEquals(Optional.of(ENCRYPTION), effective.getEncryption());
    assertEquals(Optional.of(SerializationFormat.JAVA), effective.getKeyFormat());
    assertEquals(Optional.of(SerializationFormat.JSON), effective.getValueFormat());
    assertEquals(Optional.of(List.of("com.example.**")), effective.getJavaSerializationAllowedPatterns());
    assertEquals(Optional.of(Duration.ofMillis(250)), effective.getGenerationRefresh());
    assertFalse(plain.isStatisticsEnabled(), "the application's configuration is not modified");
  }

  @Test
  void applyTo_settingsTheApplicationChanged_areKept() {
    MutableConfiguration<String, String> own = new MutableConfiguration<String, String>()
        .setTypes(String.class, String.class)
        .setExpiryPolicyFactory(AccessedExpiryPolicy.factoryOf(javax.cache.expiry.Duration.ONE_MINUTE))
        .setStatisticsEnabled(true)
        .setReadThrough(true);
    MemcachedConfiguration<String, String> effective = CacheDefaults.BUILT_IN.applyTo(own);
    assertEquals(new AccessedExpiryPolicy(javax.cache.expiry.Duration.ONE_MINUTE), effective.getExpiryPolicyFactory().create());
    assertTrue(effective.isStatisticsEnabled(), "a template that says false never turns statistics off");
    assertTrue(effective.isReadThrough());
  }

  @Test
  void applyTo_memcachedConfiguration_keepsWhatItSets() {
    TlsSettings own = TlsSettings.builder().hostnameVerification(true).build();
    MemcachedConfiguration<String, byte[]> configuration = new MemcachedConfiguration<String, byte[]>()
        .setTypes(String.class, byte[].class)
        .setTls(own)
        .setValueFormat(SerializationFormat.BYTES)
        .setJavaSerializationAllowedPatterns()
        .setGenerationRefresh(Duration.ZERO);
    MemcachedConfiguration<String, byte[]> effective = template.applyTo(configuration);
    assertNotSame(configuration, effective);
    assertEquals(Optional.of(own), effective.getTls());
    assertEquals(Optional.of(SASL), effective.getSasl(), "unset: inherited");
    assertEquals(Optional.of(SerializationFormat.BYTES), effective.getValueFormat());
    assertEquals(Optional.of(SerializationFormat.JAVA), effective.getKeyFormat());
    assertEquals(Optional.of(List.of()), effective.getJavaSerializationAllowedPatterns(), "an empty list is a setting");
    assertEquals(Optional.of(Duration.ZERO), effective.getGenerationRefresh());
    assertEquals(Optional.empty(), configuration.getSasl(), "the application's configuration is not modified");
  }

  @Test
  void applyTo_noSecurityDefaults_leavesSecurityUnset() {
    MemcachedConfiguration<Object, Object> effective = CacheDefaults.BUILT_IN.applyTo(new MutableConfiguration<>());
    assertEquals(Optional.empty(), effective.getTls());
    assertEquals(Optional.empty(), effective.getSasl());
    assertEquals(Optional.empty(), effective.getEncryption());
    assertEquals(EternalExpiryPolicy.factoryOf(), effective.getExpiryPolicyFactory());
    assertFalse(effective.isStatisticsEnabled());
    assertEquals(Optional.of(SerializationFormat.AUTO), effective.getKeyFormat());
  }

  @Test
  void applyTo_basicConfiguration_copiesTypesAndStoreByValue() {
    Configuration<String, Long> basic = new Configuration<>() {
      private static final long serialVersionUID = 1L;

      @Override
      public Class<String> getKeyType() {
        return String.class;
      }

      @Override
      public Class<Long> getValueType() {
        return Long.class;
      }

      @Override
      public boolean isStoreByValue() {
        return true;
      }
    };
    MemcachedConfiguration<String, Long> effective = template.applyTo(basic);
    assertEquals(String.class, effective.getKeyType());
    assertEquals(Long.class, effective.getValueType());
    assertTrue(effective.isStatisticsEnabled());
  }

  @Test
  void javaSerialization_patternsOfTheCache_limitsOfTheTemplate() {
    MemcachedConfiguration<String, Object> configuration = new MemcachedConfiguration<String, Object>()
        .setJavaSerializationAllowedPatterns("com.other.*");
    JavaSerializationSettings settings = template.javaSerialization(configuration);
    assertEquals(List.of("com.other.*"), settings.allowedPatterns());
    assertEquals(10, settings.maxDepth());
    assertEquals(template.javaSerialization(), template.javaSerialization(new MemcachedConfiguration<>()));
  }

  @Test
  void serializers_followTheFormats() {
    MemcachedConfiguration<String, byte[]> configuration = new MemcachedConfiguration<String, byte[]>()
        .setTypes(String.class, byte[].class).setValueFormat(SerializationFormat.BYTES);
    ClassLoader loader = getClass().getClassLoader();
    Serializer<String> keys = template.keySerializer(configuration, loader);
    assertEquals(Serializer.FORMAT_JAVA, keys.formatId(), "the template says java, even for String keys");
    assertEquals("k", keys.deserialize(keys.serialize("k")));
    assertSame(io.memjcache.serialization.Serializers.bytes(), template.valueSerializer(configuration, loader));
  }

  @Test
  void serializers_formatThatCannotHoldTheType_throws() {
    MemcachedConfiguration<Long, Long> configuration = new MemcachedConfiguration<Long, Long>()
        .setTypes(Long.class, Long.class).setKeyFormat(SerializationFormat.STRING);
    assertThrows(IllegalArgumentException.class, () -> template.keySerializer(configuration, getClass().getClassLoader()));
  }
}
