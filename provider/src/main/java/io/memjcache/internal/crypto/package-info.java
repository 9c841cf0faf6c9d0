/**
 * Value encryption: the envelope of an encrypted cache entry ({@link
 * io.memjcache.internal.crypto.ValueSealer}), the key ring as it is re-read from its source, and
 * the HKDF derivations that give every cache, and every writer of a cache, its own keys. The byte
 * format, the derivations and the nonce-safety argument are specified in {@code docs/ENVELOPE.md},
 * with test vectors in the test resources ({@code crypto/vectors.txt}).
 *
 * <p>Entry point: {@link io.memjcache.internal.crypto.ValueEncryption#start} once per distinct
 * {@link io.memjcache.config.EncryptionSettings}, then {@code sealer(cacheName)} per cache.
 */
package io.memjcache.internal.crypto;
