package io.memjcache.management;

/**
 * What an operator needs to see of one memjcache cache manager, registered in the platform
 * MBeanServer as {@code io.memjcache:type=CacheManager,uri=<manager URI>} beside the standard
 * JCache beans. When another manager with the same URI is already registered (another class
 * loader, e.g. a second web application), the name gets a key {@code id=2}, {@code id=3} ...; the
 * {@link #getClassLoader ClassLoader} attribute tells them apart. Counters count since the
 * manager opened. Nothing here ever shows a secret or key material.
 */
public interface MemcachedManagerMXBean {
  /** The manager's URI. */
  String getUri();

  /** The class loader the manager was opened for (its name if it has one, and its identity hash). */
  String getClassLoader();

  /** The caches this manager has open. */
  String[] getCaches();

  /**
   * One line per server and security configuration:
   * {@code host:port state [tls] [sasl] failures=N reconnects=N timeouts=N}. {@link #getConnections}
   * has the same and more, as structured data.
   */
  String[] getNodes();

  /**
   * One entry per server and security configuration: state, the open connection's TLS protocol,
   * cipher suite, server certificate subject and expiry, SASL mechanism and user, and the counts of
   * timeouts, reconnects, failed connects, authentication failures and lost connections.
   */
  ConnectionInfo[] getConnections();

  /** Per encryption key ring in use: the primary key id and the ids that can still decrypt (one line each). */
  String[] getEncryptionKeys();

  /** Per encryption key ring in use: source, algorithm, primary (active) key id, other key ids by state. */
  KeyRingInfo[] getKeyRings();

  /**
   * Values read from memcached and refused: failed authentication of an encrypted value (tampered,
   * or sealed with another key), unknown or retired key, plaintext in an encrypted cache, corrupt or
   * foreign data. Each was treated as a miss.
   */
  long getRejectedValues();

  /** Requests that got no answer within the operation timeout, over all servers. */
  long getTimeouts();

  /** Connections re-established after a loss, over all servers. */
  long getReconnects();

  /** Attempts to open a connection (TCP, TLS handshake or SASL) that failed, over all servers. */
  long getConnectFailures();

  /** SASL authentications refused by a server (wrong credentials, no acceptable mechanism), over all servers. */
  long getAuthenticationFailures();
}
