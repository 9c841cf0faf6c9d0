package io.memjcache.testing;

import java.util.OptionalInt;

/** memcached could not be started: not installed, a bad option, or no answer in time. */
public class MemcachedStartException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** How to get a memcached, for messages. */
  static final String HOW_TO_INSTALL = "install memcached (Debian/Ubuntu: apt-get install memcached"
      + " sasl2-bin), or point MEMCACHED_BIN at a memcached binary, or run a Docker engine"
      + " (the harness then starts the " + ServerOptions.DEFAULT_IMAGE + " image)";

  private final Integer exitCode;
  private final String output;

  public MemcachedStartException(String message) {
    this(message, null, "", null);
  }

  public MemcachedStartException(String message, Throwable cause) {
    this(message, null, "", cause);
  }

  MemcachedStartException(String message, Integer exitCode, String output, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
    this.output = output;
  }

  /** The exit code, when the process ended during start. */
  public OptionalInt exitCode() {
    return exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode);
  }

  /** What the server printed during this start (may be empty). */
  public String output() {
    return output;
  }
}
