/**
 * The byte formats the JCache layer keeps in memcached, with no I/O: the per-entry
 * {@link io.memjcache.internal.jcache.store.Envelope}, memcached keys
 * ({@link io.memjcache.internal.jcache.store.KeyCodec}), the appended key-index segments
 * ({@link io.memjcache.internal.jcache.store.KeyIndexFormat}) and expiry arithmetic
 * ({@link io.memjcache.internal.jcache.store.ExpiryMath}).
 *
 * <p>Everything read back is untrusted: decoders check every length against the bytes actually
 * present and fail with {@link io.memjcache.internal.jcache.store.CorruptEntryException} (or stop
 * replaying an index segment), never with an index error or an allocation sized by the input.
 */
package io.memjcache.internal.jcache.store;
