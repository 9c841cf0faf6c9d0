package io.memjcache.internal.crypto;

import io.memjcache.config.EncryptionSettings;
import io.memjcache.config.KeyRing;
import io.memjcache.config.KeyRingSource;
import java.util.Objects;

/**
 * Value encryption for the caches that share one {@link EncryptionSettings}: the key ring, read
 * from its source now and again every refresh interval, and a {@link ValueSealer} per cache.
 * Thread-safe. Nothing to close: the ring is re-read when it is used.
 */
public final class ValueEncryption {
  private final EncryptionSettings settings;
  private final RefreshingKeyRing ring;
  private final Entropy entropy;
  private final long writerKeyLimit;

  ValueEncryption(EncryptionSettings settings, RefreshingKeyRing ring, Entropy entropy, long writerKeyLimit) {
    this.settings = settings;
    this.ring = ring;
    this.entropy = entropy;
    this.writerKeyLimit = writerKeyLimit;
  }

  /**
   * Reads the key ring now.
   *
   * @throws IllegalArgumentException if the source holds no valid ring (the message names the
   *     source and the problem, never key material)
   * @throws IllegalStateException if the settings name no key ring, or the source cannot be read
   */
  public static ValueEncryption start(EncryptionSettings settings) {
    Objects.requireNonNull(settings, "settings");
    KeyRingSource source = settings.keyRing().orElseThrow(() -> new IllegalStateException(
        "value encryption is configured without a key ring: set EncryptionSettings.Builder.keyRing(KeyRingSource)"));
    return new ValueEncryption(settings, RefreshingKeyRing.start(source, settings.refreshInterval()),
        Entropy.secure(), WriterKey.DEFAULT_LIMIT);
  }

  /** A new sealer for the cache named {@code cacheName}: one per cache, kept for the cache's life. */
  public ValueSealer sealer(String cacheName) {
    return new ValueSealer(cacheName, AeadAlgorithm.of(settings.algorithm()), settings.hashKeys(), ring, entropy,
        writerKeyLimit, null);
  }

  public EncryptionSettings settings() {
    return settings;
  }

  /** The ring now (its {@code toString()} shows ids and states only: fit for JMX and logs). */
  public KeyRing keyRing() {
    return ring.current();
  }

  @Override
  public String toString() {
    return "ValueEncryption{" + settings + "}";
  }
}
