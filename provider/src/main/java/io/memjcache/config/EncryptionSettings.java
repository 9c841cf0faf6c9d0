package io.memjcache.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Client-side authenticated encryption of cache values (and, by default, of the keys memcached
 * sees). Immutable; build with {@link #builder()}. Encryption needs a {@link KeyRingSource}: a
 * cache whose settings have none fails to start with an error that says so.
 *
 * <p>Every value is sealed before it leaves the JVM with a key derived (HKDF-SHA256) from the
 * ring's primary key and the cache name, so one master key never encrypts two caches directly.
 * The stored entry records the key id; values that fail authentication, name an unknown or
 * retired key, or are plaintext in an encrypted cache are misses. With {@link #hashKeys()} the
 * memcached key holds an HMAC of the serialized key instead of the key itself. The ring is re-read
 * every {@link #refreshInterval()} so keys can be rotated without a restart (see {@link KeyRing}).
 * The byte format is specified in {@code docs/ENVELOPE.md}.
 */
public final class EncryptionSettings {
  /** The authenticated encryption algorithm that seals new values; values sealed with either are read. */
  public enum Algorithm {
    /** AES-256-GCM through the JDK (hardware accelerated); the default. */
    AES_256_GCM,
    /** AES-256-GCM-SIV (BouncyCastle): nonce-misuse resistant. */
    AES_256_GCM_SIV
  }

  /** The default interval between two readings of the key ring: 30 seconds. */
  public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(30);

  private final KeyRingSource keyRing;
  private final Algorithm algorithm;
  private final boolean hashKeys;
  private final Duration refreshInterval;

  private EncryptionSettings(Builder b) {
    this.keyRing = b.keyRing;
    this.algorithm = b.algorithm;
    this.hashKeys = b.hashKeys;
    this.refreshInterval = b.refreshInterval;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this instance's settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.keyRing = keyRing;
    b.algorithm = algorithm;
    b.hashKeys = hashKeys;
    b.refreshInterval = refreshInterval;
    return b;
  }

  /** Where the master keys come from; empty until set (encryption cannot start without it). */
  public Optional<KeyRingSource> keyRing() {
    return Optional.ofNullable(keyRing);
  }

  public Algorithm algorithm() {
    return algorithm;
  }

  /** Whether memcached keys are HMACs of the cache name and key (default true). */
  public boolean hashKeys() {
    return hashKeys;
  }

  /** How often the key ring is read again (default {@link #DEFAULT_REFRESH_INTERVAL}). */
  public Duration refreshInterval() {
    return refreshInterval;
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
    return Objects.equals(keyRing, e.keyRing) && algorithm == e.algorithm && hashKeys == e.hashKeys
        && refreshInterval.equals(e.refreshInterval);
  }

  @Override
  public int hashCode() {
    return Objects.hash(keyRing, algorithm, hashKeys, refreshInterval);
  }

  @Override
  public String toString() {
    return "EncryptionSettings{keyRing=" + (keyRing == null ? "none" : keyRing.description()) + ", algorithm=" + algorithm + ", hashKeys=" + hashKeys
        + ", refreshInterval=" + refreshInterval + "}";
  }

  /** Builds {@link EncryptionSettings}. */
  public static final class Builder {
    private KeyRingSource keyRing;
    private Algorithm algorithm = Algorithm.AES_256_GCM;
    private boolean hashKeys = true;
    private Duration refreshInterval = DEFAULT_REFRESH_INTERVAL;

    private Builder() {}

    /** Where the master keys come from; required before a cache can use these settings. */
    public Builder keyRing(KeyRingSource keyRing) {
      this.keyRing = Objects.requireNonNull(keyRing, "keyRing");
      return this;
    }

    public Builder algorithm(Algorithm algorithm) {
      this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
      return this;
    }

    public Builder hashKeys(boolean hashKeys) {
      this.hashKeys = hashKeys;
      return this;
    }

    /** How often the key ring is read again; at least one second. */
    public Builder refreshInterval(Duration refreshInterval) {
      Objects.requireNonNull(refreshInterval, "refreshInterval");
      if (refreshInterval.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("the key ring refresh interval must be at least one second, was "
            + refreshInterval);
      }
      this.refreshInterval = refreshInterval;
      return this;
    }

    public EncryptionSettings build() {
      return new EncryptionSettings(this);
    }
  }
}
