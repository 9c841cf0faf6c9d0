package io.memjcache.internal.sasl;

import io.memjcache.internal.transport.ConnectionException;

/**
 * SASL authentication of a connection failed in a way a quick retry cannot fix: the server refused
 * the credentials, does not speak SASL, offers ANONYMOUS, shares no mechanism with us, could not
 * prove it knows the password, or the configuration forbids the only possible mechanism. The
 * message names the server, the user and the mechanism; never the password.
 */
public class AuthenticationException extends ConnectionException {
  private static final long serialVersionUID = 1L;

  /** Why authentication failed. */
  public enum Reason {
    /** The server answered AUTH_ERROR: wrong user name or password, or the user is unknown. */
    CREDENTIALS_REJECTED,
    /** The server answered "unknown command" or "not supported" to SASL: no silent downgrade. */
    SASL_NOT_SUPPORTED,
    /** The server offers ANONYMOUS, so anyone may use it without a password. */
    ANONYMOUS_OFFERED,
    /** No mechanism is both offered by the server and allowed by the configuration. */
    NO_COMMON_MECHANISM,
    /** PLAIN would send the password in clear over a connection without TLS. */
    PLAIN_WITHOUT_TLS,
    /** The server did not prove that it knows the password (SCRAM server signature). */
    SERVER_NOT_VERIFIED,
    /** The server's answers broke the mechanism's rules. */
    PROTOCOL_VIOLATION,
    /** The password could not be read from its source. */
    SECRET_UNAVAILABLE
  }

  private final Reason reason;
  private final String node;

  public AuthenticationException(Reason reason, String node, String message) {
    super(message);
    this.reason = reason;
    this.node = node;
  }

  public AuthenticationException(Reason reason, String node, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.node = node;
  }

  public Reason reason() {
    return reason;
  }

  /** The server, as "host:port". */
  public String node() {
    return node;
  }
}
