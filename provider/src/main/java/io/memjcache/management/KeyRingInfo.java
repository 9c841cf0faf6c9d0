package io.memjcache.management;

import javax.management.ConstructorParameters;

/**
 * One value-encryption key ring in use by the manager's caches, as last read from its source: key
 * ids and their states only, never key material. JMX consoles show it as composite data.
 */
public final class KeyRingInfo {
  private final String source;
  private final String algorithm;
  private final int primaryKeyId;
  private final int[] activeKeyIds;
  private final int[] retiredKeyIds;
  private final int hashingKeyId;

  /** All values as the getters return them. */
  @ConstructorParameters({"source", "algorithm", "primaryKeyId", "activeKeyIds", "retiredKeyIds", "hashingKeyId"})
  public KeyRingInfo(String source, String algorithm, int primaryKeyId, int[] activeKeyIds, int[] retiredKeyIds,
      int hashingKeyId) {
    this.source = source;
    this.algorithm = algorithm;
    this.primaryKeyId = primaryKeyId;
    this.activeKeyIds = activeKeyIds.clone();
    this.retiredKeyIds = retiredKeyIds.clone();
    this.hashingKeyId = hashingKeyId;
  }

  /** Where the ring is read from, e.g. {@code env:MEMJCACHE_KEYS} or {@code pkcs12:/etc/keys.p12}. */
  public String getSource() {
    return source;
  }

  /** The value-encryption algorithm, e.g. {@code AES_256_GCM}. */
  public String getAlgorithm() {
    return algorithm;
  }

  /** The id of the primary key: the one that seals every value written now. Changes on rotation. */
  public int getPrimaryKeyId() {
    return primaryKeyId;
  }

  /** Ids of keys that are not primary but still open the values they sealed. */
  public int[] getActiveKeyIds() {
    return activeKeyIds.clone();
  }

  /** Ids of retired keys: values sealed with them are refused (counted in RejectedValues). */
  public int[] getRetiredKeyIds() {
    return retiredKeyIds.clone();
  }

  /** The id of the key whose material keys the HMAC of memcached keys, whatever its state. */
  public int getHashingKeyId() {
    return hashingKeyId;
  }

  @Override
  public String toString() {
    return source + " primary=" + primaryKeyId + " active=" + java.util.Arrays.toString(activeKeyIds) + " retired="
        + java.util.Arrays.toString(retiredKeyIds) + " hashing=" + hashingKeyId;
  }
}
