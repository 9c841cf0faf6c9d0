package io.memjcache.internal.sasl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.internal.sasl.AuthenticationException.Reason;
import io.memjcache.internal.sasl.Mechanism.MechanismException;
import io.memjcache.internal.sasl.ScramMechanism.Variant;
import java.nio.charset.StandardCharsets;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.Test;

/** SCRAM against the examples of RFC 5802 section 5 and RFC 7677 section 3, and its failure rules. */
class ScramMechanismTest {

  // RFC 5802 section 5: user "user", password "pencil".
  private static final String SHA1_CLIENT_NONCE = "fyko+d2lbbFgONRv9qkxdawL";
  private static final String SHA1_CLIENT_FIRST = "n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL";
  private static final String SHA1_SERVER_FIRST =
      "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096";
  private static final String SHA1_CLIENT_FINAL =
      "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=";
  private static final String SHA1_SERVER_FINAL = "v=rmF9pqV8S7suAoZWja4dJRkFsKQ=";

  // RFC 7677 section 3: user "user", password "pencil".
  private static final String SHA256_CLIENT_NONCE = "rOprNGfwEbeRWgbNEkqO";
  private static final String SHA256_CLIENT_FIRST = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
  private static final String SHA256_SERVER_FIRST =
      "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
  private static final String SHA256_CLIENT_FINAL = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
      + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
  private static final String SHA256_SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

  private static ScramMechanism sha1(String password) {
    return new ScramMechanism(Variant.SHA_1, "user", password.toCharArray(), SHA1_CLIENT_NONCE);
  }

