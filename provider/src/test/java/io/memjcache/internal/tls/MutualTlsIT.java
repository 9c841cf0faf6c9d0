package io.memjcache.internal.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import java.util.List;
import java.net.InetSocketAddress;
import io.memjcache.internal.client.Item;
import io.memjcache.internal.client.ClientSettings;
import static io.memjcache.internal.client.MemcachedClient.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.config.Secret;
import io.memjcache.config.TlsSettings;
import io.memjcache.internal.client.MemcachedClient;
import io.memjcache.internal.cluster.Node;
import io.memjcache.internal.transport.Connection;
import io.memjcache.internal.transport.MemcachedException;
import io.memjcache.testing.MemcachedServer;
import io.memjcache.testing.MemcachedTest;
import io.memjcache.testing.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Mutual TLS against memcached with {@code ssl_verify_mode=2}: a client certificate as PEM (plain
 * or encrypted key) or PKCS#12 works with both engines; none, or one from another CA, is a clear
 * connect error; and replaced certificate files are used by the next connection.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@MemcachedTest(options = TlsTesting.MutualTlsServer.class)
class MutualTlsIT {
  private static final byte[] KEY = "mutual".getBytes(StandardCharsets.US_ASCII);

  @ParameterizedTest
  @EnumSource(names = {"JDK", "OPENSSL"})
  void pemCertificateAndKey_work(TlsSettings.Engine engine, MemcachedServer server) throws Exception {
    TestCertificates.Identity client = TlsTesting.certs().client();
    TlsSettings tls = TlsTesting.trusting(engine).clientCertificate(client.certificate(), client.key()).build();
    assertWorksAs(server, tls, "CN=memjcache-client");
  }

  @ParameterizedTest
  @EnumSource(names = {"JDK", "OPENSSL"})
  void encryptedPemKey_works(TlsSettings.Engine engine, MemcachedServer server) throws Exception {
    TestCertificates certs = TlsTesting.certs();
    Path key = certs.encryptedKey(certs.client(), "s3cret-pass");
    TlsSettings tls = TlsTesting.trusting(engine).clientCertificate(certs.client().certificate(), key)
        .clientKeyPassword(Secret.of("s3cret-pass")).build();
    assertWorksAs(server, tls, "CN=memjcache-client");
  }

  @ParameterizedTest
  @EnumSource(names = {"JDK", "OPENSSL"})
  void pkcs12KeyStoreAndTrustStore_work(TlsSettings.Engine engine, MemcachedServer server) throws Exception {
    TestCertificates certs = TlsTesting.certs();
    Path keyStore = certs.keyStore(certs.client(), "store-pass");
    Path trustStore = certs.trustStore(certs.caCertificate(), "trust-pass");
    TlsSettings tls = TlsSettings.builder().engine(engine)
        .trustStore(trustStore, Secret.of("trust-pass"))
        .keyStore(keyStore, Secret.of("store-pass")).build();
    assertWorksAs(server, tls, "CN=memjcache-client");
  }

  /**
   * With TLS 1.3 the client's handshake completes and the server's refusal (alert 116) arrives with
   * the first answer; the connect must still fail with the reason, not hang or report a closed
   * connection.
   */
  @ParameterizedTest
  @EnumSource(names = {"JDK", "OPENSSL"})
  void noClientCertificate_failsClearly(TlsSettings.Engine engine, MemcachedServer server) {
    TlsSettings tls = TlsTesting.trusting(engine).build();
    String message = TlsTesting.connectFailure(server.host(), server.port(), tls).getMessage();
    System.out.println("no client certificate (" + engine + "): " + message);
    assertTrue(message.contains(server.hostAndPort()), message);
    assertTrue(message.contains("requires a client certificate"), message);
  }

  @ParameterizedTest
  @EnumSource(names = {"JDK", "OPENSSL"})
  void clientCertificateFromAnotherCa_failsClearly(TlsSettings.Engine engine, MemcachedServer server) {
    TestCertificates.Identity stranger = TlsTesting.certs().otherCaClient();
    TlsSettings tls = TlsTesting.trusting(engine).clientCertificate(stranger.certificate(), stranger.key()).build();
    String message = TlsTesting.connectFailure(server.host(), server.port(), tls).getMessage();
    System.out.println("client certificate from another CA (" + engine + "): " + message);
    assertTrue(message.contains(server.hostAndPort()), message);
    assertTrue(message.contains("client certificate"), message);
  }

