/**
 * How keys and values become the bytes stored in memcached: the {@link io.memjcache.serialization.Serializer}
 * contract and the built-in formats in {@link io.memjcache.serialization.Serializers}.
 *
 * <p>Bytes read from memcached are untrusted input (anyone who can reach the servers can write
 * them), so Java serialization is guarded by an allow-list filter, see
 * {@link io.memjcache.serialization.JavaSerializationSettings}, and JSON never resolves class names.
 */
package io.memjcache.serialization;
