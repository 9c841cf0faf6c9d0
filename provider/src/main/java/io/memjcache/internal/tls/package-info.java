/**
 * TLS for the connections to memcached: {@link io.memjcache.internal.tls.TlsSecurity} turns the
 * public {@link io.memjcache.config.TlsSettings} into Netty SslHandlers (JDK or OpenSSL engine,
 * per-server hostname verification and SNI, files re-read on reconnect),
 * {@link io.memjcache.internal.tls.TlsFailures} explains failed handshakes, and
 * {@link io.memjcache.internal.tls.PipelinedStorageGuard} documents how writes are framed so that
 * memcached before 1.6.39 does not stall on pipelined storage commands over TLS. This package knows
 * Netty's TLS handlers and JSSE, not memcached commands; the transport uses it.
 */
package io.memjcache.internal.tls;
