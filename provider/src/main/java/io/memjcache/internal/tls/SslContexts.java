package io.memjcache.internal.tls;

import io.memjcache.config.TlsSettings;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;

/** Builds a client {@link SslContext} from {@link TlsSettings} and the material read for them. */
final class SslContexts {
  private SslContexts() {}

  /** The engine to use: OpenSSL when asked for or, for AUTO, when netty-tcnative loads; else the JDK's. */
  static SslProvider provider(TlsSettings.Engine engine, boolean openSslAvailable) {
    switch (engine) {
      case JDK:
        return SslProvider.JDK;
      case OPENSSL:
        if (!openSslAvailable) {
          Throwable cause = OpenSsl.unavailabilityCause();
          throw new IllegalStateException("TLS engine OPENSSL is configured but OpenSSL is not available ("
              + (cause == null ? "unknown reason" : cause.getClass().getSimpleName() + ": " + cause.getMessage())
              + "): add io.netty:netty-tcnative-boringssl-static for this platform, or choose engine JDK or AUTO");
        }
        return SslProvider.OPENSSL;
      default:
        return openSslAvailable ? SslProvider.OPENSSL : SslProvider.JDK;
    }
  }

  /** TLS 1.3 and, unless the floor is 1.3, TLS 1.2: never anything older. */
  static String[] protocols(TlsSettings.Protocol minimum) {
    return minimum == TlsSettings.Protocol.TLS_1_3
        ? new String[] {"TLSv1.3"}
        : new String[] {"TLSv1.3", "TLSv1.2"};
  }

  static SslContext build(TlsSettings settings, TlsMaterial material, SslProvider provider) {
    SslContextBuilder builder = SslContextBuilder.forClient()
        .sslProvider(provider)
        .protocols(protocols(settings.minimumProtocol()))
        // Each engine also gets this, with the server's own name, in TlsSecurity.newHandler.
        .endpointIdentificationAlgorithm(settings.hostnameVerification() ? "HTTPS" : null);
    if (material.trustCertificates != null) {
      builder.trustManager(material.trustCertificates);
    } else if (material.trustStore != null) {
      builder.trustManager(material.trustStore);
    }
    if (material.clientKey != null) {
      builder.keyManager(material.clientKey, material.clientChain);
    }
    if (!settings.cipherSuites().isEmpty()) {
      builder.ciphers(settings.cipherSuites(), SupportedCipherSuiteFilter.INSTANCE);
    }
    SslContext context;
    try {
      context = builder.build();
    } catch (SSLException | RuntimeException e) {
      throw new IllegalArgumentException("cannot set up TLS with " + provider + ": " + TlsFailures.describe(e), e);
    }
    if (context instanceof OpenSslContext openSsl) {
      // No session resumption (see TlsSecurity.newHandler): memcached with mutual TLS refuses it.
      openSsl.sessionContext().setSessionCacheEnabled(false);
    }
    if (!settings.cipherSuites().isEmpty()) {
      List<String> missing = new ArrayList<>(settings.cipherSuites());
      missing.removeAll(context.cipherSuites());
      if (!missing.isEmpty()) {
        throw new IllegalArgumentException("the " + provider + " TLS engine does not support the cipher suites " + missing
            + "; it supports " + context.cipherSuites());
      }
    }
    return context;
  }
}
