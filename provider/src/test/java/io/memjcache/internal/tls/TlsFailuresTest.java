package io.memjcache.internal.tls;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import java.io.IOException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** Reasons for the failures both engines report, from their messages and exception types. */
class TlsFailuresTest {

  private static SSLHandshakeException handshake(String message, Throwable cause) {
    SSLHandshakeException e = new SSLHandshakeException(message);
    e.initCause(cause);
    return e;
  }

  @Test
  void describe_unknownCa_jdk() {
    String m = TlsFailures.describe(handshake("PKIX path building failed: "
        + "sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target",
        null));
    assertTrue(m.startsWith("the server's certificate is not signed by a trusted CA"), m);
  }

  @Test
  void describe_expired_byType() {
    String m = TlsFailures.describe(new DecoderException(handshake("PKIX path validation failed",
        new CertificateExpiredException("NotAfter: Thu Jan 02 00:00:00 UTC 2020"))));
    assertTrue(m.startsWith("the server's certificate has expired"), m);
    assertTrue(m.contains("NotAfter"), m);
  }

  @Test
  void describe_hostnameMismatch() {
    String m = TlsFailures.describe(handshake("General SSLEngine problem",
        new CertificateException("No subject alternative names matching IP address 127.0.0.1 found")));
    assertTrue(m.startsWith("the server's certificate does not name this server"), m);
    m = TlsFailures.describe(handshake("x", new CertificateException("No name matching localhost found")));
    assertTrue(m.startsWith("the server's certificate does not name this server"), m);
  }

  @Test
  void describe_alerts() {
    assertTrue(TlsFailures.describe(new SSLException("Received fatal alert: certificate_required"))
        .startsWith("the server requires a client certificate"));
    assertTrue(TlsFailures.describe(new SSLException(
        "error:10000458:SSL routines:OPENSSL_internal:TLSV1_ALERT_CERTIFICATE_REQUIRED"))
        .startsWith("the server requires a client certificate"));
    assertTrue(TlsFailures.describe(new SSLHandshakeException("Received fatal alert: unknown_ca"))
        .startsWith("the server does not trust the CA of the client certificate"));
    assertTrue(TlsFailures.describe(new SSLHandshakeException("Received fatal alert: bad_certificate"))
        .startsWith("the server rejected the client certificate"));
  }

  @Test
  void describe_notTls() {
    assertTrue(TlsFailures.describe(new DecoderException(new NotSslRecordException("not an SSL/TLS record: 4552")))
        .startsWith("the server did not answer with TLS"));
    assertTrue(TlsFailures.describe(new SSLException("error:100000f7:SSL routines:OPENSSL_internal:WRONG_VERSION_NUMBER"))
        .startsWith("the server did not answer with TLS"));
  }

  @Test
  void describe_closedDuringHandshake() {
    assertTrue(TlsFailures.describe(new java.nio.channels.ClosedChannelException())
        .startsWith("the server closed the connection during the handshake"));
    assertTrue(TlsFailures.describe(new SSLException("SSLEngine closed already"))
        .startsWith("the server closed the connection during the handshake"));
  }

  @Test
  void describe_unknownFailure_keepsTheEngineMessage() {
    assertTrue(TlsFailures.describe(new SSLException("something new")).equals("something new"));
  }

  @Test
  void isTlsFailure_findsSslCauses() {
    assertTrue(TlsFailures.isTlsFailure(new IOException("wrapped", new SSLException("x"))));
    assertFalse(TlsFailures.isTlsFailure(new IOException("Connection reset by peer")));
  }
}
