package io.memjcache.management;

/**
 * What an operator needs to see of one memjcache cache manager, registered in the platform
 * MBeanServer as {@code io.memjcache:type=CacheManager,uri=<manager URI>} beside the standard
 * JCache beans. Nothing here ever shows a secret or key material.
 */
public interface MemcachedManagerMXBean {
  /** The manager's URI. */
  String getUri();

  /** The caches this manager has open. */
  String[] getCaches();

  /** One line per server: {@code host:port state}. */
  String[] getNodes();

  /** Per encryption key ring in use: the primary key id and the ids that can still decrypt. */
  String[] getEncryptionKeys();

  /**
   * Values read from memcached and refused: failed authentication, unknown or retired key,
   * plaintext in an encrypted cache, corrupt or foreign data. Each was treated as a miss.
   */
  long getRejectedValues();
}
