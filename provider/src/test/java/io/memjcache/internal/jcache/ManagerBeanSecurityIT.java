package io.memjcache.internal.jcache;

import static io.memjcache.internal.jcache.ManagerBeans.allAttributesText;
import static io.memjcache.internal.jcache.ManagerBeans.await;
import static io.memjcache.internal.jcache.ManagerBeans.counter;
import static io.memjcache.internal.jcache.ManagerBeans.nameOf;
import static io.memjcache.internal.jcache.ManagerBeans.onlyConnection;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.config.MemcachedConfiguration;
import io.memjcache.config.SaslSettings;
import io.memjcache.config.Secret;
import io.memjcache.config.TlsSettings;
import io.memjcache.testing.MemcachedServer;
import io.memjcache.testing.MemcachedTest;
import io.memjcache.testing.SaslFeature;
import io.memjcache.testing.ServerOptions;
import io.memjcache.testing.TestCertificates;
import io.memjcache.testing.TlsFeature;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The operator's view of secured connections, read through the platform MBeanServer: the TLS
 * protocol, cipher suite and certificates of a mutual-TLS connection, the SASL mechanism and user
 * of an authenticated one, and refused logins counted, with no password anywhere in the bean.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ManagerBeanSecurityIT {
  private static final String USER = "operator";
  private static final String PASSWORD = randomText();
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  /** Mutual TLS: the server requires a client certificate from the test CA. */
  public static final class MutualTls implements Supplier<ServerOptions> {
    @Override
    public ServerOptions get() {
      TestCertificates certificates = TestCertificates.shared();
      return ServerOptions.defaults().toBuilder()
          .feature(TlsFeature.builder(certificates.server()).requireClientCertificate(certificates.caCertificate())
              .build())
          .build();
    }
  }

  /** SASL with SCRAM-SHA-256 only, over plaintext. */
  public static final class Scram implements Supplier<ServerOptions> {
    @Override
    public ServerOptions get() {
      return ServerOptions.defaults().toBuilder()
          .feature(SaslFeature.builder().mechanisms("SCRAM-SHA-256").user(USER, PASSWORD).build())
          .build();
    }
  }

  @Test
  @MemcachedTest(options = MutualTls.class)
  void connections_mutualTls_showProtocolCipherAndCertificates(MemcachedServer server) throws Exception {
    TestCertificates certificates = TestCertificates.shared();
    MemcachedConfiguration<String, String> configuration = new MemcachedConfiguration<String, String>()
        .setTypes(String.class, String.class)
        .setTls(TlsSettings.builder().trustCertificates(certificates.caCertificate())
            .clientCertificate(certificates.client().certificate(), certificates.client().key()).build());
    CacheManager manager = ManagerBeans.open(server.hostAndPort(), "mtls", ManagerBeans.properties(5000));
    try {
      Cache<String, String> cache = manager.createCache("mtls", configuration);
      cache.put("k", "v");
      CompositeData connection = onlyConnection(manager);
      X509Certificate serverCertificate = certificate(certificates.server().certificate());
      X509Certificate clientCertificate = certificate(certificates.client().certificate());

      assertEquals("tls", connection.get("security"));
      assertEquals(Boolean.TRUE, connection.get("connected"));
      assertEquals("TLSv1.3", connection.get("tlsProtocol"));
      String cipher = (String) connection.get("tlsCipherSuite");
      assertTrue(cipher != null && cipher.startsWith("TLS_") && !cipher.contains("NULL"), cipher);
      assertEquals(serverCertificate.getNotAfter(), connection.get("peerCertificateNotAfter"));
      assertEquals(serverCertificate.getSubjectX500Principal().getName(), connection.get("peerCertificateSubject"));
      assertEquals(clientCertificate.getSubjectX500Principal().getName(), connection.get("clientCertificateSubject"));
      assertNull(connection.get("saslMechanism"));
      // (the harness asks for the version in plaintext, which this TLS-only port refuses)
      String version = (String) connection.get("serverVersion");
      assertTrue(version != null && version.matches("\\d+\\.\\d+\\.\\d+.*"), version);

      String text = allAttributesText(nameOf(manager));
      String key = Files.readString(certificates.client().key());
      assertFalse(text.contains("PRIVATE KEY"), text);
      assertFalse(text.contains(key.lines().skip(1).findFirst().orElseThrow()), "client key material in the bean");
    } finally {
      ManagerBeans.close(manager);
    }
  }

  @Test
  @MemcachedTest(options = Scram.class)
  void connections_saslScram_showMechanismAndUserButNoPassword(MemcachedServer server) throws Exception {
    CacheManager manager = ManagerBeans.open(server.hostAndPort(), "scram", ManagerBeans.properties(5000));
    try {
      Cache<String, String> cache = manager.createCache("scram", sasl(PASSWORD));
      cache.put("k", "v");
      CompositeData connection = onlyConnection(manager);
      assertEquals("sasl", connection.get("security"));
      assertEquals("SCRAM-SHA-256", connection.get("saslMechanism"));
      assertEquals(USER, connection.get("saslUser"));
      assertNull(connection.get("tlsProtocol"));
      assertEquals(0L, connection.get("authenticationFailures"));
      assertEquals(0L, counter(manager, "AuthenticationFailures"));
      String text = allAttributesText(nameOf(manager));
      assertFalse(text.contains(PASSWORD), "the SASL password is shown: " + text);
    } finally {
      ManagerBeans.close(manager);
    }
  }

  @Test
  @MemcachedTest(options = Scram.class)
  void authenticationFailures_wrongPassword_countedWithoutShowingThePassword(MemcachedServer server)
      throws Exception {
    String wrong = randomText();
    CacheManager manager = ManagerBeans.open(server.hostAndPort(), "refused", ManagerBeans.properties(5000));
    try {
      try {
        manager.createCache("refused", sasl(wrong)).put("k", "v");
      } catch (RuntimeException expected) {
        // the server refuses the login: that is what is counted
      }
      assertTrue(await(() -> counter(manager, "AuthenticationFailures") >= 1, PATIENCE),
          "no authentication failure counted: " + allAttributesText(nameOf(manager)));
      CompositeData connection = onlyConnection(manager);
      assertEquals(Boolean.FALSE, connection.get("connected"));
      assertTrue((Long) connection.get("authenticationFailures") >= 1, connection.toString());
      assertTrue((Long) connection.get("connectFailures") >= (Long) connection.get("authenticationFailures"),
          connection.toString());
      assertTrue(counter(manager, "ConnectFailures") >= 1);
      assertNull(connection.get("saslMechanism"));
      String text = allAttributesText(nameOf(manager));
      assertTrue(text.contains(USER), "the refusal should name the user: " + text);
      assertFalse(text.contains(wrong), "the SASL password is shown: " + text);
    } finally {
      ManagerBeans.close(manager);
    }
  }

  private static MemcachedConfiguration<String, String> sasl(String password) {
    return new MemcachedConfiguration<String, String>().setTypes(String.class, String.class)
        .setSasl(SaslSettings.builder().username(USER).password(Secret.of(password))
            .mechanisms(List.of("SCRAM-SHA-256")).build());
  }

  private static X509Certificate certificate(Path pem) throws Exception {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  private static String randomText() {
    byte[] bytes = new byte[18];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
