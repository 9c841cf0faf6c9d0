package io.memjcache.internal.sasl;

import io.memjcache.internal.sasl.AuthenticationException.Reason;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SCRAM-SHA-1 and SCRAM-SHA-256 (RFC 5802, RFC 7677) without channel binding (gs2 header
 * {@code "n,,"}). The client proves knowledge of the password without sending it, and the server
 * proves knowledge of it in return: a server-final message whose signature does not match is an
 * error. memcached sends server-final as AUTH_CONTINUE and expects one more, empty, step; servers
 * that send it with the success status are verified there instead.
 */
final class ScramMechanism extends Mechanism {
  /** Iteration counts above this are refused: a hostile server could otherwise burn an I/O thread. */
  static final int MAX_ITERATIONS = 1_000_000;
  /** RFC 7677's floor (Cyrus SASL, which memcached uses, defaults to 10,000). */
  static final int MIN_ITERATIONS = 4096;
  private static final String GS2_HEADER = "n,,";

  /** The hash a SCRAM variant is built on. */
  enum Variant {
    SHA_1("SCRAM-SHA-1", "SHA-1", "HmacSHA1"),
    SHA_256("SCRAM-SHA-256", "SHA-256", "HmacSHA256");

    final String mechanism;
    final String digest;
    final String hmac;

    Variant(String mechanism, String digest, String hmac) {
      this.mechanism = mechanism;
      this.digest = digest;
      this.hmac = hmac;
    }
  }

  private enum State { INITIAL, SENT_CLIENT_FIRST, SENT_CLIENT_FINAL, VERIFIED }

  private final Variant variant;
  private final String clientNonce;
  private final String clientFirstBare;
  private char[] password;
  private byte[] expectedServerSignature;
  private State state = State.INITIAL;

  /**
   * Takes ownership of {@code password} and wipes it on {@link #close()} or once used.
   * {@code clientNonce} must be printable ASCII without ','; in use it comes from a SecureRandom.
   */
  ScramMechanism(Variant variant, String username, char[] password, String clientNonce) {
    this.variant = variant;
    for (int i = 0; i < clientNonce.length(); i++) {
      char c = clientNonce.charAt(i);
      if (c < 0x21 || c > 0x7e || c == ',') {
        Arrays.fill(password, '\0');
        throw new IllegalArgumentException("a SCRAM nonce must be printable ASCII without ','");
      }
    }
    if (clientNonce.isEmpty()) {
      Arrays.fill(password, '\0');
      throw new IllegalArgumentException("a SCRAM nonce must not be empty");
    }
    this.clientNonce = clientNonce;
    try {
      this.clientFirstBare = "n=" + escapeUsername(SaslPrep.prepare(username, "user name")) + ",r=" + clientNonce;
      char[] prepared = SaslPrep.prepare(password, "password");
      if (prepared != password) {
        Arrays.fill(password, '\0');
      }
      this.password = prepared;
    } catch (RuntimeException e) {
      Arrays.fill(password, '\0');
      throw e;
    }
  }

  @Override
  String name() {
    return variant.mechanism;
  }