  private static ScramMechanism sha256(String password) {
    return new ScramMechanism(Variant.SHA_256, "user", password.toCharArray(), SHA256_CLIENT_NONCE);
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String s(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void sha1_rfc5802Example_producesTheRfcMessagesAndAcceptsTheServer() {
    try (ScramMechanism scram = sha1("pencil")) {
      assertEquals("SCRAM-SHA-1", scram.name());
      assertEquals(SHA1_CLIENT_FIRST, s(scram.initialResponse()));
      assertEquals(SHA1_CLIENT_FINAL, s(scram.evaluateChallenge(b(SHA1_SERVER_FIRST))));
      // memcached: server-final as AUTH_CONTINUE, answered with an empty step, then success.
      assertArrayEquals(new byte[0], scram.evaluateChallenge(b(SHA1_SERVER_FINAL)));
      scram.complete(b("Authenticated"));
    }
  }

  @Test
  void sha256_rfc7677Example_producesTheRfcMessagesAndAcceptsTheServer() {
    try (ScramMechanism scram = sha256("pencil")) {
      assertEquals("SCRAM-SHA-256", scram.name());
      assertEquals(SHA256_CLIENT_FIRST, s(scram.initialResponse()));
      assertEquals(SHA256_CLIENT_FINAL, s(scram.evaluateChallenge(b(SHA256_SERVER_FIRST))));
      assertArrayEquals(new byte[0], scram.evaluateChallenge(b(SHA256_SERVER_FINAL)));
      scram.complete(b("Authenticated"));
    }
  }

  @Test
  void complete_serverFinalSentWithSuccess_isVerifiedThere() {
    try (ScramMechanism scram = sha256("pencil")) {
      scram.initialResponse();
      scram.evaluateChallenge(b(SHA256_SERVER_FIRST));
      scram.complete(b(SHA256_SERVER_FINAL));
    }
  }

  @Test
  void serverFinal_wrongSignature_isAnError() {
    try (ScramMechanism scram = sha256("pencil")) {
      scram.initialResponse();
      scram.evaluateChallenge(b(SHA256_SERVER_FIRST));
      MechanismException e = assertThrows(MechanismException.class,
          () -> scram.evaluateChallenge(b("v=" + SHA256_SERVER_FINAL.substring(2, 10) + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")));
      assertEquals(Reason.SERVER_NOT_VERIFIED, e.reason());
    }
  }

  @Test
  void serverFinal_signatureOfAnotherPassword_isAnError() {
    // A client holding another password expects another signature, so the RFC's signature (made
    // with "pencil") proves nothing to it and is rejected.
    try (ScramMechanism scram = sha1("not-pencil")) {
      scram.initialResponse();
      scram.evaluateChallenge(b(SHA1_SERVER_FIRST));
      MechanismException e = assertThrows(MechanismException.class, () -> scram.evaluateChallenge(b(SHA1_SERVER_FINAL)));
      assertEquals(Reason.SERVER_NOT_VERIFIED, e.reason());
      assertTrue(e.getMessage().contains("server signature is wrong"), e.getMessage());
    }
  }

  @Test
  void complete_withoutServerFinal_isAnError() {
    try (ScramMechanism scram = sha256("pencil")) {
      scram.initialResponse();
      scram.evaluateChallenge(b(SHA256_SERVER_FIRST));
      MechanismException e = assertThrows(MechanismException.class, () -> scram.complete(b("Authenticated")));
      assertEquals(Reason.SERVER_NOT_VERIFIED, e.reason());
    }
  }

  @Test
  void complete_beforeServerFirst_isAnError() {
    try (ScramMechanism scram = sha256("pencil")) {
      scram.initialResponse();
      assertEquals(Reason.SERVER_NOT_VERIFIED,
          assertThrows(MechanismException.class, () -> scram.complete(new byte[0])).reason());
    }
  }

  @Test
  void serverFirst_nonceNotExtendingOurs_isAnError() {
    try (ScramMechanism scram = sha256("pencil")) {
      scram.initialResponse();
      assertThrows(MechanismException.class,
          () -> scram.evaluateChallenge(b("r=someoneElsesNonce123,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")));
    }
    try (ScramMechanism scram = sha256("pencil")) {
      scram.initialResponse();
      assertThrows(MechanismException.class,
          () -> scram.evaluateChallenge(b("r=" + SHA256_CLIENT_NONCE + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")));
    }
  }

  @Test
  void serverFirst_malformed_isAnError() {
    String r = "r=" + SHA256_CLIENT_NONCE + "xyz";
    for (String bad : new String[] {
        r + ",i=4096", r + ",s=W22ZaJ0SNY7soEsUEjb6gQ==", r + ",s=!!!,i=4096", r + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=x",
        r + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=0", r + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=1",
        r + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=" + (ScramMechanism.MIN_ITERATIONS - 1), r + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=" + (ScramMechanism.MAX_ITERATIONS + 1),
        "m=ext," + r + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", ""}) {
      try (ScramMechanism scram = sha256("pencil")) {
        scram.initialResponse();
        assertEquals(Reason.PROTOCOL_VIOLATION,
            assertThrows(MechanismException.class, () -> scram.evaluateChallenge(b(bad)), bad).reason(), bad);
      }
    }
  }

  @Test
  void serverError_eAttribute_isACredentialsError() {
    try (ScramMechanism scram = sha256("pencil")) {
      scram.initialResponse();
      scram.evaluateChallenge(b(SHA256_SERVER_FIRST));
      MechanismException e = assertThrows(MechanismException.class, () -> scram.evaluateChallenge(b("e=invalid-proof")));
      assertEquals(Reason.CREDENTIALS_REJECTED, e.reason());
      assertTrue(e.getMessage().contains("invalid-proof"));
    }
  }

  @Test
  void challenge_afterVerification_isAnError() {
    try (ScramMechanism scram = sha1("pencil")) {
      scram.initialResponse();
      scram.evaluateChallenge(b(SHA1_SERVER_FIRST));
      scram.evaluateChallenge(b(SHA1_SERVER_FINAL));
      assertThrows(MechanismException.class, () -> scram.evaluateChallenge(b(SHA1_SERVER_FINAL)));
    }
  }

  @Test
  void username_commaAndEquals_areEscaped() {
    try (ScramMechanism scram = new ScramMechanism(Variant.SHA_256, "a,b=c", "pw".toCharArray(), "nonce")) {
      assertEquals("n,,n=a=2Cb=3Dc,r=nonce", s(scram.initialResponse()));
    }
  }

  @Test
  void username_nonAscii_isSaslPrepared() {
    // U+00AD (soft hyphen) maps to nothing; U+2168 (ROMAN NUMERAL NINE) becomes "IX" under NFKC.
    try (ScramMechanism scram = new ScramMechanism(Variant.SHA_256, "us\u00ADer\u2168", "pw".toCharArray(), "n")) {
      assertEquals("n,,n=userIX,r=n", s(scram.initialResponse()));
    }
  }

  @Test
  void nonce_withComma_isRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> new ScramMechanism(Variant.SHA_256, "user", "pw".toCharArray(), "a,b"));
    assertThrows(IllegalArgumentException.class,
        () -> new ScramMechanism(Variant.SHA_256, "user", "pw".toCharArray(), ""));
  }

  @Test
  void password_withControlCharacter_isRefusedWithoutShowingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ScramMechanism(Variant.SHA_256, "user", "sec\u0007ret".toCharArray(), "n"));
    assertTrue(e.getMessage().contains("password"));
    assertTrue(!e.getMessage().contains("sec"), e.getMessage());
  }

  @Test
  void close_wipesThePassword() {
    char[] password = "pencil".toCharArray();
    ScramMechanism scram = new ScramMechanism(Variant.SHA_256, "user", password, SHA256_CLIENT_NONCE);
    scram.close();
    assertArrayEquals(new char[6], password);
  }

  @Test
  void clientFinal_wipesThePasswordOnceUsed() {
    char[] password = "pencil".toCharArray();
    try (ScramMechanism scram = new ScramMechanism(Variant.SHA_256, "user", password, SHA256_CLIENT_NONCE)) {
      scram.initialResponse();
      scram.evaluateChallenge(b(SHA256_SERVER_FIRST));
      assertArrayEquals(new char[6], password);
    }
  }

  @Test
  void hi_matchesTheJdksPbkdf2() throws Exception {
    byte[] salt = "some salt".getBytes(StandardCharsets.US_ASCII);
    for (Variant variant : Variant.values()) {
      String jdk = variant == Variant.SHA_1 ? "PBKDF2WithHmacSHA1" : "PBKDF2WithHmacSHA256";
      int bits = variant == Variant.SHA_1 ? 160 : 256;
      for (int iterations : new int[] {1, 2, 4096}) {
        byte[] expected = SecretKeyFactory.getInstance(jdk)
            .generateSecret(new PBEKeySpec("pässword".toCharArray(), salt, iterations, bits)).getEncoded();
        byte[] actual = ScramMechanism.hi(variant, "pässword".getBytes(StandardCharsets.UTF_8), salt, iterations);
        assertArrayEquals(expected, actual, variant + " i=" + iterations);
      }
    }
  }

  @Test
  void nonce_fromSecureRandom_isUsableAndFresh() {
    String a = SaslAuthenticator.randomNonce();
    String b = SaslAuthenticator.randomNonce();
    assertTrue(a.length() >= 32 && !a.contains(","), a);
    assertTrue(!a.equals(b));
    new ScramMechanism(Variant.SHA_1, "user", "pw".toCharArray(), a).close();
  }
}
