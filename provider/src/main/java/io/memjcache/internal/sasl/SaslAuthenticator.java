package io.memjcache.internal.sasl;

import io.memjcache.config.SaslSettings;
import io.memjcache.internal.protocol.Opcode;
import io.memjcache.internal.protocol.Request;
import io.memjcache.internal.protocol.Response;
import io.memjcache.internal.protocol.Status;
import io.memjcache.internal.sasl.AuthenticationException.Reason;
import io.memjcache.internal.sasl.Mechanism.MechanismException;
import io.memjcache.internal.transport.Connection;
import io.memjcache.internal.transport.ConnectionStage;
import io.memjcache.internal.transport.SingleCommand;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The SASL exchange of memcached's binary protocol as a {@link ConnectionStage}: every connection,
 * reconnects included, lists the server's mechanisms, picks one (the first of the configured list
 * the server offers, or else the strongest both sides support), and runs SASL_AUTH and SASL_STEP
 * until the server answers success. Fails closed: a server that does not speak SASL, offers
 * ANONYMOUS, or shares no mechanism is an {@link AuthenticationException}, never "no auth needed".
 * The password is read from its {@link io.memjcache.config.Secret} on every attempt, so a rotated
 * secret is used on the next connection.
 */
public final class SaslAuthenticator implements ConnectionStage {
  private static final System.Logger LOG = System.getLogger(SaslAuthenticator.class.getName());
  private static final String ANONYMOUS = "ANONYMOUS";
  /** No mechanism here needs more than three round trips; a server asking for more is looping. */
  private static final int MAX_STEPS = 8;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SaslSettings settings;
  private final Predicate<Connection> tls;
  private final Supplier<String> nonces;
  private final Set<String> warnedAnonymous = ConcurrentHashMap.newKeySet();

  /** Sends a request on the connection being authenticated and returns its response, whatever the status. */
  @FunctionalInterface
  interface Exchange {
    CompletableFuture<Response> send(Request request);
  }

  public SaslAuthenticator(SaslSettings settings) {
    this(settings, SaslAuthenticator::hasTls, SaslAuthenticator::randomNonce);
  }

