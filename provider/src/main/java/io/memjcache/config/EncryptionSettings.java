package io.memjcache.config;

import java.util.Objects;

/**
 * Client-side authenticated encryption of cache values (and, by default, of the keys memcached
 * sees). Immutable; build with {@link #builder()}. The key ring and its sources are described in
 * the rest of this package.
 */
public final class EncryptionSettings {
  /** The authenticated encryption algorithm that seals new values. */
  public enum Algorithm {
    /** AES-256-GCM through the JDK (hardware accelerated); the default. */
    AES_256_GCM,
    /** AES-256-GCM-SIV (BouncyCastle): nonce-misuse resistant. */
    AES_256_GCM_SIV
  }

  private final Algorithm algorithm;
  private final boolean hashKeys;

  private EncryptionSettings(Builder b) {
    this.algorithm = b.algorithm;
    this.hashKeys = b.hashKeys;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Algorithm algorithm() {
    return algorithm;
  }

  /** Whether memcached keys are HMACs of the cache name and key (default true). */
  public boolean hashKeys() {
    return hashKeys;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof EncryptionSettings)) {
      return false;
    }
    EncryptionSettings e = (EncryptionSettings) o;
    return algorithm == e.algorithm && hashKeys == e.hashKeys;
  }

  @Override
  public int hashCode() {
    return Objects.hash(algorithm, hashKeys);
  }

  @Override
  public String toString() {
    return "EncryptionSettings{algorithm=" + algorithm + ", hashKeys=" + hashKeys + "}";
  }

  /** Builds {@link EncryptionSettings}. */
  public static final class Builder {
    private Algorithm algorithm = Algorithm.AES_256_GCM;
    private boolean hashKeys = true;

    private Builder() {}

    public Builder algorithm(Algorithm algorithm) {
      this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
      return this;
    }

    public Builder hashKeys(boolean hashKeys) {
      this.hashKeys = hashKeys;
      return this;
    }

    public EncryptionSettings build() {
      return new EncryptionSettings(this);
    }
  }
}
