package io.memjcache.internal.config;

import io.memjcache.config.EncryptionSettings;
import io.memjcache.config.SaslSettings;
import io.memjcache.config.SerializationFormat;
import io.memjcache.config.TlsSettings;
import java.time.Duration;
import java.util.List;

/**
 * Per-cache settings as one block of the configuration file states them ({@code defaults}, a
 * template or a declared cache): every field is null unless the block sets it. Blocks are layered
 * with {@link #overriddenBy}, field by field.
 */
public record CacheTemplate(
    ExpirySettings expiry,
    Boolean statisticsEnabled,
    Boolean managementEnabled,
    SerializationFormat keyFormat,
    SerializationFormat valueFormat,
    Duration generationRefresh,
    List<String> allowedPatterns,
    Integer maxDepth,
    Long maxReferences,
    Long maxBytes,
    Integer maxArrayLength,
    TlsSettings tls,
    SaslSettings sasl,
    EncryptionSettings encryption) {

  /** A block that sets nothing. */
  public static final CacheTemplate EMPTY =
      new CacheTemplate(null, null, null, null, null, null, null, null, null, null, null, null, null, null);

  public CacheTemplate {
    allowedPatterns = allowedPatterns == null ? null : List.copyOf(allowedPatterns);
  }

  /** These settings with every field that {@code more} sets taken from {@code more}. */
  public CacheTemplate overriddenBy(CacheTemplate more) {
    return new CacheTemplate(
        pick(more.expiry, expiry),
        pick(more.statisticsEnabled, statisticsEnabled),
        pick(more.managementEnabled, managementEnabled),
        pick(more.keyFormat, keyFormat),
        pick(more.valueFormat, valueFormat),
        pick(more.generationRefresh, generationRefresh),
        pick(more.allowedPatterns, allowedPatterns),
        pick(more.maxDepth, maxDepth),
        pick(more.maxReferences, maxReferences),
        pick(more.maxBytes, maxBytes),
        pick(more.maxArrayLength, maxArrayLength),
        pick(more.tls, tls),
        pick(more.sasl, sasl),
        pick(more.encryption, encryption));
  }

  /** A block setting only the generation refresh. */
  public static CacheTemplate generationRefresh(Duration refresh) {
    return new CacheTemplate(null, null, null, null, null, refresh, null, null, null, null, null, null, null, null);
  }

  /** A block setting only the allowed patterns. */
  public static CacheTemplate allowedPatterns(List<String> patterns) {
    return new CacheTemplate(null, null, null, null, null, null, patterns, null, null, null, null, null, null, null);
  }

  private static <T> T pick(T preferred, T fallback) {
    return preferred != null ? preferred : fallback;
  }
}
