package io.memjcache.internal.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.config.Secret;
import io.memjcache.config.TlsSettings;
import io.memjcache.testing.TestCertificates;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Building contexts and handlers from TlsSettings, without a server. */
class TlsSecurityTest {
  private static final TestCertificates CERTS = TlsTesting.certs();

  private static TlsSettings.Builder trusting(TlsSettings.Engine engine) {
    return TlsSettings.builder().trustCertificates(CERTS.caCertificate()).engine(engine);
  }

  private static SSLParameters parameters(TlsSecurity tls, String host) {
    SslHandler handler = tls.newHandler(tls.context(), UnpooledByteBufAllocator.DEFAULT, host, 11211);
    try {
      return handler.engine().getSSLParameters();
    } finally {
      ReferenceCountUtil.release(handler.engine());
    }
  }

  // ------------------------------------------------------------------ engines

  @Test
  void openSsl_isAvailableInTheseTests() {
    assertTrue(OpenSsl.isAvailable(), "netty-tcnative-boringssl-static should load here: " + OpenSsl.unavailabilityCause());
  }

  @Test
  void engine_autoPicksOpenSslWhenAvailable_elseJdk() {
    assertEquals(SslProvider.OPENSSL, SslContexts.provider(TlsSettings.Engine.AUTO, true));
    assertEquals(SslProvider.JDK, SslContexts.provider(TlsSettings.Engine.AUTO, false));
    assertEquals(SslProvider.JDK, SslContexts.provider(TlsSettings.Engine.JDK, true));
    assertEquals("JDK", TlsSecurity.of(trusting(TlsSettings.Engine.AUTO).build(), () -> false).engine());
    assertEquals("OPENSSL", TlsSecurity.of(trusting(TlsSettings.Engine.AUTO).build()).engine());
  }

