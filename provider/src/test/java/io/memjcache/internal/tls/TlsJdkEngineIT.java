package io.memjcache.internal.tls;

import io.memjcache.config.TlsSettings;

/** The TLS client contract with the JDK's TLS engine. */
class TlsJdkEngineIT extends TlsClientContract {
  @Override
  TlsSettings.Engine engine() {
    return TlsSettings.Engine.JDK;
  }
}
