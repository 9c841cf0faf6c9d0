package io.memjcache.internal.config;

/**
 * A configuration that cannot be used: a missing or unreadable resource, bad JSON, an unknown
 * field, a wrong type or an impossible value. The message names the resource and, for a value,
 * its JSON path, e.g. {@code /etc/app/memjcache.json: $.caches["orders"].expiry.duration: expected
 * an ISO-8601 duration or whole milliseconds, got "10 minutes"}. It never contains a secret.
 */
public final class ConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A problem with the value at {@code path} of {@code source}. */
  static ConfigException at(String source, String path, String problem) {
    return new ConfigException(source + ": " + path + ": " + problem);
  }
}
