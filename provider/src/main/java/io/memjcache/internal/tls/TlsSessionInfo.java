package io.memjcache.internal.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * What one established TLS connection negotiated, for monitoring: engine, protocol, cipher suite,
 * the server's certificate and when it expires, and the client certificate presented, if any.
 *
 * @param engine "OPENSSL" or "JDK"
 * @param protocol e.g. "TLSv1.3"
 * @param cipherSuite e.g. "TLS_AES_256_GCM_SHA384"
 * @param peerSubject the server certificate's subject
 * @param peerCertificateExpiry the server certificate's notAfter
 * @param localSubject the client certificate's subject, or null without mutual TLS
 */
public record TlsSessionInfo(String engine, String protocol, String cipherSuite, String peerSubject,
    Instant peerCertificateExpiry, String localSubject) {

  /** The session of a handler whose handshake has succeeded. */
  public static TlsSessionInfo of(SslHandler handler) {
    SSLEngine engine = handler.engine();
    SSLSession session = engine.getSession();
    String peerSubject = null;
    Instant expiry = null;
    try {
      Certificate[] peer = session.getPeerCertificates();
      if (peer.length > 0 && peer[0] instanceof X509Certificate) {
        X509Certificate leaf = (X509Certificate) peer[0];
        peerSubject = leaf.getSubjectX500Principal().getName();
        expiry = leaf.getNotAfter().toInstant();
      }
    } catch (SSLPeerUnverifiedException e) {
      // no peer certificate (cannot happen for a verified client session)
    }
    String localSubject = null;
    Certificate[] local = session.getLocalCertificates();
    if (local != null && local.length > 0 && local[0] instanceof X509Certificate) {
      localSubject = ((X509Certificate) local[0]).getSubjectX500Principal().getName();
    }
    return new TlsSessionInfo(engineName(engine), session.getProtocol(), session.getCipherSuite(), peerSubject, expiry,
        localSubject);
  }

  static String engineName(SSLEngine engine) {
    // OpenSsl.isAvailable() first: the OpenSSL engine class must not be touched without netty-tcnative.
    return OpenSsl.isAvailable() && engine instanceof io.netty.handler.ssl.ReferenceCountedOpenSslEngine ? "OPENSSL" : "JDK";
  }
}
