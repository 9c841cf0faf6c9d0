package io.memjcache.internal.sasl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.memjcache.internal.sasl.Mechanism.MechanismException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** CRAM-MD5 with the example of RFC 2195 section 2, and the PLAIN message of RFC 4616. */
class CramMd5AndPlainTest {

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void cramMd5_rfc2195Example_answersTheRfcResponse() {
    byte[] password = b("tanstaaftanstaaf");
    try (CramMd5Mechanism cram = new CramMd5Mechanism("tim", password)) {
      assertEquals("CRAM-MD5", cram.name());
      assertArrayEquals(new byte[0], cram.initialResponse());
      byte[] response = cram.evaluateChallenge(b("<1896.697170952@postoffice.reston.mci.net>"));
      // The RFC shows it base64-encoded as dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw; memcached's
      // binary protocol carries SASL data raw.
      assertEquals("tim b913a602c7eda7a495b4e6e7334d3890", new String(response, StandardCharsets.UTF_8));
      assertArrayEquals(new byte[16], password, "the password is wiped once used");
      cram.complete(b("Authenticated"));
    }
  }

  @Test
  void cramMd5_secondChallenge_isAnError() {
    try (CramMd5Mechanism cram = new CramMd5Mechanism("tim", b("tanstaaftanstaaf"))) {
      cram.evaluateChallenge(b("<1@x>"));
      assertThrows(MechanismException.class, () -> cram.evaluateChallenge(b("<2@x>")));
    }
  }

  @Test
  void cramMd5_emptyChallenge_isAnError() {
    try (CramMd5Mechanism cram = new CramMd5Mechanism("tim", b("tanstaaftanstaaf"))) {
      assertThrows(MechanismException.class, () -> cram.evaluateChallenge(new byte[0]));
    }
  }

  @Test
  void plain_message_isNulUserNulPassword() {
    byte[] password = b("pässword");
    try (PlainMechanism plain = new PlainMechanism("alice", password)) {
      assertEquals("PLAIN", plain.name());
      byte[] message = plain.initialResponse();
      assertArrayEquals(b("\0alice\0pässword"), message);
      assertArrayEquals(new byte[password.length], password, "the password is wiped once copied");
      plain.close();
      assertArrayEquals(new byte[message.length], message, "close wipes the sent message");
    }
  }

  @Test
  void plain_challenge_isAnError() {
    try (PlainMechanism plain = new PlainMechanism("alice", b("pw"))) {
      plain.initialResponse();
      assertThrows(MechanismException.class, () -> plain.evaluateChallenge(b("more?")));
    }
  }

  @Test
  void plain_nulInCredentials_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> new PlainMechanism("al\0ice", b("pw")));
    assertThrows(IllegalArgumentException.class, () -> new PlainMechanism("alice", b("p\0w")));
  }
}
