package io.memjcache.internal.config;

import io.memjcache.config.EncryptionSettings;
import io.memjcache.config.SaslSettings;
import io.memjcache.config.TlsSettings;
import io.memjcache.internal.cluster.ClusterSettings;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one configuration file says, checked but not yet combined with the built-in defaults or
 * the manager's properties: a null field is a setting the file leaves out.
 *
 * @param source the name of the file or resource, for messages
 * @param cluster the {@code cluster} block, its left-out fields at their defaults (null: no block)
 */
public record ConfigFile(
    String source,
    List<InetSocketAddress> servers,
    Duration connectTimeout,
    Duration operationTimeout,
    Integer connectionsPerNode,
    Integer maxInFlight,
    Integer maxResponseBodyBytes,
    ClusterSettings cluster,
    TlsSettings tls,
    SaslSettings sasl,
    EncryptionSettings encryption,
    CacheTemplate defaults,
    List<CacheTemplates.Template> templates,
    Map<String, CacheTemplate> caches) {

  public ConfigFile {
    Objects.requireNonNull(source, "source");
    servers = servers == null ? null : List.copyOf(servers);
    defaults = defaults == null ? CacheTemplate.EMPTY : defaults;
    templates = templates == null ? List.of() : List.copyOf(templates);
    caches = caches == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(caches));
  }

  /** No file: nothing set. */
  public static ConfigFile none() {
    return new ConfigFile("(no configuration file)", null, null, null, null, null, null, null, null, null, null, null,
        null, null);
  }

  /** The per-cache settings of this file on top of {@code builtIn}, with the file's security defaults. */
  public CacheTemplates cacheTemplates(CacheDefaults builtIn, CacheTemplate overrides) {
    CacheDefaults base;
    try {
      base = builtIn.with(defaults).with(overrides);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(source + ": $.defaults: " + e.getMessage(), e);
    }
    base = base.withSecurity(tls != null ? tls : builtIn.tls(), sasl != null ? sasl : builtIn.sasl(),
        encryption != null ? encryption : builtIn.encryption());
    return new CacheTemplates(base, templates, caches);
  }
}
