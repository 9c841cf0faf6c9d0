package io.memjcache.internal.tls;

import io.netty.handler.ssl.NotSslRecordException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * Says in words why a TLS handshake or session failed: an untrusted or expired certificate, a
 * certificate for another host, an alert from the server (such as a missing client certificate),
 * or a peer that does not speak TLS. Works with the messages of both the JDK and the OpenSSL engine.
 */
public final class TlsFailures {
  private TlsFailures() {}

  /** Whether {@code error} or one of its causes is a TLS failure. */
  public static boolean isTlsFailure(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SSLException || t instanceof NotSslRecordException
          || t instanceof java.security.cert.CertificateException) {
        return true;
      }
    }
    return false;
  }

  /** The reason, e.g. "the server's certificate has expired", followed by the engine's own words. */
  public static String describe(Throwable error) {
    String detail = detail(error);
    String text = chainText(error);
    String reason = reason(error, text);
    return reason == null ? detail : reason + " (" + detail + ")";
  }

  private static String reason(Throwable error, String text) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof NotSslRecordException) {
        return "the server did not answer with TLS (is this a plaintext port?)";
      }
      if (t instanceof java.nio.channels.ClosedChannelException) {
        return "the server closed the connection during the handshake";
      }
      if (t instanceof CertificateExpiredException) {
        return "the server's certificate has expired";
      }
      if (t instanceof CertificateNotYetValidException) {
        return "the server's certificate is not valid yet";
      }
      if (t instanceof CertPathValidatorException) {
        CertPathValidatorException.Reason r = ((CertPathValidatorException) t).getReason();
        if (r == CertPathValidatorException.BasicReason.EXPIRED) {
          return "the server's certificate has expired";
        }
        if (r == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
          return "the server's certificate is not valid yet";
        }
        if (r == CertPathValidatorException.BasicReason.REVOKED) {
          return "the server's certificate is revoked";
        }
      }
    }
    String t = text.toLowerCase(Locale.ROOT).replace(' ', '_');
    if (t.contains("no_subject_alternative") || t.contains("no_name_matching") || t.contains("hostname_mismatch")
        || t.contains("does_not_match") || t.contains("x509_v_err_hostname_mismatch") || t.contains("ip_address_mismatch")) {
      return "the server's certificate does not name this server (hostname verification)";
    }
    if (t.contains("certificate_expired") || t.contains("certificate_has_expired") || t.contains("validity_check_failed")) {
      return "the server's certificate has expired";
    }
    if (t.contains("pkix_path_building_failed") || t.contains("unable_to_find_valid_certification_path")
        || t.contains("unable_to_get_local_issuer") || t.contains("self_signed_cert_in_chain")
        || t.contains("certificate_verify_failed")) {
      return "the server's certificate is not signed by a trusted CA";
    }
    if (t.contains("certificate_required")) {
      return "the server requires a client certificate and none was sent (none is configured, or the configured one"
          + " is not from a CA the server names)";
    }
    if (t.contains("unknown_ca")) {
      return "the server does not trust the CA of the client certificate";
    }
    if (t.contains("bad_certificate") || t.contains("unsupported_certificate") || t.contains("certificate_unknown")) {
      return "the server rejected the client certificate";
    }
    if (t.contains("protocol_version") || t.contains("unsupported_protocol") || t.contains("no_appropriate_protocol")
        || t.contains("wrong_ssl_version")) {
      return "the server and client have no TLS version in common";
    }
    if (t.contains("handshake_failure") || t.contains("no_cipher_match") || t.contains("no_shared_cipher")
        || t.contains("no_appropriate_cipher") || t.contains("no_negotiable_cipher")) {
      return "the handshake failed: no common cipher suite, or the server refused the client certificate";
    }
    if (t.contains("unrecognized_ssl_message") || t.contains("wrong_version_number") || t.contains("not_an_ssl")
        || t.contains("plaintext_connection") || t.contains("packet_length_too_long") || t.contains("http_request")) {
      return "the server did not answer with TLS (is this a plaintext port?)";
    }
    if (t.contains("connection_reset") || t.contains("connection_closed") || t.contains("engine_closed")
        || t.contains("sslengine_closed") || t.contains("close_notify") || t.contains("closed_by_the_server")) {
      return "the server closed the connection during the handshake";
    }
    return null;
  }

  private static String detail(Throwable error) {
    Throwable deepest = error;
    String message = null;
    for (Throwable t = error; t != null; t = t.getCause()) {
      deepest = t;
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        message = t.getMessage();
      }
    }
    return message != null ? message : deepest.getClass().getSimpleName();
  }

  private static String chainText(Throwable error) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = error; t != null; t = t.getCause()) {
      text.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append(" | ");
    }
    return text.toString();
  }
}
