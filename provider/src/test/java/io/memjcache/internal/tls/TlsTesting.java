package io.memjcache.internal.tls;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.memjcache.config.TlsSettings;
import io.memjcache.internal.client.ClientSettings;
import io.memjcache.internal.client.MemcachedClient;
import io.memjcache.internal.transport.ConnectionSettings;
import io.memjcache.internal.transport.MemcachedException;
import io.memjcache.testing.ServerOptions;
import io.memjcache.testing.TestCertificates;
import io.memjcache.testing.TlsFeature;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/** Servers, certificates and clients shared by the TLS tests. */
public final class TlsTesting {
  static final ConnectionSettings SETTINGS = ConnectionSettings.DEFAULTS
      .withOperationTimeout(Duration.ofSeconds(5)).withConnectTimeout(Duration.ofSeconds(5));

  private TlsTesting() {}

  static TestCertificates certs() {
    return TestCertificates.shared();
  }

  /** Trusts the test CA, with the given engine. */
  static TlsSettings.Builder trusting(TlsSettings.Engine engine) {
    return TlsSettings.builder().trustCertificates(certs().caCertificate()).engine(engine);
  }

  static MemcachedClient client(String host, int port, TlsSettings tls) {
    return client(host, port, tls, SETTINGS);
  }

  static MemcachedClient client(String host, int port, TlsSettings tls, ConnectionSettings connection) {
    ClientSettings settings = ClientSettings.of(List.of(InetSocketAddress.createUnresolved(host, port)))
        .withConnection(connection).withTls(tls);
    return new MemcachedClient(settings);
  }

  /** The error of the first operation of a client that cannot connect. */
  static MemcachedException connectFailure(String host, int port, TlsSettings tls) {
    try (MemcachedClient client = client(host, port, tls)) {
      return assertThrows(MemcachedException.class,
          () -> MemcachedClient.await(client.get("k".getBytes(java.nio.charset.StandardCharsets.US_ASCII)), 20_000));
    }
  }

  /** TLS on the main listener (certificate for 127.0.0.1 and localhost) plus a plaintext listener. */
  public static final class TlsServer implements Supplier<ServerOptions> {
    @Override
    public ServerOptions get() {
      return ServerOptions.builder()
          .feature(TlsFeature.builder(certs().server()).plaintextListener(true).build())
          .build();
    }
  }

  /** Mutual TLS: a client certificate from the test CA is required. */
  public static final class MutualTlsServer implements Supplier<ServerOptions> {
    @Override
    public ServerOptions get() {
      return ServerOptions.builder()
          .feature(TlsFeature.builder(certs().server()).requireClientCertificate(certs().caCertificate()).build())
          .build();
    }
  }
}
