package io.memjcache.internal.sasl;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * PLAIN (RFC 4616): one message, {@code [authzid] NUL authcid NUL passwd}, with an empty authzid.
 * The password crosses the connection as is, so it belongs on TLS connections only.
 */
final class PlainMechanism extends Mechanism {
  static final String NAME = "PLAIN";

  private final byte[] user;
  private byte[] password;
  private byte[] message;

  /** Takes ownership of {@code password} (UTF-8) and wipes it on {@link #close()}. */
  PlainMechanism(String username, byte[] password) {
    this.user = username.getBytes(StandardCharsets.UTF_8);
    this.password = password;
    if (contains(user, (byte) 0) || contains(password, (byte) 0)) {
      Arrays.fill(password, (byte) 0);
      throw new IllegalArgumentException("PLAIN cannot carry a NUL character in the user name or password");
    }
  }

  @Override
  String name() {
    return NAME;
  }

  @Override
  byte[] initialResponse() {
    message = new byte[1 + user.length + 1 + password.length];
    System.arraycopy(user, 0, message, 1, user.length);
    System.arraycopy(password, 0, message, 2 + user.length, password.length);
    Arrays.fill(password, (byte) 0);
    return message;
  }

  @Override
  byte[] evaluateChallenge(byte[] challenge) {
    throw new MechanismException("the server sent a challenge to PLAIN, which has a single message");
  }

  @Override
  void complete(byte[] data) {
    // PLAIN does not authenticate the server.
  }

  @Override
  public void close() {
    if (password != null) {
      Arrays.fill(password, (byte) 0);
    }
    if (message != null) {
      Arrays.fill(message, (byte) 0);
    }
    password = null;
    message = null;
  }

  private static boolean contains(byte[] bytes, byte b) {
    for (byte x : bytes) {
      if (x == b) {
        return true;
      }
    }
    return false;
  }
}
