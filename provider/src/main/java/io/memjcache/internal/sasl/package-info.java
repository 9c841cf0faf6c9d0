/**
 * SASL authentication for memcached's binary protocol, run as a connection stage before any
 * command: {@link io.memjcache.internal.sasl.SaslAuthenticator} and its own clients for PLAIN
 * (RFC 4616), CRAM-MD5 (RFC 2195), SCRAM-SHA-1 and SCRAM-SHA-256 (RFC 5802, RFC 7677), without a
 * SASL library.
 *
 * <p>memcached's exchange: SASL_LIST_MECHS answers the offered mechanisms, space-separated;
 * SASL_AUTH carries the mechanism name as key and the client's first message as value; the server
 * answers 0x21 AUTH_CONTINUE with a challenge, to which the client replies with SASL_STEP, until it
 * answers 0x00 (success) or 0x20 AUTH_ERROR (the connection stays open). For SCRAM, memcached sends
 * the server-final message as AUTH_CONTINUE and expects one more, empty, SASL_STEP. Before
 * authentication only VERSION and SASL_LIST_MECHS are answered.
 *
 * <p>SASLprep is complete for ASCII and covers mapping, NFKC, the prohibited tables and the
 * bidirectional rule for other text, with the JDK's Unicode version rather than stringprep's 3.2
 * and without the unassigned-code-point check (see {@code SaslPrep}).
 */
package io.memjcache.internal.sasl;
