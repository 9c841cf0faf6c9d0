package io.memjcache.internal.sasl;

/**
 * The client side of one SASL mechanism for one authentication attempt. Not thread-safe; used by
 * one exchange at a time. Problems with the server's messages are reported as
 * {@link MechanismException}s, which the authenticator turns into {@link AuthenticationException}s
 * naming the server and user.
 */
abstract class Mechanism implements AutoCloseable {

  /** The IANA name sent as the SASL_AUTH key, e.g. "SCRAM-SHA-256". */
  abstract String name();

  /** The data sent with SASL_AUTH (possibly empty). */
  abstract byte[] initialResponse();

  /** The answer to a server challenge (status AUTH_CONTINUE), sent with SASL_STEP. */
  abstract byte[] evaluateChallenge(byte[] challenge);

  /**
   * The server answered success with {@code data}. Mechanisms that verify the server (SCRAM) throw
   * unless that verification has happened, here or in an earlier challenge.
   */
  abstract void complete(byte[] data);

  /** Wipes whatever secret material the mechanism still holds. */
  @Override
  public abstract void close();

  /** A server message that breaks the mechanism's rules, or a server that failed to prove itself. */
  static final class MechanismException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final AuthenticationException.Reason reason;

    MechanismException(AuthenticationException.Reason reason, String message) {
      super(message);
      this.reason = reason;
    }

    MechanismException(String message) {
      this(AuthenticationException.Reason.PROTOCOL_VIOLATION, message);
    }

    AuthenticationException.Reason reason() {
      return reason;
    }
  }
}
