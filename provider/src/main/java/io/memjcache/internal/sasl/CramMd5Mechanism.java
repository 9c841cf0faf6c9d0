package io.memjcache.internal.sasl;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * CRAM-MD5 (RFC 2195): the server sends a challenge, the client answers
 * {@code user SP hex(HMAC-MD5(password, challenge))}. The password never crosses the connection,
 * but the server is not authenticated and the exchange can be attacked offline, so it ranks below
 * SCRAM.
 */
final class CramMd5Mechanism extends Mechanism {
  static final String NAME = "CRAM-MD5";
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final String username;
  private byte[] password;
  private boolean answered;

  /** Takes ownership of {@code password} (UTF-8) and wipes it on {@link #close()}. */
  CramMd5Mechanism(String username, byte[] password) {
    this.username = username;
    this.password = password;
  }

  @Override
  String name() {
    return NAME;
  }

  @Override
  byte[] initialResponse() {
    return new byte[0];
  }

  @Override
  byte[] evaluateChallenge(byte[] challenge) {
    if (answered || password == null) {
      throw new MechanismException("the server sent a second CRAM-MD5 challenge");
    }
    if (challenge.length == 0) {
      throw new MechanismException("the server sent an empty CRAM-MD5 challenge");
    }
    byte[] digest;
    try {
      Mac mac = Mac.getInstance("HmacMD5");
      mac.init(new SecretKeySpec(password, "HmacMD5"));
      digest = mac.doFinal(challenge);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-MD5 is not available in this JVM", e);
    } finally {
      Arrays.fill(password, (byte) 0);
      password = null;
    }
    answered = true;
    byte[] user = username.getBytes(StandardCharsets.UTF_8);
    byte[] response = new byte[user.length + 1 + digest.length * 2];
    System.arraycopy(user, 0, response, 0, user.length);
    response[user.length] = ' ';
    for (int i = 0; i < digest.length; i++) {
      response[user.length + 1 + 2 * i] = (byte) HEX[(digest[i] >> 4) & 0xf];
      response[user.length + 2 + 2 * i] = (byte) HEX[digest[i] & 0xf];
    }
    return response;
  }

  @Override
  void complete(byte[] data) {
    // CRAM-MD5 does not authenticate the server.
  }

  @Override
  public void close() {
    if (password != null) {
      Arrays.fill(password, (byte) 0);
      password = null;
    }
  }
}
