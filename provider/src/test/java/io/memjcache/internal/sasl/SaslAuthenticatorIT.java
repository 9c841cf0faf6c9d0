package io.memjcache.internal.sasl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.memjcache.config.SaslSettings;
import io.memjcache.config.Secret;
import io.memjcache.internal.client.ClientSettings;
import io.memjcache.internal.client.MemcachedClient;
import io.memjcache.internal.sasl.AuthenticationException.Reason;
import io.memjcache.internal.transport.ConnectionSettings;
import io.memjcache.internal.transport.ConnectionStage;
import io.memjcache.internal.transport.MemcachedException;
import io.memjcache.testing.MemcachedServer;
import io.memjcache.testing.MemcachedTest;
import io.memjcache.testing.SaslFeature;
import io.memjcache.testing.ServerOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SASL against a real memcached ({@code -S}, sasldb made at test time): every mechanism, the
 * choice rules, refusals, back-off after a wrong password, and re-authentication after a restart
 * and with a rotated secret. The class server offers all four mechanisms; tests that restart a
 * server or change its users start their own.
 */
@MemcachedTest(options = SaslAuthenticatorIT.AllMechanisms.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SaslAuthenticatorIT {
  static final String USER = "alice";
  static final String PASSWORD = "alice's s3cret, with = and spaces";
  private static final ConnectionSettings SETTINGS = ConnectionSettings.DEFAULTS
      .withOperationTimeout(Duration.ofSeconds(3)).withConnectTimeout(Duration.ofSeconds(5));

  /** memcached with PLAIN, CRAM-MD5, SCRAM-SHA-1 and SCRAM-SHA-256, and one user. */
  public static final class AllMechanisms implements Supplier<ServerOptions> {
    @Override
    public ServerOptions get() {
      return ServerOptions.builder().feature(SaslFeature.builder()
          .mechanisms("PLAIN", "CRAM-MD5", "SCRAM-SHA-1", "SCRAM-SHA-256")
          .user(USER, PASSWORD)
          .build()).build();
    }
  }

  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeEverything() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private MemcachedClient client(MemcachedServer server, ConnectionStage... stages) {
    MemcachedClient client = new MemcachedClient(
        new ClientSettings(List.of(server.address()), SETTINGS, null, List.of(stages)));
    toClose.add(client);
    return client;
  }

  private RecordingStage stage(SaslSettings settings) {
    return new RecordingStage(new SaslAuthenticator(settings));
  }

  private static SaslSettings.Builder alice(String password) {
    return SaslSettings.builder().username(USER).password(Secret.of(password));
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void setAndGet(MemcachedClient client, String key) {
    MemcachedClient.await(client.set(b(key), b("value of " + key), 0, 0), 5000);
    assertArrayEquals(b("value of " + key), MemcachedClient.await(client.get(b(key)), 5000).value());
  }

  /** Retries through the reconnect back-off until an operation succeeds. */
  private static void eventuallySetAndGet(MemcachedClient client, String key) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (true) {
      try {
        setAndGet(client, key);
        return;
      } catch (MemcachedException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(25);
      }
    }
  }

  private static MemcachedException failure(MemcachedClient client) {
    return assertThrows(MemcachedException.class, () -> MemcachedClient.await(client.set(b("k"), b("v"), 0, 0), 10_000));
  }

  // ------------------------------------------------------------------ mechanisms and choice

  @ParameterizedTest
  @ValueSource(strings = {"PLAIN", "CRAM-MD5", "SCRAM-SHA-1", "SCRAM-SHA-256"})
  void eachMechanism_authenticatesAndGetSetWork(String mechanism, MemcachedServer server) {
    RecordingStage stage = stage(alice(PASSWORD).mechanisms(List.of(mechanism)).allowPlainWithoutTls(true).build());
    MemcachedClient client = client(server, stage);

    setAndGet(client, "each-" + mechanism);

    assertEquals(List.of(mechanism), stage.mechanisms());
    assertEquals(1, stage.runs());
  }

  @Test
  void defaultChoice_picksTheStrongest(MemcachedServer server) {
    RecordingStage stage = stage(alice(PASSWORD).build());
    setAndGet(client(server, stage), "default");
    assertEquals(List.of("SCRAM-SHA-256"), stage.mechanisms());
  }

  @Test
  void pinnedList_isHonoured(MemcachedServer server) {
    RecordingStage stage = stage(alice(PASSWORD).mechanisms(List.of("CRAM-MD5", "SCRAM-SHA-256")).build());
    setAndGet(client(server, stage), "pinned");
    assertEquals(List.of("CRAM-MD5"), stage.mechanisms());
  }

  @Test
  void withoutAuthenticator_theServerRefusesUs(MemcachedServer server) {
    MemcachedException e = failure(client(server));
    assertFalse(e instanceof AuthenticationException);
    assertTrue(e.getMessage().contains("AUTH_ERROR"), e.getMessage());
  }

  // ------------------------------------------------------------------ refusals

  @Test
  void wrongPassword_authenticationErrorAndNoReconnectStorm(MemcachedServer server) throws Exception {
    RecordingStage stage = stage(alice("not the password").build());
    MemcachedClient client = client(server, stage);

    AuthenticationException first = assertInstanceOf(AuthenticationException.class, failure(client));
    assertEquals(Reason.CREDENTIALS_REJECTED, first.reason());
    assertTrue(first.getMessage().contains(server.hostAndPort()), first.getMessage());
    assertTrue(first.getMessage().contains("'" + USER + "'") && first.getMessage().contains("SCRAM-SHA-256"),
        first.getMessage());
    assertFalse(first.getMessage().contains("not the password"), first.getMessage());

    // Keep calling for about two seconds: callers fail fast during the back-off (1 s, then 2 s),
    // so the server sees at most three attempts; the ordinary back-off would have made six or more.
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2100);
    int calls = 0;
    while (System.nanoTime() < end) {
      MemcachedException e = failure(client);
      assertInstanceOf(AuthenticationException.class, e instanceof AuthenticationException ? e : e.getCause(),
          e.getMessage());
      calls++;
      Thread.sleep(10);
    }
    assertTrue(calls > 20, "calls: " + calls);
    assertTrue(stage.runs() >= 2 && stage.runs() <= 3, "connection attempts: " + stage.runs());
  }

  @Test
  void plainWithoutTls_isRefusedNamingTheSetting(MemcachedServer server) {
    RecordingStage stage = stage(alice(PASSWORD).mechanisms(List.of("PLAIN")).build());
    AuthenticationException e = assertInstanceOf(AuthenticationException.class, failure(client(server, stage)));
    assertEquals(Reason.PLAIN_WITHOUT_TLS, e.reason());
    assertTrue(e.getMessage().contains("allowPlainWithoutTls"), e.getMessage());
    assertEquals(List.of(), stage.mechanisms(), "the password was never sent");
  }

  @Test
  void serverWithoutSasl_isRefusedNotUsedUnauthenticated() {
    MemcachedServer plain = MemcachedServer.start();
    toClose.add(plain);
    AuthenticationException e = assertInstanceOf(AuthenticationException.class,
        failure(client(plain, stage(alice(PASSWORD).build()))));
    assertEquals(Reason.SASL_NOT_SUPPORTED, e.reason());
    assertTrue(e.getMessage().contains("does not support SASL") && e.getMessage().contains("UNKNOWN_COMMAND")
        && e.getMessage().contains("refusing to continue unauthenticated"), e.getMessage());
  }

  // ------------------------------------------------------------------ reconnects and secrets

  @Test
  void serverRestart_reauthenticatesOnReconnect() throws Exception {
    MemcachedServer server = MemcachedServer.start(new AllMechanisms().get());
    toClose.add(server);
    RecordingStage stage = stage(alice(PASSWORD).build());
    MemcachedClient client = client(server, stage);
    setAndGet(client, "before");

    server.kill();
    server.restart();
    eventuallySetAndGet(client, "after");

    assertEquals(2, stage.runs(), "one authentication per connection");
    assertEquals(List.of("SCRAM-SHA-256", "SCRAM-SHA-256"), stage.mechanisms());
  }

  @Test
  void passwordFromEnvironment_works() throws Exception {
    String variable = System.getenv("HOME") != null ? "HOME" : "PATH";
    String value = System.getenv(variable);
    assumeTrue(value != null && !value.isEmpty(), "needs HOME or PATH in the environment");
    // The test JVM cannot set its own environment, so the user's password is an existing variable's value.
    MemcachedServer server = MemcachedServer.start(ServerOptions.builder()
        .feature(SaslFeature.builder().mechanisms("SCRAM-SHA-256").user("envuser", value).build()).build());
    toClose.add(server);
    SaslSettings sasl = SaslSettings.builder().username("envuser").password(Secret.fromEnvironment(variable)).build();

    setAndGet(client(server, stage(sasl)), "env");
  }

  @Test
  void passwordFromCallback_rotatedValueIsUsedOnReconnect() throws Exception {
    MemcachedServer server = MemcachedServer.start(ServerOptions.builder()
        .feature(SaslFeature.builder().mechanisms("SCRAM-SHA-256", "CRAM-MD5").user("bob", "first-secret").build())
        .build());
    toClose.add(server);
    AtomicReference<String> current = new AtomicReference<>("first-secret");
    AtomicInteger reads = new AtomicInteger();
    Secret secret = Secret.from("rotating test secret", () -> {
      reads.incrementAndGet();
      return current.get().toCharArray();
    });
    RecordingStage stage = stage(SaslSettings.builder().username("bob").password(secret).build());
    MemcachedClient client = client(server, stage);
    setAndGet(client, "first");

    changePassword(server, "bob", "second-secret");
    current.set("second-secret");
    server.kill();
    server.restart();
    eventuallySetAndGet(client, "second");

    assertEquals(2, stage.runs());
    assertEquals(2, reads.get(), "the secret is read once per authentication");
    // And the old password is really gone: a client still using it is refused.
    AuthenticationException e = assertInstanceOf(AuthenticationException.class,
        failure(client(server, stage(SaslSettings.builder().username("bob").password(Secret.of("first-secret")).build()))));
    assertEquals(Reason.CREDENTIALS_REJECTED, e.reason());
  }

  /** Changes a user's password in the server's live sasldb, keeping the file readable by memcached. */
  private static void changePassword(MemcachedServer server, String user, String password) throws Exception {
    Path db = server.workDir().resolve("sasl").resolve("sasldb2");
    PosixFileAttributeView view = Files.getFileAttributeView(db, PosixFileAttributeView.class);
    GroupPrincipal group = view.readAttributes().group();
    Set<PosixFilePermission> permissions = view.readAttributes().permissions();
    Process p = new ProcessBuilder("saslpasswd2", "-a", "memcached", "-c", "-p", "-f", db.toString(), user)
        .redirectErrorStream(true).start();
    try (var in = p.getOutputStream()) {
      in.write(password.getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("saslpasswd2 failed: " + output);
    }
    view.setGroup(group);
    Files.setPosixFilePermissions(db, permissions);
  }
}
