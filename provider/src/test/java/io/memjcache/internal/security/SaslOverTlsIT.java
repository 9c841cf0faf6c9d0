package io.memjcache.internal.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.config.MemcachedConfiguration;
import io.memjcache.config.SaslSettings;
import io.memjcache.config.Secret;
import io.memjcache.config.TlsSettings;
import io.memjcache.testing.MemcachedServer;
import io.memjcache.testing.SaslFeature;
import io.memjcache.testing.ServerOptions;
import io.memjcache.testing.TestCertificates;
import io.memjcache.testing.TlsFeature;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SASL together with TLS through the JCache API: PLAIN is fine inside TLS without any opt-in and
 * refused outside it with an error naming the setting; SCRAM-SHA-256 over mutual TLS; a wrong
 * password is a CacheException that names the server and never a password.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SaslOverTlsIT {
  private static final String USER = "carol";
  private static final String PASSWORD = "carol-S3cret-" + Long.toHexString(System.nanoTime());
  private static final String WRONG = "not-carols-" + Long.toHexString(System.nanoTime());

  /** TLS (server verified) plus a plaintext listener, SASL PLAIN. */
  private static MemcachedServer plainSasl;
  /** Mutual TLS plus a plaintext listener (for the harness), SASL SCRAM-SHA-256. */
  private static MemcachedServer scramMutual;

  private final List<CacheManager> managers = new ArrayList<>();

  @BeforeAll
  static void startServers() {
    TestCertificates certificates = TestCertificates.shared();
    plainSasl = MemcachedServer.start(ServerOptions.defaults().toBuilder()
        .feature(TlsFeature.builder(certificates.server()).plaintextListener(true).build())
        .feature(SaslFeature.builder().mechanisms("PLAIN").user(USER, PASSWORD).build())
        .build());
    scramMutual = MemcachedServer.start(ServerOptions.defaults().toBuilder()
        .feature(TlsFeature.builder(certificates.server()).requireClientCertificate(certificates.caCertificate())
            .plaintextListener(true).build())
        .feature(SaslFeature.builder().mechanisms("SCRAM-SHA-256").user(USER, PASSWORD).build())
        .build());
  }

  @AfterAll
  static void stopServers() {
    if (plainSasl != null) {
      plainSasl.close();
    }
    if (scramMutual != null) {
      scramMutual.close();
    }
  }

  @AfterEach
  void closeManagers() {
    managers.forEach(SecurityFixtures::close);
  }

  private Cache<String, String> cache(String servers, TlsSettings tls, SaslSettings sasl) {
    return cache(SecurityFixtures.uniqueName("sasl"), servers, tls, sasl);
  }

  /** Creating the cache and using it must fail (creating it already reads its generation). */
  private CacheException failure(String servers, TlsSettings tls, SaslSettings sasl) {
    return assertThrows(CacheException.class, () -> {
      Cache<String, String> cache = cache(servers, tls, sasl);
      cache.put("k", "v");
    });
  }

  private Cache<String, String> cache(String name, String servers, TlsSettings tls, SaslSettings sasl) {
    CacheManager manager = SecurityFixtures.open(servers, "sasl-tls");
    managers.add(manager);
    MemcachedConfiguration<String, String> configuration = SecurityFixtures.strings().setSasl(sasl);
    if (tls != null) {
      configuration.setTls(tls);
    }
    return manager.createCache(name, configuration);
  }

  private static TlsSettings tls() {
    return TlsSettings.builder().trustCertificates(TestCertificates.shared().caCertificate()).build();
  }

  private static TlsSettings mutualTls() {
    TestCertificates.Identity client = TestCertificates.shared().client();
    return tls().toBuilder().clientCertificate(client.certificate(), client.key()).build();
  }

  private static SaslSettings.Builder sasl(String mechanism, String password) {
    return SaslSettings.builder().username(USER).password(Secret.of(password)).mechanisms(List.of(mechanism));
  }

  private static String plaintextAddress(MemcachedServer server) {
    return server.host() + ":" + server.port(server.feature(TlsFeature.class).orElseThrow().plaintextListener());
  }

  /** The exception's message and its causes' messages. */
  private static String messages(Throwable error) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = error; t != null; t = t.getCause()) {
      all.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
    }
    return all.toString();
  }

  private static void assertNoPassword(Throwable error) {
    String all = messages(error);
    assertFalse(all.contains(PASSWORD), "the password in: " + all);
    assertFalse(all.contains(WRONG), "the wrong password in: " + all);
    StringBuilder trace = new StringBuilder();
    for (Throwable t = error; t != null; t = t.getCause()) {
      trace.append(String.valueOf(t));
    }
    assertFalse(trace.toString().contains(PASSWORD) || trace.toString().contains(WRONG), trace.toString());
  }

  @Test
  void plainOverTls_worksWithoutAllowPlainWithoutTls() {
    SaslSettings settings = sasl("PLAIN", PASSWORD).build();
    assertFalse(settings.allowPlainWithoutTls());
    Cache<String, String> cache = cache(plainSasl.hostAndPort(), tls(), settings);
    cache.put("k", "over TLS, authenticated with PLAIN");
    assertEquals("over TLS, authenticated with PLAIN", cache.get("k"));
  }

  @Test
  void plainWithoutTls_isRefusedNamingAllowPlainWithoutTls() {
    CacheException error = failure(plaintextAddress(plainSasl), null, sasl("PLAIN", PASSWORD).build());
    assertTrue(messages(error).contains("allowPlainWithoutTls"), "the error names the setting: " + messages(error));
    assertTrue(error.getMessage().contains("allowPlainWithoutTls"), "the CacheException's own message names it: "
        + error.getMessage());
    assertNoPassword(error);

    // the explicit opt-in makes the same connection work
    Cache<String, String> optedIn = cache(plaintextAddress(plainSasl), null,
        sasl("PLAIN", PASSWORD).allowPlainWithoutTls(true).build());
    optedIn.put("k", "v");
    assertEquals("v", optedIn.get("k"));
  }

  @Test
  void scramSha256OverMutualTls_works() {
    String name = SecurityFixtures.uniqueName("scram");
    Cache<String, String> cache = cache(name, scramMutual.hostAndPort(), mutualTls(), sasl("SCRAM-SHA-256", PASSWORD).build());
    cache.put("k", "mutual TLS and SCRAM-SHA-256");
    assertEquals("mutual TLS and SCRAM-SHA-256", cache.get("k"));

    // the strongest mechanism by default (no pinned list) works too, in another manager
    Cache<String, String> strongest = cache(name, scramMutual.hostAndPort(), mutualTls(),
        SaslSettings.builder().username(USER).password(Secret.of(PASSWORD)).build());
    assertEquals("mutual TLS and SCRAM-SHA-256", strongest.get("k"));
  }

  @Test
  void scramWithoutClientCertificate_isRefused() {
    CacheException error = failure(scramMutual.hostAndPort(), tls(), sasl("SCRAM-SHA-256", PASSWORD).build());
    assertTrue(error.getMessage().contains(scramMutual.hostAndPort()), "names the server: " + messages(error));
    assertTrue(error.getMessage().contains("client certificate"), "says why: " + messages(error));
    assertNoPassword(error);
  }

  @Test
  void wrongPassword_plainOverTls_isCacheExceptionNamingTheServerNotThePassword() {
    CacheException error = failure(plainSasl.hostAndPort(), tls(), sasl("PLAIN", WRONG).build());
    assertTrue(error.getMessage().contains(plainSasl.hostAndPort()), "names the server: " + messages(error));
    assertTrue(error.getMessage().contains("refused"), "says authentication was refused: " + messages(error));
    assertNoPassword(error);
  }

  @Test
  void wrongPassword_scramOverMutualTls_isCacheExceptionNamingTheServerNotThePassword() {
    CacheException error = failure(scramMutual.hostAndPort(), mutualTls(), sasl("SCRAM-SHA-256", WRONG).build());
    assertTrue(error.getMessage().contains(scramMutual.hostAndPort()), "names the server: " + messages(error));
    assertNoPassword(error);
  }
}
