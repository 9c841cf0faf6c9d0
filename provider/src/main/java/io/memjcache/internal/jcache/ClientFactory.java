package io.memjcache.internal.jcache;

import io.memjcache.config.SaslSettings;
import io.memjcache.config.TlsSettings;
import io.memjcache.internal.client.ClientSettings;

/** Turns a manager's settings plus a cache's security settings into a client's settings. */
final class ClientFactory {
  private ClientFactory() {}

  static ClientSettings settings(ManagerSettings manager, TlsSettings tls, SaslSettings sasl) {
    ClientSettings base = manager.clientSettings();
    if (tls != null || sasl != null) {
      throw new UnsupportedOperationException("TLS and SASL are being integrated");
    }
    return base;
  }
}
