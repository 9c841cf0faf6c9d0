package io.memjcache.internal.sasl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.config.SaslSettings;
import io.memjcache.config.Secret;
import io.memjcache.internal.client.ClientSettings;
import io.memjcache.internal.client.MemcachedClient;
import io.memjcache.internal.protocol.Opcode;
import io.memjcache.internal.protocol.Response;
import io.memjcache.internal.sasl.AuthenticationException.Reason;
import io.memjcache.internal.sasl.FakeSaslServer.Fault;
import io.memjcache.internal.transport.ConnectionException;
import io.memjcache.internal.transport.ConnectionSettings;
import io.memjcache.internal.transport.MemcachedException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The SASL stage against a scripted memcached: every mechanism, and every way a server can let us down. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SaslAuthenticatorTest {
  private static final ConnectionSettings SETTINGS = ConnectionSettings.DEFAULTS
      .withOperationTimeout(Duration.ofSeconds(3)).withConnectTimeout(Duration.ofSeconds(3));
  private static final String ALL = "PLAIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256";
  private static final String PASSWORD = "correct horse";

  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeEverything() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private FakeSaslServer server(String mechanisms, Fault fault) throws Exception {
    FakeSaslServer server = FakeSaslServer.start(mechanisms, "alice", PASSWORD, fault);
    toClose.add(server);
    return server;
  }

  private MemcachedClient client(FakeSaslServer server, SaslSettings sasl) {
    MemcachedClient client = new MemcachedClient(
        new ClientSettings(List.of(server.address()), SETTINGS, null, List.of(new SaslAuthenticator(sasl))));
    toClose.add(client);
    return client;
  }

  private static SaslSettings.Builder alice(String password) {
    return SaslSettings.builder().username("alice").password(Secret.of(password));
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void setAndGet(MemcachedClient client) {
    MemcachedClient.await(client.set(b("k"), b("v"), 0, 0), 5000);
    assertArrayEquals(b("v"), MemcachedClient.await(client.get(b("k")), 5000).value());
  }

  private static MemcachedException failure(MemcachedClient client) {
    return assertThrows(MemcachedException.class, () -> MemcachedClient.await(client.set(b("k"), b("v"), 0, 0), 5000));
  }

  private static AuthenticationException authFailure(MemcachedClient client, Reason reason) {
    AuthenticationException e = assertInstanceOf(AuthenticationException.class, failure(client));
    assertEquals(reason, e.reason(), e.getMessage());
    assertFalse(e.getMessage().contains(PASSWORD), "the password leaked: " + e.getMessage());
    return e;
  }

  // ------------------------------------------------------------------ success

  @ParameterizedTest
  @ValueSource(strings = {"PLAIN", "CRAM-MD5", "SCRAM-SHA-1", "SCRAM-SHA-256"})
  void pinnedMechanism_rightPassword_authenticatesAndCommandsFlow(String mechanism) throws Exception {
    FakeSaslServer server = server(ALL, Fault.NONE);
    MemcachedClient client = client(server, alice(PASSWORD).mechanisms(List.of(mechanism)).allowPlainWithoutTls(true).build());

    setAndGet(client);

    assertEquals(List.of(mechanism), server.mechanismsUsed());
    assertEquals(1, server.authenticated());
  }

  @Test
  void defaultChoice_serverOffersAll_usesScramSha256() throws Exception {
    FakeSaslServer server = server(ALL, Fault.NONE);
    setAndGet(client(server, alice(PASSWORD).build()));
    assertEquals(List.of("SCRAM-SHA-256"), server.mechanismsUsed());
  }

  @Test
  void defaultChoice_serverOffersWeakerOnes_usesTheStrongestOffered() throws Exception {
    FakeSaslServer server = server("PLAIN CRAM-MD5 SCRAM-SHA-1", Fault.NONE);
    setAndGet(client(server, alice(PASSWORD).build()));
    assertEquals(List.of("SCRAM-SHA-1"), server.mechanismsUsed());
  }

  @Test
  void pinnedList_isHonouredInOrder() throws Exception {
    FakeSaslServer server = server(ALL, Fault.NONE);
    setAndGet(client(server, alice(PASSWORD).mechanisms(List.of("CRAM-MD5", "SCRAM-SHA-256")).build()));
    assertEquals(List.of("CRAM-MD5"), server.mechanismsUsed());
  }

  @Test
  void pinnedList_firstNotOffered_fallsToTheNextPinned() throws Exception {
    FakeSaslServer server = server("CRAM-MD5 SCRAM-SHA-1", Fault.NONE);
    setAndGet(client(server, alice(PASSWORD).mechanisms(List.of("SCRAM-SHA-256", "SCRAM-SHA-1")).build()));
    assertEquals(List.of("SCRAM-SHA-1"), server.mechanismsUsed());
  }

  @Test
  void rotatedCallbackPassword_isReadAgainOnReconnect() throws Exception {
    FakeSaslServer server = server(ALL, Fault.NONE);
    AtomicReference<String> current = new AtomicReference<>(PASSWORD);
    AtomicInteger reads = new AtomicInteger();
    Secret secret = Secret.from("test rotation", () -> {
      reads.incrementAndGet();
      return current.get().toCharArray();
    });
    MemcachedClient client = client(server, SaslSettings.builder().username("alice").password(secret).build());
    setAndGet(client);

    server.password("rotated secret");
    current.set("rotated secret");
    server.fake().peer(0).close();

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (true) {
      try {
        setAndGet(client);
        break;
      } catch (MemcachedException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(20);
      }
    }
    assertEquals(2, server.authenticated());
    assertEquals(2, reads.get());
  }

  // ------------------------------------------------------------------ refusals

  @Test
  void wrongPassword_isAnAuthenticationErrorNamingServerUserAndMechanism() throws Exception {
    FakeSaslServer server = server(ALL, Fault.NONE);
    MemcachedClient client = client(server, alice("wrong password").build());

    AuthenticationException e = authFailure(client, Reason.CREDENTIALS_REJECTED);

    assertTrue(e.getMessage().contains(server.node()), e.getMessage());
    assertTrue(e.getMessage().contains("'alice'"), e.getMessage());
    assertTrue(e.getMessage().contains("SCRAM-SHA-256"), e.getMessage());
    assertFalse(e.getMessage().contains("wrong password"), e.getMessage());
    assertEquals(server.node(), e.node());
  }

  @Test
  void wrongPassword_backsOffInsteadOfReconnectingInAStorm() throws Exception {
    FakeSaslServer server = server(ALL, Fault.NONE);
    MemcachedClient client = client(server, alice("wrong").mechanisms(List.of("CRAM-MD5")).build());

    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2200);
    int failures = 0;
    while (System.nanoTime() < end) {
      MemcachedException e = failure(client);
      Throwable cause = e instanceof AuthenticationException ? e : e.getCause();
      assertInstanceOf(AuthenticationException.class, cause, e.getMessage());
      failures++;
      Thread.sleep(10);
    }
    // Back-off 1 s, then 2 s: an attempt at 0 s and one at about 1 s. The ordinary back-off
    // (50 ms doubling) would have made six.
    assertTrue(failures > 20, "callers keep failing fast: " + failures);
    assertTrue(server.connections() >= 2 && server.connections() <= 3, "connections: " + server.connections());
    assertEquals(server.connections(), server.saslAuths());
  }

  @Test
  void downgrade_listMechsUnknownCommand_isRefused() throws Exception {
    FakeSaslServer server = server(ALL, Fault.LIST_MECHS_UNKNOWN_COMMAND);
    MemcachedClient client = client(server, alice(PASSWORD).build());

    AuthenticationException e = authFailure(client, Reason.SASL_NOT_SUPPORTED);

    assertTrue(e.getMessage().contains("server " + server.node() + " does not support SASL"), e.getMessage());
    assertTrue(e.getMessage().endsWith("refusing to continue unauthenticated"), e.getMessage());
    assertTrue(e.getMessage().contains("UNKNOWN_COMMAND"), e.getMessage());
    // Nothing but the mechanism list was asked: no command ran unauthenticated.
    assertEquals(List.of(Opcode.SASL_LIST_MECHS),
        server.fake().received().stream().map(f -> f.opcode()).distinct().toList());
  }

  @Test
  void downgrade_authNotSupported_isRefused() throws Exception {
    FakeSaslServer server = server(ALL, Fault.AUTH_NOT_SUPPORTED);
    AuthenticationException e = authFailure(client(server, alice(PASSWORD).build()), Reason.SASL_NOT_SUPPORTED);
    assertTrue(e.getMessage().contains("SASL_AUTH answered NOT_SUPPORTED"), e.getMessage());
  }

  @Test
  void anonymousOffered_isRefusedAndWarnedOnce() throws Exception {
    Logger jul = Logger.getLogger(SaslAuthenticator.class.getName());
    List<LogRecord> warnings = new ArrayList<>();
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
          synchronized (warnings) {
            warnings.add(record);
          }
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    jul.addHandler(handler);
    try {
      FakeSaslServer server = server("ANONYMOUS PLAIN SCRAM-SHA-256", Fault.NONE);
      SaslAuthenticator authenticator = new SaslAuthenticator(alice(PASSWORD).build());
      MemcachedClient client = new MemcachedClient(
          new ClientSettings(List.of(server.address()), SETTINGS, null, List.of(authenticator)));
      toClose.add(client);

      AuthenticationException e = authFailure(client, Reason.ANONYMOUS_OFFERED);
      assertTrue(e.getMessage().contains("ANONYMOUS"), e.getMessage());
      // Later connections to the same server are refused again, but warned about only once.
      AuthenticationException again = assertThrows(AuthenticationException.class,
          () -> authenticator.choose(server.node(), true, List.of("ANONYMOUS", "SCRAM-SHA-256")));
      assertEquals(Reason.ANONYMOUS_OFFERED, again.reason());

      assertEquals(0, server.saslAuths(), "no mechanism was tried");
      synchronized (warnings) {
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).getMessage().contains(server.node()));
      }
    } finally {
      jul.removeHandler(handler);
    }
  }

  @Test
  void noCommonMechanism_listsBothSides() throws Exception {
    FakeSaslServer server = server("DIGEST-MD5 LOGIN", Fault.NONE);
    AuthenticationException e = authFailure(client(server, alice(PASSWORD).build()), Reason.NO_COMMON_MECHANISM);
    assertTrue(e.getMessage().contains("[DIGEST-MD5, LOGIN]"), e.getMessage());
    assertTrue(e.getMessage().contains("[SCRAM-SHA-256, SCRAM-SHA-1, CRAM-MD5, PLAIN]"), e.getMessage());
  }

  @Test
  void noCommonMechanism_pinned_listsThePinnedOnes() throws Exception {
    FakeSaslServer server = server("PLAIN CRAM-MD5", Fault.NONE);
    AuthenticationException e = authFailure(
        client(server, alice(PASSWORD).mechanisms(List.of("SCRAM-SHA-256")).build()), Reason.NO_COMMON_MECHANISM);
    assertTrue(e.getMessage().contains("[PLAIN, CRAM-MD5]") && e.getMessage().contains("[SCRAM-SHA-256]"), e.getMessage());
  }

  @Test
  void plainWithoutTls_isRefusedNamingTheSetting() throws Exception {
    FakeSaslServer server = server("PLAIN", Fault.NONE);
    AuthenticationException e = authFailure(client(server, alice(PASSWORD).build()), Reason.PLAIN_WITHOUT_TLS);
    assertTrue(e.getMessage().contains("allowPlainWithoutTls"), e.getMessage());
    assertEquals(0, server.saslAuths(), "the password was never sent");
  }

  @Test
  void plainWithoutTls_allowed_works() throws Exception {
    FakeSaslServer server = server("PLAIN", Fault.NONE);
    setAndGet(client(server, alice(PASSWORD).allowPlainWithoutTls(true).build()));
    assertEquals(List.of("PLAIN"), server.mechanismsUsed());
  }

  @Test
  void plainOverTls_isAllowedWithoutTheSetting() {
    SaslAuthenticator authenticator = new SaslAuthenticator(alice(PASSWORD).build());
    assertEquals("PLAIN", authenticator.choose("h:1", true, List.of("PLAIN")));
    assertThrows(AuthenticationException.class, () -> authenticator.choose("h:1", false, List.of("PLAIN")));
  }

  @Test
  void badServerSignature_isAnError() throws Exception {
    FakeSaslServer server = server(ALL, Fault.BAD_SERVER_SIGNATURE);
    MemcachedClient client = client(server, alice(PASSWORD).build());

    AuthenticationException e = authFailure(client, Reason.SERVER_NOT_VERIFIED);

    assertTrue(e.getMessage().contains("server signature is wrong"), e.getMessage());
    assertFalse(server.fake().received().stream().anyMatch(f -> f.opcode() == Opcode.SET), "no command was sent");
  }

  @Test
  void successWithoutServerSignature_isAnError() throws Exception {
    FakeSaslServer server = server(ALL, Fault.SUCCESS_WITHOUT_SIGNATURE);
    AuthenticationException e = authFailure(client(server, alice(PASSWORD).build()), Reason.SERVER_NOT_VERIFIED);
    assertTrue(e.getMessage().contains("without proving"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"CLOSE_ON_AUTH", "CLOSE_ON_STEP"})
  void serverClosesMidExchange_isAConnectionErrorNotAHang(String fault) throws Exception {
    FakeSaslServer server = server(ALL, Fault.valueOf(fault));
    MemcachedClient client = client(server, alice(PASSWORD).build());

    MemcachedException e = failure(client);

    assertInstanceOf(ConnectionException.class, e);
    assertFalse(e instanceof AuthenticationException, e.getMessage());
    assertTrue(e.getMessage().contains("SASL authentication as user 'alice' on " + server.node()), e.getMessage());
    assertEquals(0, server.authenticated());
  }

  @Test
  void unreadableSecret_namesItsSourceNotAValue() throws Exception {
    FakeSaslServer server = server(ALL, Fault.NONE);
    String variable = "MEMJCACHE_TEST_SURELY_UNSET_" + System.nanoTime();
    MemcachedClient client = client(server,
        SaslSettings.builder().username("alice").password(Secret.fromEnvironment(variable)).build());
    AuthenticationException e = authFailure(client, Reason.SECRET_UNAVAILABLE);
    assertTrue(e.getMessage().contains("env:" + variable), e.getMessage());
  }

  @Test
  void emptyPassword_isRefusedBeforeSending() throws Exception {
    FakeSaslServer server = server(ALL, Fault.NONE);
    authFailure(client(server, SaslSettings.builder().username("alice").password(Secret.of("")).build()),
        Reason.SECRET_UNAVAILABLE);
    assertEquals(0, server.saslAuths());
  }

  // ------------------------------------------------------------------ exchange rules without a socket

  @Test
  void serverThatNeverStopsContinuing_isAProtocolViolation() {
    SaslAuthenticator authenticator = new SaslAuthenticator(
        alice(PASSWORD).mechanisms(List.of("PLAIN")).allowPlainWithoutTls(true).build());
    AtomicInteger sent = new AtomicInteger();
    CompletableFuture<Void> result = authenticator.authenticate("h:1", false, request -> {
      sent.incrementAndGet();
      byte[] value = request.opcode() == Opcode.SASL_LIST_MECHS ? b("PLAIN") : b("more");
      int status = request.opcode() == Opcode.SASL_LIST_MECHS ? 0 : 0x21;
      return CompletableFuture.completedFuture(
          new Response(request.opcode(), status, 1, 0L, new byte[0], new byte[0], value));
    });
    CompletionException e = assertThrows(CompletionException.class, result::join);
    AuthenticationException cause = assertInstanceOf(AuthenticationException.class, e.getCause());
    assertEquals(Reason.PROTOCOL_VIOLATION, cause.reason());
    assertTrue(sent.get() <= 10, "gave up after a bounded number of steps: " + sent.get());
  }

  @Test
  void listMechsAuthError_isRefusedNotIgnored() {
    SaslAuthenticator authenticator = new SaslAuthenticator(alice(PASSWORD).build());
    CompletableFuture<Void> result = authenticator.authenticate("h:1", false, request ->
        CompletableFuture.completedFuture(new Response(request.opcode(), 0x84, 1, 0L, new byte[0], new byte[0], b("Oops"))));
    AuthenticationException cause = assertInstanceOf(AuthenticationException.class,
        assertThrows(CompletionException.class, result::join).getCause());
    assertTrue(cause.getMessage().contains("refusing to continue unauthenticated"), cause.getMessage());
  }

  @Test
  void toString_showsNoPassword() {
    SaslAuthenticator authenticator = new SaslAuthenticator(alice(PASSWORD).build());
    assertNotNull(authenticator.settings());
    assertFalse(authenticator.toString().contains(PASSWORD), authenticator.toString());
  }
}