  @Test
  void wrongKeyPassword_failsWhenConfigured_withoutShowingIt() {
    TestCertificates certs = TlsTesting.certs();
    Path key = certs.encryptedKey(certs.client(), "right-pass");
    TlsSettings tls = TlsSettings.builder().trustCertificates(certs.caCertificate())
        .clientCertificate(certs.client().certificate(), key).clientKeyPassword(Secret.of("wrong-pass")).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TlsSecurity.of(tls));
    assertTrue(e.getMessage().contains("wrong key password"), e.getMessage());
    assertFalse(e.getMessage().contains("wrong-pass") || e.getMessage().contains("right-pass"), e.getMessage());
  }

  /**
   * Rotation: the client's certificate files are replaced in place; the open connection keeps its
   * session, the next connection reads the new files. A certificate the server refuses proves the
   * files are really re-read, a new valid one that the new identity is presented.
   */
  @ParameterizedTest
  @EnumSource(names = {"JDK", "OPENSSL"})
  void replacedCertificateFiles_areUsedByTheNextConnection(TlsSettings.Engine engine, MemcachedServer server)
      throws Exception {
    TestCertificates certs = TlsTesting.certs();
    Path dir = Files.createTempDirectory(certs.dir(), "rotation-");
    Path cert = dir.resolve("client.crt");
    Path key = dir.resolve("client.key");
    install(certs.issueClient("before-rotation"), cert, key);
    TlsSettings tls = TlsTesting.trusting(engine).clientCertificate(cert, key).build();
    try (MemcachedClient client = TlsTesting.client(server.host(), server.port(), tls)) {
      Node node = client.cluster().nodes().get(0);
      assertTrue(await(client.set(KEY, KEY, 0, 0)).stored());
      assertEquals("CN=before-rotation", session(node).localSubject());

      install(certs.otherCaClient(), cert, key);
      assertTrue(await(client.set(KEY, KEY, 0, 0)).stored(), "the open connection is not disturbed");
      node.connection().get(5, TimeUnit.SECONDS).close();
      MemcachedException refused = eventually(() -> assertThrows(MemcachedException.class,
          () -> await(client.set(KEY, KEY, 0, 0))), e -> e.getMessage().contains("client certificate"));
      assertTrue(refused.getMessage().contains(server.hostAndPort()), refused.getMessage());

      install(certs.issueClient("after-rotation"), cert, key);
      eventually(() -> {
        try {
          return await(client.set(KEY, KEY, 0, 0)).stored();
        } catch (MemcachedException stillBackingOff) {
          return false;
        }
      }, ok -> ok);
      assertEquals("CN=after-rotation", session(node).localSubject());
    }
  }

  private static void install(TestCertificates.Identity identity, Path cert, Path key) throws Exception {
    TestCertificates.replace(identity.certificate(), cert);
    TestCertificates.replace(identity.key(), key);
  }

  private static TlsSessionInfo session(Node node) throws Exception {
    Connection c = node.connection().get(5, TimeUnit.SECONDS);
    return c.tlsSession().orElseThrow();
  }

  /**
   * Three connections to one server, opened one after the other by the same client: the later
   * ones must not try to resume the first one's session, which memcached (no session id context
   * while it verifies clients) answers with an internal_error alert.
   */
  @ParameterizedTest
  @EnumSource(names = {"JDK", "OPENSSL"})
  void severalConnections_toOneServer_allHandshake(TlsSettings.Engine engine, MemcachedServer server) throws Exception {
    TestCertificates.Identity identity = TlsTesting.certs().client();
    TlsSettings tls = TlsTesting.trusting(engine).clientCertificate(identity.certificate(), identity.key()).build();
    ClientSettings settings = ClientSettings.of(List.of(InetSocketAddress.createUnresolved(server.host(), server.port())))
        .withConnection(TlsTesting.SETTINGS).withTls(tls).withConnectionsPerNode(3);
    try (MemcachedClient client = new MemcachedClient(settings)) {
      Node node = client.cluster().nodes().get(0);
      assertTrue(await(client.set(KEY, KEY, 0, 0)).stored()); // the first connection, alone
      byte[][] keys = new byte[300][];
      for (int i = 0; i < keys.length; i++) {
        keys[i] = ("mutual-" + i).getBytes(StandardCharsets.US_ASCII);
        await(client.set(keys[i], keys[i], 0, 0));
      }
      Item[] items = await(client.getAll(keys));
      for (int i = 0; i < keys.length; i++) {
        assertArrayEquals(keys[i], items[i].value(), "key " + i);
      }
      assertEquals(3, node.openConnections());
    }
  }

  private static void assertWorksAs(MemcachedServer server, TlsSettings tls, String subject) throws Exception {
    try (MemcachedClient client = TlsTesting.client(server.host(), server.port(), tls)) {
      assertTrue(await(client.set(KEY, KEY, 0, 0)).stored());
      assertEquals("mutual", new String(await(client.get(KEY)).value(), StandardCharsets.US_ASCII));
      assertEquals(subject, session(client.cluster().nodes().get(0)).localSubject());
    }
  }

  /** Retries while a reconnect is still backing off (at most 10 s). */
  private static <T> T eventually(Supplier<T> attempt, java.util.function.Predicate<T> done) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    T last = null;
    while (System.nanoTime() < deadline) {
      last = attempt.get();
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("not reached within 10 s; last: " + last);
  }
}
