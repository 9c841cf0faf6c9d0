package io.memjcache.internal.tls;

import io.memjcache.config.TlsSettings;

/** The TLS client contract with OpenSSL (BoringSSL through netty-tcnative). */
class TlsOpenSslEngineIT extends TlsClientContract {
  @Override
  TlsSettings.Engine engine() {
    return TlsSettings.Engine.OPENSSL;
  }
}
