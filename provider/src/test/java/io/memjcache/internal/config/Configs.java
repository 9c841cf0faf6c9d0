package io.memjcache.internal.config;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.memjcache.internal.jcache.ManagerSettings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** Test helpers: configurations from strings and files, with a private environment. */
final class Configs {
  /** How parse() names its input in messages. */
  static final String SOURCE = "memjcache.json";

  private Configs() {}

  /** An environment of these variables and properties only (nothing of this JVM's). */
  static Environment environment(Map<String, String> variables, Map<String, String> properties) {
    Map<String, String> vars = new HashMap<>(variables);
    Map<String, String> props = new HashMap<>(properties);
    return Environment.of(vars::get, props::get);
  }

  /** An environment with nothing set. */
  static Environment empty() {
    return environment(Map.of(), Map.of());
  }

  static ConfigFile parse(String json) {
    return parse(json, empty());
  }

  static ConfigFile parse(String json, Environment environment) {
    return ConfigLoader.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), SOURCE, environment);
  }

  /** The error of parsing {@code json}. */
  static ConfigException error(String json) {
    return error(json, empty());
  }

  static ConfigException error(String json, Environment environment) {
    return assertThrows(ConfigException.class, () -> parse(json, environment));
  }

  /** The cache defaults {@code json} gives a cache named {@code cacheName}. */
  static CacheDefaults forCache(String json, String cacheName) {
    return parse(json).cacheTemplates(CacheDefaults.BUILT_IN, CacheTemplate.EMPTY).forCache(cacheName);
  }

  static Path write(Path file, String text) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      return Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The manager settings of a configuration file holding {@code json}. */
  static ManagerSettings settings(Path directory, String json, Environment environment) {
    Path file = write(directory.resolve("memjcache.json"), json);
    return settings(file.toUri(), new Properties(), environment);
  }

  static ManagerSettings settings(URI uri, Properties properties, Environment environment) {
    return ManagerSettings.resolve(uri, Configs.class.getClassLoader(), properties, environment);
  }
}