  /** For tests: how TLS is detected, and where SCRAM client nonces come from. */
  SaslAuthenticator(SaslSettings settings, Predicate<Connection> tls, Supplier<String> nonces) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.tls = Objects.requireNonNull(tls, "tls");
    this.nonces = Objects.requireNonNull(nonces, "nonces");
  }

  public SaslSettings settings() {
    return settings;
  }

  /** Authenticates the connection and records on it the mechanism and user, for monitoring. */
  @Override
  public CompletionStage<Void> run(Connection connection) {
    return authenticateWith(connection.node(), tls.test(connection),
        request -> connection.send(new SingleCommand<>(request, (response, node) -> response)))
        .thenAccept(mechanism -> connection.authenticated(mechanism, settings.username()));
  }

  /** Whether TLS runs below the binary protocol on this connection. */
  static boolean hasTls(Connection connection) {
    return connection.channel().pipeline().get(SslHandler.class) != null;
  }

  /** 24 random bytes in base64: printable, without ','. */
  static String randomNonce() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  CompletableFuture<Void> authenticate(String node, boolean tlsConnection, Exchange exchange) {
    return authenticateWith(node, tlsConnection, exchange).thenApply(mechanism -> null);
  }

  /** {@link #authenticate}, completing with the name of the mechanism that succeeded. */
  private CompletableFuture<String> authenticateWith(String node, boolean tlsConnection, Exchange exchange) {
    return exchange.send(Request.bare(Opcode.SASL_LIST_MECHS))
        .thenCompose(response -> {
          String mechanism = choose(node, tlsConnection, offered(node, response));
          Mechanism client = create(node, mechanism);
          try {
            return start(node, client, exchange).whenComplete((ok, error) -> client.close())
                .thenApply(ok -> mechanism);
          } catch (RuntimeException e) {
            client.close();
            throw e;
          }
        })
        .<String>handle((mechanism, error) -> {
          if (error == null) {
            LOG.log(System.Logger.Level.DEBUG, () -> "authenticated as " + settings.username() + " on " + node);
            return mechanism;
          }
          throw new CompletionException(describe(node, unwrap(error)));
        });
  }

  private List<String> offered(String node, Response response) {
    if (response.status() == Status.UNKNOWN_COMMAND || response.status() == Status.NOT_SUPPORTED) {
      throw notSupported(node, "SASL_LIST_MECHS", response);
    }
    if (response.status() != Status.NO_ERROR) {
      throw new AuthenticationException(Reason.PROTOCOL_VIOLATION, node, "server " + node
          + " answered SASL_LIST_MECHS with status " + statusText(response) + "; refusing to continue unauthenticated");
    }
    List<String> offered = new ArrayList<>();
    for (String name : response.valueAsString().trim().split("\\s+")) {
      if (!name.isEmpty()) {
        offered.add(name.toUpperCase(Locale.ROOT));
      }
    }
    if (offered.isEmpty()) {
      throw new AuthenticationException(Reason.NO_COMMON_MECHANISM, node, "server " + node
          + " offers no SASL mechanism; refusing to continue unauthenticated");
    }
    return offered;
  }

  /** The mechanism to use, or an {@link AuthenticationException} saying why there is none. */
  String choose(String node, boolean tlsConnection, List<String> offered) {
    if (offered.contains(ANONYMOUS)) {
      if (warnedAnonymous.add(node)) {
        LOG.log(System.Logger.Level.WARNING, "memcached " + node + " offers the SASL mechanism ANONYMOUS: anyone can"
            + " read and write it without a password (check mech_list in its SASL configuration)");
      }
      // The settings cannot name ANONYMOUS (it is not a supported mechanism), so it is always refused.
      if (!settings.mechanisms().contains(ANONYMOUS)) {
        throw new AuthenticationException(Reason.ANONYMOUS_OFFERED, node, "server " + node
            + " offers SASL ANONYMOUS, so anyone can use it without a password; refusing to use it"
            + " (offered: " + offered + "; fix mech_list in the server's SASL configuration)");
      }
    }
    boolean pinned = !settings.mechanisms().isEmpty();
    List<String> allowed = pinned ? settings.mechanisms() : SaslSettings.SUPPORTED_MECHANISMS;
    for (String candidate : allowed) {
      if (!offered.contains(candidate)) {
        continue;
      }
      if (candidate.equals(PlainMechanism.NAME) && !tlsConnection && !settings.allowPlainWithoutTls()) {
        throw new AuthenticationException(Reason.PLAIN_WITHOUT_TLS, node, "SASL PLAIN would send the password for user '"
            + settings.username() + "' in clear to " + node + ", a connection without TLS; use TLS, a stronger mechanism"
            + " (server offers " + offered + "), or set allowPlainWithoutTls to accept the risk");
      }
      return candidate;
    }
    throw new AuthenticationException(Reason.NO_COMMON_MECHANISM, node, "no SASL mechanism in common with " + node
        + ": the server offers " + offered + ", the client " + (pinned ? "is configured for " : "supports ") + allowed);
  }

  private Mechanism create(String node, String mechanism) {
    char[] password;
    try {
      password = settings.password().reveal();
    } catch (RuntimeException e) {
      throw new AuthenticationException(Reason.SECRET_UNAVAILABLE, node, "cannot read the SASL password for user '"
          + settings.username() + "' from " + settings.password().source() + ": " + e.getMessage(), e);
    }
    if (password.length == 0) {
      throw new AuthenticationException(Reason.SECRET_UNAVAILABLE, node, "the SASL password for user '"
          + settings.username() + "' from " + settings.password().source() + " is empty");
    }
    try {
      switch (mechanism) {
        case "SCRAM-SHA-256":
          return new ScramMechanism(ScramMechanism.Variant.SHA_256, settings.username(), password.clone(), nonces.get());
        case "SCRAM-SHA-1":
          return new ScramMechanism(ScramMechanism.Variant.SHA_1, settings.username(), password.clone(), nonces.get());
        case "CRAM-MD5":
          return new CramMd5Mechanism(settings.username(), utf8(password));
        case "PLAIN":
          return new PlainMechanism(settings.username(), utf8(password));
        default:
          throw new IllegalStateException("no client for SASL mechanism " + mechanism);
      }
    } catch (IllegalArgumentException e) {
      throw new AuthenticationException(Reason.SECRET_UNAVAILABLE, node, "cannot use the credentials of user '"
          + settings.username() + "' with " + mechanism + ": " + e.getMessage(), e);
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  private CompletableFuture<Void> start(String node, Mechanism client, Exchange exchange) {
    byte[] mechanism = client.name().getBytes(StandardCharsets.US_ASCII);
    byte[] first = client.initialResponse();
    return exchange.send(Request.sasl(Opcode.SASL_AUTH, mechanism, first))
        .whenComplete((r, e) -> Arrays.fill(first, (byte) 0))
        .thenCompose(response -> answer(node, client, exchange, Opcode.SASL_AUTH, response, 1));
  }

  private CompletableFuture<Void> answer(String node, Mechanism client, Exchange exchange, byte opcode,
      Response response, int step) {
    switch (response.status()) {
      case NO_ERROR:
        complete(node, client, response.value());
        return CompletableFuture.completedFuture(null);
      case AUTH_CONTINUE: {
        if (step >= MAX_STEPS) {
          throw failure(node, client, Reason.PROTOCOL_VIOLATION, "the server kept asking for more steps");
        }
        byte[] next = evaluate(node, client, response.value());
        byte[] mechanism = client.name().getBytes(StandardCharsets.US_ASCII);
        return exchange.send(Request.sasl(Opcode.SASL_STEP, mechanism, next))
            .whenComplete((r, e) -> Arrays.fill(next, (byte) 0))
            .thenCompose(r -> answer(node, client, exchange, Opcode.SASL_STEP, r, step + 1));
      }
      case AUTH_ERROR:
        throw new AuthenticationException(Reason.CREDENTIALS_REJECTED, node, "authentication as user '"
            + settings.username() + "' with " + client.name() + " was refused by " + node
            + " (wrong user name or password?)" + serverSays(response));
      case UNKNOWN_COMMAND:
      case NOT_SUPPORTED:
        throw notSupported(node, Opcode.name(opcode), response);
      default:
        throw failure(node, client, Reason.PROTOCOL_VIOLATION, Opcode.name(opcode) + " was answered with status "
            + statusText(response));
    }
  }

  private byte[] evaluate(String node, Mechanism client, byte[] challenge) {
    try {
      return client.evaluateChallenge(challenge);
    } catch (MechanismException e) {
      throw failure(node, client, e.reason(), e.getMessage());
    }
  }

  private void complete(String node, Mechanism client, byte[] data) {
    try {
      client.complete(data);
    } catch (MechanismException e) {
      throw failure(node, client, e.reason(), e.getMessage());
    }
  }

  private AuthenticationException failure(String node, Mechanism client, Reason reason, String detail) {
    return new AuthenticationException(reason, node, "SASL authentication as user '" + settings.username() + "' with "
        + client.name() + " on " + node + " failed: " + detail);
  }

  private static AuthenticationException notSupported(String node, String opcode, Response response) {
    return new AuthenticationException(Reason.SASL_NOT_SUPPORTED, node, "server " + node
        + " does not support SASL (" + opcode + " answered " + statusText(response)
        + "); refusing to continue unauthenticated");
  }

  /** Adds the server and user to a transport failure (a close or timeout in the middle of the exchange). */
  private Throwable describe(String node, Throwable error) {
    if (error instanceof AuthenticationException) {
      return error;
    }
    if (error instanceof io.memjcache.internal.transport.MemcachedTimeoutException) {
      return error;
    }
    String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    return new io.memjcache.internal.transport.ConnectionException("SASL authentication as user '"
        + settings.username() + "' on " + node + " did not complete: " + message, error);
  }

  private static String statusText(Response response) {
    return Status.of(response.statusCode()) + String.format(" (0x%04x)", response.statusCode()) + serverSays(response);
  }

  private static String serverSays(Response response) {
    String text = response.valueAsString();
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < text.length() && b.length() < 80; i++) {
      char c = text.charAt(i);
      b.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return b.length() == 0 ? "" : "; server says: " + b;
  }

  private static Throwable unwrap(Throwable error) {
    while (error instanceof CompletionException && error.getCause() != null) {
      error = error.getCause();
    }
    return error;
  }

  private static byte[] utf8(char[] chars) {
    java.nio.ByteBuffer buffer = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(chars));
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    if (buffer.hasArray()) {
      Arrays.fill(buffer.array(), (byte) 0);
    }
    return bytes;
  }

  @Override
  public String toString() {
    return "SaslAuthenticator{" + settings + "}";
  }
}