  @Override
  byte[] initialResponse() {
    if (state != State.INITIAL) {
      throw new IllegalStateException("client-first was already sent");
    }
    state = State.SENT_CLIENT_FIRST;
    return (GS2_HEADER + clientFirstBare).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  byte[] evaluateChallenge(byte[] challenge) {
    switch (state) {
      case SENT_CLIENT_FIRST:
        state = State.SENT_CLIENT_FINAL;
        return clientFinal(new String(challenge, StandardCharsets.UTF_8));
      case SENT_CLIENT_FINAL:
        verifyServerFinal(challenge);
        return new byte[0];
      default:
        throw new MechanismException("the server sent a challenge after the SCRAM exchange was over");
    }
  }

  @Override
  void complete(byte[] data) {
    if (state == State.VERIFIED) {
      return;
    }
    if (state == State.SENT_CLIENT_FINAL && data.length > 0 && data[0] == 'v') {
      verifyServerFinal(data);
      return;
    }
    throw new MechanismException(Reason.SERVER_NOT_VERIFIED,
        "the server reported success without proving that it knows the password (no SCRAM server signature)");
  }

  @Override
  public void close() {
    if (password != null) {
      Arrays.fill(password, '\0');
      password = null;
    }
    if (expectedServerSignature != null) {
      Arrays.fill(expectedServerSignature, (byte) 0);
      expectedServerSignature = null;
    }
  }

  private byte[] clientFinal(String serverFirst) {
    if (serverFirst.startsWith("e=")) {
      throw new MechanismException(Reason.CREDENTIALS_REJECTED, "the server ended SCRAM with error '"
          + printable(serverFirst.substring(2)) + "'");
    }
    if (serverFirst.startsWith("m=")) {
      throw new MechanismException("the server requires a SCRAM extension this client does not know");
    }
    String nonce = null;
    String saltText = null;
    String iterationText = null;
    for (String attribute : serverFirst.split(",", -1)) {
      if (attribute.startsWith("r=") && nonce == null) {
        nonce = attribute.substring(2);
      } else if (attribute.startsWith("s=") && saltText == null) {
        saltText = attribute.substring(2);
      } else if (attribute.startsWith("i=") && iterationText == null) {
        iterationText = attribute.substring(2);
      }
    }
    if (nonce == null || saltText == null || iterationText == null) {
      throw new MechanismException("the SCRAM server-first message lacks its nonce, salt or iteration count");
    }
    if (!nonce.startsWith(clientNonce) || nonce.length() == clientNonce.length()) {
      throw new MechanismException("the SCRAM server nonce does not extend the client nonce");
    }
    for (int i = 0; i < nonce.length(); i++) {
      char c = nonce.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw new MechanismException("the SCRAM server nonce contains a character outside printable ASCII");
      }
    }
    byte[] salt;
    try {
      salt = Base64.getDecoder().decode(saltText);
    } catch (IllegalArgumentException e) {
      throw new MechanismException("the SCRAM salt is not valid base64");
    }
    int iterations;
    try {
      iterations = Integer.parseInt(iterationText);
    } catch (NumberFormatException e) {
      throw new MechanismException("the SCRAM iteration count is not a number");
    }
    if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
      // fewer would let whoever answers in the server's place (no TLS, or a forged certificate
      // refused later) test password guesses cheaply against the client's proof
      throw new MechanismException("the SCRAM iteration count " + iterations + " is outside "
          + MIN_ITERATIONS + ".." + MAX_ITERATIONS);
    }
    if (password == null) {
      throw new IllegalStateException("the SCRAM password was already used");
    }

