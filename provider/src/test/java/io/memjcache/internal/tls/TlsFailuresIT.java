package io.memjcache.internal.tls;

import static io.memjcache.internal.client.MemcachedClient.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.config.TlsSettings;
import io.memjcache.internal.client.ClientSettings;
import io.memjcache.internal.client.MemcachedClient;
import io.memjcache.internal.transport.ConnectionException;
import io.memjcache.internal.transport.MemcachedException;
import io.memjcache.testing.MemcachedServer;
import io.memjcache.testing.ServerOptions;
import io.memjcache.testing.TestCertificates;
import io.memjcache.testing.TlsFeature;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * TLS fails closed, quickly and clearly: an untrusted CA, a certificate for another host, an
 * expired certificate, a TLS client on a plaintext port and a plaintext client on a TLS port each
 * fail the connection with an error that names the server and the reason, with both engines, and
 * never fall back to plaintext. Each failure must arrive well before the 5 s connect timeout.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TlsFailuresIT {
  private static final long FAST_MILLIS = 4_000;

  private static TestCertificates certs;
  private static MemcachedServer good;
  private static MemcachedServer expired;
  private static MemcachedServer otherHost;

  @BeforeAll
  static void startServers() {
    certs = TlsTesting.certs();
    good = MemcachedServer.start(ServerOptions.builder()
        .feature(TlsFeature.builder(certs.server()).plaintextListener(true).build()).build());
    expired = MemcachedServer.start(ServerOptions.builder().feature(TlsFeature.of(certs.expiredServer())).build());
    otherHost = MemcachedServer.start(ServerOptions.builder().feature(TlsFeature.of(certs.wrongHostServer())).build());
  }

  @AfterAll
  static void stopServers() {
    for (MemcachedServer s : new MemcachedServer[] {good, expired, otherHost}) {
      if (s != null) {
        s.close();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"JDK", "OPENSSL"})
  void untrustedCa_failsNamingServerAndReason(TlsSettings.Engine engine) {
    TlsSettings tls = TlsSettings.builder().trustCertificates(certs.otherCaCertificate()).engine(engine).build();
    String message = failure(good, good.port(), tls);
    assertTrue(message.contains("not signed by a trusted CA"), message);
  }

  @ParameterizedTest
  @EnumSource(names = {"JDK", "OPENSSL"})
  void jdkDefaultTrust_rejectsTheTestCa(TlsSettings.Engine engine) {
    TlsSettings tls = TlsSettings.builder().engine(engine).build();
    String message = failure(good, good.port(), tls);
    assertTrue(message.contains("not signed by a trusted CA"), message);
  }

  @ParameterizedTest
  @EnumSource(names = {"JDK", "OPENSSL"})
  void certificateForAnotherHost_failsForIpAndDnsName(TlsSettings.Engine engine) {
    TlsSettings tls = TlsTesting.trusting(engine).build();
    String byIp = failure(otherHost, otherHost.port(), tls);
    assertTrue(byIp.contains("does not name this server"), byIp);
    String byName = failure("localhost", otherHost.port(), tls);
    assertTrue(byName.contains("localhost:" + otherHost.port()) && byName.contains("does not name this server"), byName);
  }

  @ParameterizedTest
  @EnumSource(names = {"JDK", "OPENSSL"})
  void certificateForAnotherHost_worksWithHostnameVerificationOff(TlsSettings.Engine engine) {
    TlsSettings tls = TlsTesting.trusting(engine).hostnameVerification(false).build();
    try (MemcachedClient client = TlsTesting.client(otherHost.host(), otherHost.port(), tls)) {
      byte[] key = "k".getBytes(StandardCharsets.US_ASCII);
      assertTrue(await(client.set(key, key, 0, 0)).stored());
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"JDK", "OPENSSL"})
  void verificationOff_stillChecksTheCa(TlsSettings.Engine engine) {
    TlsSettings tls = TlsSettings.builder().trustCertificates(certs.otherCaCertificate()).hostnameVerification(false)
        .engine(engine).build();
    String message = failure(otherHost, otherHost.port(), tls);
    assertTrue(message.contains("not signed by a trusted CA"), message);
  }

  @ParameterizedTest
  @EnumSource(names = {"JDK", "OPENSSL"})
  void expiredCertificate_failsNamingServerAndReason(TlsSettings.Engine engine) {
    String message = failure(expired, expired.port(), TlsTesting.trusting(engine).build());
    assertTrue(message.contains("expired"), message);
  }

  @ParameterizedTest
  @EnumSource(names = {"JDK", "OPENSSL"})
  void tlsClient_onPlaintextPort_failsClearly(TlsSettings.Engine engine) {
    int plain = good.port(good.feature(TlsFeature.class).orElseThrow().plaintextListener());
    String message = failure(good, plain, TlsTesting.trusting(engine).build());
    assertTrue(message.contains("did not answer with TLS"), message);
  }

  @Test
  void plaintextClient_onTlsPort_failsFastAndSaysTls() {
    ClientSettings settings = ClientSettings.of(List.of(InetSocketAddress.createUnresolved(good.host(), good.port())))
        .withConnection(TlsTesting.SETTINGS);
    long start = System.nanoTime();
    try (MemcachedClient client = new MemcachedClient(settings)) {
      MemcachedException e = assertThrows(MemcachedException.class,
          () -> await(client.get("k".getBytes(StandardCharsets.US_ASCII)), 20_000));
      assertInstanceOf(ConnectionException.class, e, e.toString());
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      System.out.println("plaintext client on a TLS port (" + millis + " ms): " + e.getMessage());
      assertTrue(millis < FAST_MILLIS, "took " + millis + " ms: " + e.getMessage());
      assertTrue(e.getMessage().contains(good.hostAndPort()) && e.getMessage().contains("TLS"), e.getMessage());
    }
  }

  @Test
  void missingTrustFile_failsWhenTheClientIsConfigured() {
    Path missing = certs.dir().resolve("no-such-ca.crt");
    TlsSettings tls = TlsSettings.builder().trustCertificates(missing).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ClientSettings.of(List.of(good.address())).withTls(tls));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
  }

  private static String failure(MemcachedServer server, int port, TlsSettings tls) {
    return failure(server.host(), port, tls);
  }

  /** The message of the connect failure, checked to name the server, to be a TLS error and to come fast. */
  private static String failure(String host, int port, TlsSettings tls) {
    long start = System.nanoTime();
    MemcachedException e = TlsTesting.connectFailure(host, port, tls);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    String message = e.getMessage();
    System.out.println("connect failure (" + tls.engine() + ", " + millis + " ms): " + message);
    assertInstanceOf(ConnectionException.class, e, e.toString());
    assertTrue(message.contains(host + ":" + port), message);
    assertTrue(message.startsWith("TLS handshake with") || message.startsWith("TLS session with"), message);
    assertTrue(millis < FAST_MILLIS, "took " + millis + " ms: " + message);
    assertEquals(-1, message.indexOf("null"), message);
    return message;
  }
}
