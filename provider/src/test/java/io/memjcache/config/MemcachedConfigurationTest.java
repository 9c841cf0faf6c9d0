package io.memjcache.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheWriter;
import org.junit.jupiter.api.Test;

/**
 * The public per-cache configuration: MutableConfiguration's fluent style with covariant returns,
 * unset memjcache settings until set, copies, equality, and no secret in toString.
 */
class MemcachedConfigurationTest {
  private static final TlsSettings TLS = TlsSettings.builder().engine(TlsSettings.Engine.JDK).build();
  private static final SaslSettings SASL =
      SaslSettings.builder().username("app").password(Secret.of("hunter2")).build();
  private static final EncryptionSettings ENCRYPTION =
      EncryptionSettings.builder().algorithm(EncryptionSettings.Algorithm.AES_256_GCM_SIV).build();

  /** An order, for the README example. */
  static final class Order implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
  }

  private static MemcachedConfiguration<String, String> everything() {
    return new MemcachedConfiguration<String, String>()
        .setTypes(String.class, String.class)
        .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(Duration.ONE_MINUTE))
        .setStatisticsEnabled(true)
        .setManagementEnabled(true)
        .setReadThrough(true)
        .setWriteThrough(true)
        .setStoreByValue(true)
        .setCacheLoaderFactory(FactoryBuilder.factoryOf(NoLoader.class))
        .setCacheWriterFactory(FactoryBuilder.factoryOf(NoWriter.class))
        .addCacheEntryListenerConfiguration(listener())
        .setTls(TLS)
        .setSasl(SASL)
        .setEncryption(ENCRYPTION)
        .setKeyFormat(SerializationFormat.STRING)
        .setValueFormat(SerializationFormat.JSON)
        .setJavaSerializationAllowedPatterns("com.example.**", "com.other.Type")
        .setGenerationRefresh(java.time.Duration.ofMillis(50));
  }

  private static MutableCacheEntryListenerConfiguration<String, String> listener() {
    return new MutableCacheEntryListenerConfiguration<>(FactoryBuilder.factoryOf(NoListener.class), null, false, true);
  }

  @Test
  void newConfiguration_memjcacheSettingsAreUnset_jcacheDefaultsStand() {
    MemcachedConfiguration<Object, Object> configuration = new MemcachedConfiguration<>();
    assertEquals(Optional.empty(), configuration.getTls());
    assertEquals(Optional.empty(), configuration.getSasl());
    assertEquals(Optional.empty(), configuration.getEncryption());
    assertEquals(Optional.empty(), configuration.getKeyFormat());
    assertEquals(Optional.empty(), configuration.getValueFormat());
    assertEquals(Optional.empty(), configuration.getJavaSerializationAllowedPatterns());
    assertEquals(Optional.empty(), configuration.getGenerationRefresh());
    assertEquals(new MutableConfiguration<>(), configuration, "JCache's settings are MutableConfiguration's");
    assertInstanceOf(CompleteConfiguration.class, configuration);
  }

  @Test
  void setters_areFluentAndSetTheirValue() {
    MemcachedConfiguration<String, String> configuration = everything();
    assertEquals(Optional.of(TLS), configuration.getTls());
    assertEquals(Optional.of(SASL), configuration.getSasl());
    assertEquals(Optional.of(ENCRYPTION), configuration.getEncryption());
    assertEquals(Optional.of(SerializationFormat.STRING), configuration.getKeyFormat());
    assertEquals(Optional.of(SerializationFormat.JSON), configuration.getValueFormat());
    assertEquals(Optional.of(List.of("com.example.**", "com.other.Type")),
        configuration.getJavaSerializationAllowedPatterns());
    assertEquals(Optional.of(java.time.Duration.ofMillis(50)), configuration.getGenerationRefresh());
    assertTrue(configuration.isStatisticsEnabled());
    assertTrue(configuration.isReadThrough());
    assertEquals(1, count(configuration.getCacheEntryListenerConfigurations()));
    assertSame(configuration, configuration.removeCacheEntryListenerConfiguration(listener()));
    assertEquals(0, count(configuration.getCacheEntryListenerConfigurations()));
  }

  @Test
  void setters_null_makesASettingUnsetAgain() {
    MemcachedConfiguration<String, String> configuration = everything()
        .setTls(null).setSasl(null).setEncryption(null).setKeyFormat(null).setValueFormat(null)
        .setJavaSerializationAllowedPatterns((List<String>) null).setGenerationRefresh(null);
    assertEquals(Optional.empty(), configuration.getTls());
    assertEquals(Optional.empty(), configuration.getSasl());
    assertEquals(Optional.empty(), configuration.getEncryption());
    assertEquals(Optional.empty(), configuration.getKeyFormat());
    assertEquals(Optional.empty(), configuration.getValueFormat());
    assertEquals(Optional.empty(), configuration.getJavaSerializationAllowedPatterns());
    assertEquals(Optional.empty(), configuration.getGenerationRefresh());
  }

  @Test
  void setters_invalidValues_throw() {
    MemcachedConfiguration<String, String> configuration = new MemcachedConfiguration<>();
    assertThrows(IllegalArgumentException.class, () -> configuration.setJavaSerializationAllowedPatterns("a;maxdepth=3"));
    assertThrows(IllegalArgumentException.class, () -> configuration.setJavaSerializationAllowedPatterns(" "));
    assertThrows(NullPointerException.class, () -> configuration.setJavaSerializationAllowedPatterns("a", null));
    assertThrows(IllegalArgumentException.class, () -> configuration.setGenerationRefresh(java.time.Duration.ofMillis(-1)));
    assertEquals(Optional.empty(), configuration.getJavaSerializationAllowedPatterns(), "a failed set changes nothing");
  }

  @Test
  void allowedPatterns_areCopied() {
    List<String> patterns = new java.util.ArrayList<>(List.of("com.example.*"));
    MemcachedConfiguration<String, String> configuration =
        new MemcachedConfiguration<String, String>().setJavaSerializationAllowedPatterns(patterns);
    patterns.add("com.evil.*");
    assertEquals(List.of("com.example.*"), configuration.getJavaSerializationAllowedPatterns().orElseThrow());
    assertThrows(UnsupportedOperationException.class,
        () -> configuration.getJavaSerializationAllowedPatterns().orElseThrow().add("x"));
  }

  /** Every setter inherited from MutableConfiguration is overridden to return MemcachedConfiguration. */
  @Test
  void inheritedSetters_areCovariant() {
    Set<String> missing = new TreeSet<>();
    for (Method method : MutableConfiguration.class.getDeclaredMethods()) {
      if (Modifier.isPublic(method.getModifiers()) && method.getReturnType() == MutableConfiguration.class) {
        try {
          Method own = MemcachedConfiguration.class.getDeclaredMethod(method.getName(), method.getParameterTypes());
          if (own.getReturnType() != MemcachedConfiguration.class) {
            missing.add(method.getName());
          }
        } catch (NoSuchMethodException e) {
          missing.add(method.getName());
        }
      }
    }
    assertEquals(Set.of(), missing);
  }

  @Test
  void copyConstructor_copiesJCacheAndMemjcacheSettings() {
    MemcachedConfiguration<String, String> original = everything();
    MemcachedConfiguration<String, String> copy = new MemcachedConfiguration<>(original);
    assertEquals(original, copy);
    assertEquals(original.hashCode(), copy.hashCode());
    assertEquals(Optional.of(SASL), copy.getSasl());
    copy.setValueFormat(SerializationFormat.BYTES).setStatisticsEnabled(false);
    assertEquals(Optional.of(SerializationFormat.JSON), original.getValueFormat(), "an independent copy");
    assertTrue(original.isStatisticsEnabled());
  }

  @Test
  void copyConstructor_fromPlainConfiguration_leavesMemjcacheSettingsUnset() {
    MutableConfiguration<String, Long> plain = new MutableConfiguration<String, Long>()
        .setTypes(String.class, Long.class).setStatisticsEnabled(true);
    MemcachedConfiguration<String, Long> copy = new MemcachedConfiguration<>(plain);
    assertEquals(Long.class, copy.getValueType());
    assertTrue(copy.isStatisticsEnabled());
    assertEquals(Optional.empty(), copy.getTls());
    assertEquals(plain, copy, "a plain configuration compares JCache settings only");
    assertEquals(new MemcachedConfiguration<String, Long>().setTypes(String.class, Long.class).setStatisticsEnabled(true),
        copy);
  }

  @Test
  void equals_includesEveryMemjcacheSetting() {
    MemcachedConfiguration<String, String> base = everything();
    List<MemcachedConfiguration<String, String>> variants = List.of(
        everything().setTls(null),
        everything().setTls(TlsSettings.builder().build()),
        everything().setSasl(null),
        everything().setEncryption(EncryptionSettings.builder().build()),
        everything().setKeyFormat(SerializationFormat.JAVA),
        everything().setValueFormat(null),
        everything().setJavaSerializationAllowedPatterns("com.example.**"),
        everything().setGenerationRefresh(java.time.Duration.ZERO),
        everything().setStatisticsEnabled(false));
    for (MemcachedConfiguration<String, String> variant : variants) {
      assertNotEquals(base, variant, variant.toString());
    }
    assertNotEquals(everything().setTls(null).setSasl(null).setEncryption(null).setKeyFormat(null).setValueFormat(null)
        .setJavaSerializationAllowedPatterns((List<String>) null).setGenerationRefresh(null),
        new MutableConfiguration<>(everything()), "only a MemcachedConfiguration equals a MemcachedConfiguration");
    assertEquals(everything(), everything());
  }

  @Test
  void toString_showsSettingsButNoSecret() {
    String text = everything().toString();
    assertTrue(text.startsWith("MemcachedConfiguration{keyType=java.lang.String"), text);
    assertTrue(text.contains("username=app"), text);
    assertTrue(text.contains("keyFormat=STRING"), text);
    assertTrue(text.contains("generationRefresh=PT0.05S"), text);
    assertFalse(text.contains("hunter2"), text);
    assertTrue(new MemcachedConfiguration<>().toString().contains("tls=inherited"));
  }

  @Test
  void serialization_withoutSecuritySettings_roundTrips() throws Exception {
    MemcachedConfiguration<String, String> configuration = new MemcachedConfiguration<String, String>()
        .setTypes(String.class, String.class)
        .setValueFormat(SerializationFormat.JSON)
        .setJavaSerializationAllowedPatterns("com.example.*")
        .setGenerationRefresh(java.time.Duration.ofSeconds(3));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(configuration);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertEquals(configuration, in.readObject());
    }
  }

  @Test
  void serialization_withSecuritySettings_isRefused() {
    for (MemcachedConfiguration<String, String> configuration : List.of(
        new MemcachedConfiguration<String, String>().setTls(TLS),
        new MemcachedConfiguration<String, String>().setSasl(SASL),
        new MemcachedConfiguration<String, String>().setEncryption(ENCRYPTION))) {
      assertThrows(NotSerializableException.class,
          () -> new ObjectOutputStream(new ByteArrayOutputStream()).writeObject(configuration));
    }
  }

  /** The README's MemcachedConfiguration example, which must compile (the README shows it verbatim). */
  @Test
  void readmeExample_compilesAndIsInTheReadme() throws Exception {
    String snippet = readmeExample(null);
    Path readme = readme();
    String text = Files.readString(readme, StandardCharsets.UTF_8);
    String indented = snippet.lines().map(line -> line.isEmpty() ? line : "  " + line)
        .collect(java.util.stream.Collectors.joining("\n"));
    assertTrue(text.contains(indented), "README.md shows:\n" + indented);
  }

  /** Runs the example against {@code manager} (if not null); returns its text. */
  private static String readmeExample(CacheManager manager) {
    if (manager != null) {
      // README example: begin
      Cache<String, Order> orders = manager.createCache("orders",
          new MemcachedConfiguration<String, Order>()
              .setTypes(String.class, Order.class)
              .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(Duration.TEN_MINUTES))
              .setValueFormat(SerializationFormat.JSON)
              .setJavaSerializationAllowedPatterns("com.example.orders.**"));
      // README example: end
      orders.close();
    }
    return """
        Cache<String, Order> orders = manager.createCache("orders",
            new MemcachedConfiguration<String, Order>()
                .setTypes(String.class, Order.class)
                .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(Duration.TEN_MINUTES))
                .setValueFormat(SerializationFormat.JSON)
                .setJavaSerializationAllowedPatterns("com.example.orders.**"));""";
  }

  private static Path readme() {
    Path directory = Path.of("").toAbsolutePath();
    while (directory != null) {
      if (Files.isRegularFile(directory.resolve("README.md")) && Files.isDirectory(directory.resolve("provider"))) {
        return directory.resolve("README.md");
      }
      directory = directory.getParent();
    }
    throw new AssertionError("README.md not found");
  }

  private static int count(Iterable<?> items) {
    int n = 0;
    for (Object ignored : items) {
      n++;
    }
    return n;
  }

  /** A loader that loads nothing. */
  public static final class NoLoader implements CacheLoader<String, String> {
    @Override
    public String load(String key) {
      return null;
    }

    @Override
    public java.util.Map<String, String> loadAll(Iterable<? extends String> keys) {
      return java.util.Map.of();
    }
  }

  /** A writer that writes nothing. */
  public static final class NoWriter implements CacheWriter<String, String> {
    @Override
    public void write(Cache.Entry<? extends String, ? extends String> entry) {}

    @Override
    public void writeAll(java.util.Collection<Cache.Entry<? extends String, ? extends String>> entries) {}

    @Override
    public void delete(Object key) {}

    @Override
    public void deleteAll(java.util.Collection<?> keys) {}
  }

  /** A listener that listens to nothing. */
  public static final class NoListener implements CacheEntryCreatedListener<String, String> {
    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {}
  }
}