    String channelBinding = "c=" + Base64.getEncoder().encodeToString(GS2_HEADER.getBytes(StandardCharsets.US_ASCII));
    String clientFinalWithoutProof = channelBinding + ",r=" + nonce;
    byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + clientFinalWithoutProof)
        .getBytes(StandardCharsets.UTF_8);

    byte[] passwordBytes = utf8(password);
    Arrays.fill(password, '\0');
    password = null;
    byte[] saltedPassword = null;
    byte[] clientKey = null;
    byte[] storedKey = null;
    byte[] serverKey = null;
    try {
      saltedPassword = hi(variant, passwordBytes, salt, iterations);
      clientKey = hmac(variant, saltedPassword, "Client Key".getBytes(StandardCharsets.US_ASCII));
      storedKey = MessageDigest.getInstance(variant.digest).digest(clientKey);
      byte[] clientSignature = hmac(variant, storedKey, authMessage);
      byte[] proof = clientKey.clone();
      for (int i = 0; i < proof.length; i++) {
        proof[i] ^= clientSignature[i];
      }
      serverKey = hmac(variant, saltedPassword, "Server Key".getBytes(StandardCharsets.US_ASCII));
      expectedServerSignature = hmac(variant, serverKey, authMessage);
      return (clientFinalWithoutProof + ",p=" + Base64.getEncoder().encodeToString(proof))
          .getBytes(StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(variant.mechanism + " needs " + variant.hmac + ", which this JVM lacks", e);
    } finally {
      wipe(passwordBytes, saltedPassword, clientKey, storedKey, serverKey);
    }
  }

  private void verifyServerFinal(byte[] message) {
    String serverFinal = new String(message, StandardCharsets.UTF_8);
    if (serverFinal.startsWith("e=")) {
      throw new MechanismException(Reason.CREDENTIALS_REJECTED, "the server ended SCRAM with error '"
          + printable(serverFinal.substring(2)) + "'");
    }
    String verifier = null;
    for (String attribute : serverFinal.split(",", -1)) {
      if (attribute.startsWith("v=")) {
        verifier = attribute.substring(2);
        break;
      }
    }
    if (verifier == null) {
      throw new MechanismException(Reason.SERVER_NOT_VERIFIED, "the SCRAM server-final message carries no signature");
    }
    byte[] signature;
    try {
      signature = Base64.getDecoder().decode(verifier);
    } catch (IllegalArgumentException e) {
      throw new MechanismException(Reason.SERVER_NOT_VERIFIED, "the SCRAM server signature is not valid base64");
    }
    boolean valid = expectedServerSignature != null && MessageDigest.isEqual(signature, expectedServerSignature);
    if (expectedServerSignature != null) {
      Arrays.fill(expectedServerSignature, (byte) 0);
      expectedServerSignature = null;
    }
    if (!valid) {
      throw new MechanismException(Reason.SERVER_NOT_VERIFIED, "the SCRAM server signature is wrong: the server"
          + " does not know the password (or the exchange was tampered with)");
    }
    state = State.VERIFIED;
  }

  /** Hi() of RFC 5802: PBKDF2 with the variant's HMAC and one output block. */
  static byte[] hi(Variant variant, byte[] password, byte[] salt, int iterations) throws GeneralSecurityException {
    Mac mac = Mac.getInstance(variant.hmac);
    mac.init(new SecretKeySpec(password, variant.hmac));
    mac.update(salt);
    mac.update(new byte[] {0, 0, 0, 1});
    byte[] u = mac.doFinal();
    byte[] result = u.clone();
    for (int i = 1; i < iterations; i++) {
      byte[] next = mac.doFinal(u);
      Arrays.fill(u, (byte) 0);
      u = next;
      for (int j = 0; j < result.length; j++) {
        result[j] ^= u[j];
      }
    }
    Arrays.fill(u, (byte) 0);
    return result;
  }

  private static byte[] hmac(Variant variant, byte[] key, byte[] data) throws GeneralSecurityException {
    Mac mac = Mac.getInstance(variant.hmac);
    mac.init(new SecretKeySpec(key, variant.hmac));
    return mac.doFinal(data);
  }

  /** RFC 5802 saslname: ',' and '=' are written as "=2C" and "=3D". */
  static String escapeUsername(String name) {
    StringBuilder b = new StringBuilder(name.length() + 8);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == ',') {
        b.append("=2C");
      } else if (c == '=') {
        b.append("=3D");
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static byte[] utf8(char[] chars) {
    java.nio.ByteBuffer buffer = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    if (buffer.hasArray()) {
      Arrays.fill(buffer.array(), (byte) 0);
    }
    return bytes;
  }

  private static void wipe(byte[]... arrays) {
    for (byte[] a : arrays) {
      if (a != null) {
        Arrays.fill(a, (byte) 0);
      }
    }
  }

  /** A server's error text, cut short and limited to printable ASCII for a log line. */
  private static String printable(String text) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < text.length() && b.length() < 80; i++) {
      char c = text.charAt(i);
      b.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return b.toString();
  }
}
