package io.memjcache.internal.jcache;

import io.memjcache.config.SaslSettings;
import io.memjcache.config.TlsSettings;
import io.memjcache.internal.client.ClientSettings;
import io.memjcache.internal.sasl.SaslAuthenticator;
import io.memjcache.internal.transport.ConnectionStage;
import java.util.ArrayList;
import java.util.List;

/** Turns a manager's settings plus a cache's security settings into a client's settings. */
final class ClientFactory {
  private ClientFactory() {}

  static ClientSettings settings(ManagerSettings manager, TlsSettings tls, SaslSettings sasl) {
    ClientSettings base = manager.clientSettings();
    List<ConnectionStage> stages = new ArrayList<>(base.connectionStages());
    if (sasl != null) {
      stages.add(new SaslAuthenticator(sasl)); // after the TLS handshake, so PLAIN can see the channel is encrypted
    }
    ClientSettings settings = new ClientSettings(base.servers(), base.connection(), base.pipelineSecurity(), stages,
        base.connectionsPerNode());
    return tls == null ? settings : settings.withTls(tls);
  }
}
