package io.memjcache.internal.security;

import static io.memjcache.internal.security.SecurityFixtures.material;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.config.EncryptionKey;
import io.memjcache.config.EncryptionSettings;
import io.memjcache.config.KeyRing;
import io.memjcache.config.KeyRingSource;
import io.memjcache.config.MemcachedConfiguration;
import io.memjcache.config.SaslSettings;
import io.memjcache.config.Secret;
import io.memjcache.config.TlsSettings;
import io.memjcache.internal.sasl.SaslAuthenticator;
import io.memjcache.internal.security.SecurityFixtures.Raw;
import io.memjcache.testing.MemcachedServer;
import io.memjcache.testing.SaslFeature;
import io.memjcache.testing.ServerOptions;
import io.memjcache.testing.TestCertificates;
import io.memjcache.testing.TlsFeature;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Caches with equal TLS and SASL settings share one client (one connection per server); caches
 * with different settings get their own. Seen from the server: its {@code curr_connections}.
 * Also: a cache reports the security settings it was given, and shows no secret in doing so.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionSharingIT {
  private static final String ALICE = "alice";
  private static final String ALICE_PASSWORD = "alice-Pa55-" + Long.toHexString(System.nanoTime());
  private static final String BOB = "bob";
  private static final String BOB_PASSWORD = "bob-Pa55-" + Long.toHexString(System.nanoTime());

  private static MemcachedServer server;
  @TempDir
  static Path secrets;
  private static Path alicePasswordFile;

  private CacheManager manager;
  private Raw raw;

  @BeforeAll
  static void startServer() throws IOException {
    TestCertificates certificates = TestCertificates.shared();
    server = MemcachedServer.start(ServerOptions.defaults().toBuilder()
        .feature(TlsFeature.builder(certificates.server()).plaintextListener(true).build())
        .feature(SaslFeature.builder().mechanisms("SCRAM-SHA-256").user(ALICE, ALICE_PASSWORD).user(BOB, BOB_PASSWORD).build())
        .build());
    alicePasswordFile = secrets.resolve("alice-password");
    Files.writeString(alicePasswordFile, ALICE_PASSWORD);
    Files.setPosixFilePermissions(alicePasswordFile, PosixFilePermissions.fromString("rw-------"));
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void open() {
    int plaintext = server.feature(TlsFeature.class).orElseThrow().plaintextListener();
    // the operator's view, on the plaintext listener (SASL still applies there)
    raw = new Raw(new InetSocketAddress(server.host(), server.port(plaintext)),
        new SaslAuthenticator(SaslSettings.builder().username(ALICE).password(Secret.of(ALICE_PASSWORD)).build()));
    manager = SecurityFixtures.open(server.hostAndPort(), "sharing");
  }

  @AfterEach
  void close() {
    SecurityFixtures.close(manager);
    raw.close();
  }

  private static TlsSettings tls() {
    return TlsSettings.builder().trustCertificates(TestCertificates.shared().caCertificate()).build();
  }

  /** Alice's SASL settings, built anew each time; the password file makes them equal. */
  private static SaslSettings alice() {
    return SaslSettings.builder().username(ALICE).password(Secret.fromFile(alicePasswordFile)).build();
  }

  private static SaslSettings bob() {
    return SaslSettings.builder().username(BOB).password(Secret.of(BOB_PASSWORD)).build();
  }

  private Cache<String, String> create(String base, TlsSettings tls, SaslSettings sasl) {
    Cache<String, String> cache = manager.createCache(SecurityFixtures.uniqueName(base),
        SecurityFixtures.strings().setTls(tls).setSasl(sasl));
    cache.put("k", base);
    assertEquals(base, cache.get("k"), "the cache works over its connection");
    return cache;
  }

  private long awaitConnections(LongPredicate expected, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    long current = raw.currentConnections();
    while (!expected.test(current) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      current = raw.currentConnections();
    }
    assertTrue(expected.test(current), what + ": curr_connections is " + current);
    return current;
  }

  private String[] nodesOverJmx() throws Exception {
    ObjectName name = new ObjectName("io.memjcache:type=CacheManager,uri=" + ObjectName.quote(manager.getURI().toString()));
    return (String[]) ManagementFactory.getPlatformMBeanServer().getAttribute(name, "Nodes");
  }

  @Test
  void equalSettingsShareAClient_differentSettingsOpenTheirOwn() throws Exception {
    long base = raw.currentConnections();

    create("first", tls(), alice());
    long one = awaitConnections(c -> c == base + 1, "the first TLS+SASL cache opens one connection");

    // equal settings, built separately: same trust file, same user, same password file
    assertEquals(alice(), alice());
    assertEquals(tls(), tls());
    create("second", tls(), alice());
    Thread.sleep(200);
    assertEquals(one, raw.currentConnections(), "a cache with equal TLS and SASL settings shares the connection");
    assertEquals(1, nodesOverJmx().length, "one client in the manager bean");

    create("bob", tls(), bob());
    awaitConnections(c -> c == base + 2, "another SASL user gets its own connection");

    create("jdk-engine", tls().toBuilder().engine(TlsSettings.Engine.JDK).build(), alice());
    awaitConnections(c -> c == base + 3, "other TLS settings get their own connection");
    String[] nodes = nodesOverJmx();
    assertEquals(3, nodes.length, "three clients: " + String.join("; ", nodes));
    for (String node : nodes) {
      assertTrue(node.contains("tls") && node.contains("sasl"), node);
    }

    // and a cache with the first settings again still shares
    create("third", tls(), alice());
    Thread.sleep(200);
    assertEquals(base + 3, raw.currentConnections(), "still three connections");

    SecurityFixtures.close(manager);
    awaitConnections(c -> c == base, "closing the manager closes every connection");
    manager = null;
  }

  @Test
  void sasl_withEqualUserButInMemoryPasswords_areDistinctSettings() {
    // Secret.of values are equal only to themselves, so these do not share (by design: no comparing secrets)
    SaslSettings a = SaslSettings.builder().username(ALICE).password(Secret.of(ALICE_PASSWORD)).build();
    SaslSettings b = SaslSettings.builder().username(ALICE).password(Secret.of(ALICE_PASSWORD)).build();
    assertNotEquals(a, b);
    assertEquals(a, a.toBuilder().build(), "the same secret instance: equal");
  }

  @Test
  @SuppressWarnings("unchecked")
  void getConfiguration_returnsTheSettingsGiven_withoutSecretsInToString() {
    byte[] key = material();
    KeyRing ring = KeyRing.of(EncryptionKey.of(7, EncryptionKey.State.PRIMARY, key));
    EncryptionSettings encryption = EncryptionSettings.builder().keyRing(KeyRingSource.of(ring))
        .algorithm(EncryptionSettings.Algorithm.AES_256_GCM_SIV).build();
    String keyPassword = "client-key-pw-" + Long.toHexString(System.nanoTime());
    TlsSettings tls = tls().toBuilder().clientKeyPassword(Secret.of(keyPassword)).build();
    SaslSettings sasl = SaslSettings.builder().username(ALICE).password(Secret.of(ALICE_PASSWORD))
        .mechanisms(List.of("SCRAM-SHA-256")).build();
    String name = SecurityFixtures.uniqueName("configured");
    Cache<String, String> cache = manager.createCache(name,
        SecurityFixtures.strings().setTls(tls).setSasl(sasl).setEncryption(encryption));
    cache.put("k", "v");
    assertEquals("v", cache.get("k"));

    MemcachedConfiguration<String, String> read = cache.getConfiguration(MemcachedConfiguration.class);
    assertEquals(tls, read.getTls().orElseThrow());
    assertEquals(sasl, read.getSasl().orElseThrow());
    assertEquals(encryption, read.getEncryption().orElseThrow());
    assertEquals(EncryptionSettings.Algorithm.AES_256_GCM_SIV, read.getEncryption().orElseThrow().algorithm());
    assertEquals(ALICE, read.getSasl().orElseThrow().username());

    String[] texts = {read.toString(), tls.toString(), sasl.toString(), encryption.toString(), ring.toString(),
        String.valueOf(cache.getConfiguration(javax.cache.configuration.CompleteConfiguration.class))};
    for (String text : texts) {
      assertFalse(text.contains(ALICE_PASSWORD), "the SASL password in: " + text);
      assertFalse(text.contains(keyPassword), "the client key password in: " + text);
      assertFalse(text.contains(Base64.getEncoder().encodeToString(key)), "key material (base64) in: " + text);
      assertFalse(text.contains(Base64.getUrlEncoder().withoutPadding().encodeToString(key)), "key material in: " + text);
      assertFalse(text.toLowerCase().contains(HexFormat.of().formatHex(key)), "key material (hex) in: " + text);
    }
    assertTrue(read.toString().contains(ALICE), "the settings are shown (user name): " + read);
  }
}
