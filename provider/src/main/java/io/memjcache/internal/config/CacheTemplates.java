package io.memjcache.internal.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The per-cache settings of one manager: the defaults for every cache, the templates matched by
 * name pattern, and the caches the configuration declares by name. For a cache name, the
 * settings are layered field by field: the defaults, then every matching template from the least
 * to the most specific (see {@link NamePattern}), then the declared cache of that exact name.
 */
public final class CacheTemplates {
  private final CacheDefaults defaults;
  private final List<Template> templates;
  private final Map<String, CacheTemplate> caches;

  /** A template of the file: its pattern and its settings. */
  record Template(NamePattern pattern, CacheTemplate settings) {}

  CacheTemplates(CacheDefaults defaults, List<Template> templates, Map<String, CacheTemplate> caches) {
    this.defaults = Objects.requireNonNull(defaults, "defaults");
    this.templates = List.copyOf(templates);
    this.caches = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(caches));
  }

  /** No templates and no declared caches: every cache gets {@code defaults}. */
  public static CacheTemplates of(CacheDefaults defaults) {
    return new CacheTemplates(defaults, List.of(), Map.of());
  }

  /** The settings of a cache that no template or declaration names. */
  public CacheDefaults defaults() {
    return defaults;
  }

  /**
   * The effective settings for a cache of this name.
   *
   * @throws IllegalArgumentException if the layered settings are not valid together
   */
  public CacheDefaults forCache(String cacheName) {
    Objects.requireNonNull(cacheName, "cacheName");
    List<Template> matching = new ArrayList<>();
    for (Template template : templates) {
      if (template.pattern().matches(cacheName)) {
        matching.add(template);
      }
    }
    matching.sort((a, b) -> NamePattern.LEAST_SPECIFIC_FIRST.compare(a.pattern(), b.pattern()));
    CacheTemplate layered = CacheTemplate.EMPTY;
    for (Template template : matching) {
      layered = layered.overriddenBy(template.settings());
    }
    CacheTemplate declared = caches.get(cacheName);
    if (declared != null) {
      layered = layered.overriddenBy(declared);
    }
    return defaults.with(layered);
  }

  /** The names of the caches the configuration declares, in the order written. */
  public List<String> declaredCaches() {
    return List.copyOf(caches.keySet());
  }

  /** The template patterns, in the order written. */
  public List<String> patterns() {
    return templates.stream().map(t -> t.pattern().text()).toList();
  }
}
