package io.memjcache.testing;

import java.io.IOException;

/**
 * A server capability (SASL, TLS, ...) that contributes arguments, environment variables and files
 * to a memcached launch, and may check the running server afterwards.
 */
public interface ServerFeature {

  /** Adds this feature's arguments, environment and files; called once per server, before start. */
  void configure(LaunchSpec spec) throws IOException;

  /** Checks a freshly (re)started server; throw to refuse it. */
  default void verify(MemcachedServer server) throws IOException {}

  /** Whether this feature works with memcached in a container (files and env are not passed). */
  default boolean supportsContainer() {
    return false;
  }
}