  @Test
  void engine_openSslWithoutTcnative_failsClearly() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> TlsSecurity.of(trusting(TlsSettings.Engine.OPENSSL).build(), () -> false));
    assertTrue(e.getMessage().contains("netty-tcnative-boringssl-static"), e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(names = {"JDK", "OPENSSL"})
  void protocols_neverOlderThanTls12(TlsSettings.Engine engine) {
    TlsSecurity tls = TlsSecurity.of(trusting(engine).build());
    Set<String> allowed = Set.of("TLSv1.2", "TLSv1.3");
    // Netty's OpenSSL engine always lists the SSLv2Hello pseudo-protocol, which is a hello format, not a version.
    List<String> enabled = new java.util.ArrayList<>(Arrays.asList(parameters(tls, "localhost").getProtocols()));
    enabled.remove("SSLv2Hello");
    assertTrue(allowed.containsAll(enabled) && enabled.contains("TLSv1.2") && enabled.contains("TLSv1.3"),
        enabled.toString());
    TlsSecurity strict = TlsSecurity.of(trusting(engine).minimumProtocol(TlsSettings.Protocol.TLS_1_3).build());
    List<String> strictProtocols = new java.util.ArrayList<>(Arrays.asList(parameters(strict, "localhost").getProtocols()));
    strictProtocols.remove("SSLv2Hello");
    assertEquals(List.of("TLSv1.3"), strictProtocols);
  }

  @ParameterizedTest
  @EnumSource(names = {"JDK", "OPENSSL"})
  void cipherSuites_areConfigured_andUnknownOnesRejected(TlsSettings.Engine engine) {
    String suite = "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384";
    TlsSecurity tls = TlsSecurity.of(trusting(engine).cipherSuites(List.of(suite)).build());
    assertTrue(Arrays.asList(parameters(tls, "localhost").getCipherSuites()).contains(suite));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TlsSecurity.of(trusting(engine).cipherSuites(List.of("TLS_NO_SUCH_SUITE")).build()));
    assertTrue(e.getMessage().contains("TLS_NO_SUCH_SUITE"), e.getMessage());
  }

  // ------------------------------------------------------------------ per-server name checks

  @ParameterizedTest
  @EnumSource(names = {"JDK", "OPENSSL"})
  void handler_dnsName_sendsSniAndVerifiesThatName(TlsSettings.Engine engine) {
    TlsSecurity tls = TlsSecurity.of(trusting(engine).build());
    SSLParameters p = parameters(tls, "cache-1.example.com");
    assertEquals(List.of(new SNIHostName("cache-1.example.com")), p.getServerNames());
    assertEquals("HTTPS", p.getEndpointIdentificationAlgorithm());
    assertEquals(List.of(new SNIHostName("localhost")), parameters(tls, "localhost").getServerNames());
  }

  @ParameterizedTest
  @EnumSource(names = {"JDK", "OPENSSL"})
  void handler_ipLiteral_sendsNoSni_butStillVerifies(TlsSettings.Engine engine) {
    TlsSecurity tls = TlsSecurity.of(trusting(engine).build());
    for (String ip : new String[] {"127.0.0.1", "::1"}) {
      SSLParameters p = parameters(tls, ip);
      assertTrue(p.getServerNames() == null || p.getServerNames().isEmpty(), ip + ": " + p.getServerNames());
      assertEquals("HTTPS", p.getEndpointIdentificationAlgorithm());
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"JDK", "OPENSSL"})
  void handler_verificationOff_hasNoEndpointIdentification(TlsSettings.Engine engine) {
    TlsSecurity tls = TlsSecurity.of(trusting(engine).hostnameVerification(false).build());
    assertNull(parameters(tls, "localhost").getEndpointIdentificationAlgorithm());
  }

  // ------------------------------------------------------------------ material and rotation

  @Test
  void context_unchangedFiles_isReused_changedFiles_rebuild() throws Exception {
    Path dir = Files.createTempDirectory(CERTS.dir(), "unit-rotation-");
    Path cert = dir.resolve("c.crt");
    Path key = dir.resolve("c.key");
    TestCertificates.replace(CERTS.client().certificate(), cert);
    TestCertificates.replace(CERTS.client().key(), key);
    TlsSecurity tls = TlsSecurity.of(trusting(TlsSettings.Engine.JDK).clientCertificate(cert, key).build());
    SslContext first = tls.context();
    assertSame(first, tls.context());

    TestCertificates.Identity next = CERTS.issueClient("unit-next");
    TestCertificates.replace(next.certificate(), cert);
    // Half-way through a rotation the key does not match the certificate: that connection fails clearly.
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, tls::context);
    assertTrue(e.getMessage().contains("does not belong to the certificate"), e.getMessage());
    TestCertificates.replace(next.key(), key);
    SslContext second = tls.context();
    assertNotSame(first, second);
    assertSame(second, tls.context());
  }

  @Test
  void material_traditionalKey_isRefusedWithConversionHint() {
    Path key = CERTS.traditionalKey(CERTS.client());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TlsSecurity.of(
        trusting(TlsSettings.Engine.JDK).clientCertificate(CERTS.client().certificate(), key).build()));
    assertTrue(e.getMessage().contains("openssl pkcs8 -topk8"), e.getMessage());
  }

  @Test
  void material_encryptedKeyWithoutPassword_saysSo() {
    Path key = CERTS.encryptedKey(CERTS.client(), "pw-123456");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TlsSecurity.of(
        trusting(TlsSettings.Engine.JDK).clientCertificate(CERTS.client().certificate(), key).build()));
    assertTrue(e.getMessage().contains("no key password"), e.getMessage());
  }

  @Test
  void material_wrongKeyStorePassword_neverShowsAPassword() {
    Path store = CERTS.keyStore(CERTS.client(), "real-store-pass");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TlsSecurity.of(
        trusting(TlsSettings.Engine.JDK).keyStore(store, Secret.of("guessed-pass")).build()));
    assertTrue(e.getMessage().contains(store.toString()) && e.getMessage().contains("wrong password"), e.getMessage());
    assertFalse(e.getMessage().contains("guessed-pass") || e.getMessage().contains("real-store-pass"), e.getMessage());
  }

  @Test
  void material_pkcs12KeyStore_yieldsTheClientIdentity() {
    Path store = CERTS.keyStore(CERTS.client(), "store-pass");
    TlsSecurity tls = TlsSecurity.of(trusting(TlsSettings.Engine.JDK).keyStore(store, Secret.of("store-pass")).build());
    TlsMaterial material = TlsMaterial.load(tls.settings(), TlsMaterial.read(tls.settings()));
    assertEquals("CN=memjcache-client", material.clientChain.get(0).getSubjectX500Principal().getName());
  }

  @Test
  void material_opensslTrustStoreWithoutJavaTrustAttribute_isExplained() {
    // openssl writes certificate-only PKCS#12 files that the JDK reads as empty.
    Path certOnly = CERTS.dir().resolve("cert-only-" + System.nanoTime() + ".p12");
    runOpenssl("pkcs12", "-export", "-nokeys", "-in", CERTS.caCertificate().toString(), "-out", certOnly.toString(),
        "-passout", "pass:x");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TlsSecurity.of(
        TlsSettings.builder().trustStore(certOnly, Secret.of("x")).build()));
    assertTrue(e.getMessage().contains("keytool -importcert"), e.getMessage());
  }

  @Test
  void material_fileWithoutCertificate_namesTheFile() throws Exception {
    Path empty = Files.writeString(CERTS.dir().resolve("empty-" + System.nanoTime() + ".crt"), "nothing here\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TlsSecurity.of(TlsSettings.builder().trustCertificates(empty).build()));
    assertTrue(e.getMessage().contains(empty.toString()) && e.getMessage().contains("no PEM certificate"), e.getMessage());
  }

  private static void runOpenssl(String... args) {
    try {
      String[] cmd = new String[args.length + 1];
      cmd[0] = "openssl";
      System.arraycopy(args, 0, cmd, 1, args.length);
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      assertEquals(0, p.waitFor(), out);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
