package io.memjcache.internal.transport;

import io.memjcache.internal.protocol.Opcode;
import io.memjcache.internal.protocol.Request;
import io.memjcache.internal.protocol.Response;
import io.memjcache.internal.protocol.Status;
import io.memjcache.internal.tls.TlsFailures;
import io.memjcache.internal.tls.TlsSecurity;
import io.memjcache.internal.tls.TlsSessionInfo;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One TCP connection to one memcached server, ready for commands once {@link #open} completes:
 * connected, through the TLS handshake when TLS is configured, through every
 * {@link ConnectionStage}, and with the server's version and item size limit read.
 */
public final class Connection implements AutoCloseable {
  private final Channel channel;
  private final CommandHandler handler;
  private final String node;
  private volatile String serverVersion = "";
  private volatile long itemSizeLimit = -1;
  private volatile TlsSessionInfo tlsSession;
  private volatile Throwable handshakeFailure;
  private volatile String saslMechanism;
  private volatile String saslUser;
  private volatile java.time.Instant readySince;

  private Connection(Channel channel, CommandHandler handler, String node) {
    this.channel = channel;
    this.handler = handler;
    this.node = node;
  }

  /**
   * Opens a connection. With {@code tls} (null for plaintext) an SslHandler for this server's own
   * name goes first in the pipeline, and the connection is handed out only after its handshake
   * succeeded; a handshake or verification failure fails the returned future with an error that
   * names the server and the reason, never falling back to plaintext. {@code stages} run in order
   * before the connection is handed out.
   */
  public static CompletableFuture<Connection> open(
      EventLoops loops,
      InetSocketAddress address,
      ConnectionSettings settings,
      TlsSecurity tls,
      List<ConnectionStage> stages) {
    String host = address.getHostString();
    int port = address.getPort();
    String node = host + ":" + port;
    SslContext sslContext = null;
    if (tls != null) {
      try {
        sslContext = tls.context(); // re-reads changed certificate files: rotation without restart
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(new ConnectionException("cannot set up TLS for " + node + ": "
            + e.getMessage(), e));
      }
    }
    SslContext context = sslContext;
    CommandHandler handler = new CommandHandler(node, settings);
    // Until the server's version is known, frame writes as the oldest servers need (see PipelinedStorageGuard).
    handler.recordLimit(tls == null ? 0 : tls.recordLimit(null));
    Bootstrap bootstrap = new Bootstrap()
        .group(loops.group())
        .channel(loops.channelType())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true)
        .option(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(512, 16 * 1024, 256 * 1024))
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis()))
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ChannelPipeline pipeline = ch.pipeline();
            if (tls != null) {
              pipeline.addLast("tls", tls.newHandler(context, ch.alloc(), host, port));
            }
            pipeline.addLast("frames", new ResponseFrameDecoder(settings.maxResponseBodyLength()));
            pipeline.addLast("commands", handler);
          }
        });
    CompletableFuture<Connection> result = new CompletableFuture<>();
    ChannelFuture connect = bootstrap.connect(address);
    connect.addListener(f -> {
      if (!f.isSuccess()) {
        Throwable cause = f.cause();
        result.completeExceptionally(new ConnectionException("cannot connect to " + node + ": "
            + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()), cause));
        return;
      }
      Connection connection = new Connection(connect.channel(), handler, node);
      CompletionStage<Void> chain = connection.handshake();
      for (ConnectionStage stage : stages) {
        chain = chain.thenCompose(ignored -> stage.run(connection));
      }
      chain.thenCompose(ignored -> connection.readServerFacts())
          .whenComplete((ignored, error) -> {
            if (error == null) {
              if (tls != null) {
                handler.recordLimit(tls.recordLimit(connection.serverVersion));
              }
              connection.readySince = java.time.Instant.now();
              result.complete(connection);
            } else {
              connection.close();
              result.completeExceptionally(connection.explain(unwrap(error), tls != null));
            }
          });
    });
    // A connection that cannot be established in time is abandoned and closed.
    io.netty.util.concurrent.ScheduledFuture<?> deadline = loops.group().next().schedule(() -> {
      if (!result.isDone()) {
        SslHandler ssl = connect.channel().pipeline().get(SslHandler.class);
        String stalled = ssl != null && !ssl.handshakeFuture().isDone()
            ? " (the TLS handshake did not finish: is it a TLS port?)" : "";
        connect.channel().close();
        result.completeExceptionally(new MemcachedTimeoutException("opening a connection to " + node + " took longer than "
            + settings.connectTimeout().toMillis() + " ms" + stalled));
      }
    }, settings.connectTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    result.whenComplete((c, e) -> deadline.cancel(false));
    return result;
  }

  /** Completes when the TLS handshake succeeded (at once without TLS). */
  private CompletionStage<Void> handshake() {
    SslHandler ssl = channel.pipeline().get(SslHandler.class);
    if (ssl == null) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    ssl.handshakeFuture().addListener(f -> {
      if (f.isSuccess()) {
        try {
          tlsSession = TlsSessionInfo.of(ssl);
        } catch (RuntimeException e) {
          // the session details are for monitoring only; the connection itself is fine
        }
        done.complete(null);
      } else {
        handshakeFailure = new ConnectionException("TLS handshake with " + node + " failed: "
            + TlsFailures.describe(f.cause()), f.cause());
        done.completeExceptionally(handshakeFailure);
      }
    });
    return done;
  }

  /**
   * Gives a failed open a clear message: a TLS failure that surfaced after the handshake (with
   * TLS 1.3 a server refuses a client certificate on the first read), or a plaintext client
   * reset by a TLS-only port.
   */
  private Throwable explain(Throwable error, boolean tls) {
    if (error == handshakeFailure) {
      return error;
    }
    if (tls && TlsFailures.isTlsFailure(error)) {
      return new ConnectionException("TLS session with " + node + " failed: " + TlsFailures.describe(error), error);
    }
    String reset = !tls && error instanceof ConnectionException ? resetMessage(error) : null;
    if (reset != null) {
      return new ConnectionException("connection to " + node + " was reset before the server answered (" + reset
          + "): if it expects TLS (memcached -Z resets plaintext clients), configure TLS", error);
    }
    return error;
  }

  private static String resetMessage(Throwable error) {
    for (Throwable t = error.getCause(); t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (message != null && message.toLowerCase(java.util.Locale.ROOT).contains("reset")) {
        return message;
      }
    }
    return null;
  }

  private CompletionStage<Void> readServerFacts() {
    CompletableFuture<String> version = send(new SingleCommand<>(Request.bare(Opcode.VERSION), (r, n) -> {
      Responses.requireOk(r, n);
      return r.valueAsString();
    }));
    CompletableFuture<Map<String, String>> settings = send(new StatsCommand("settings"));
    return version.thenCombine(settings, (v, s) -> {
      if ("no".equals(s.get("cas_enabled"))) {
        // every read would carry CAS 0, so no conditional write could ever succeed
        throw new ConnectionException("memcached at " + node + " runs with CAS disabled (-C): memjcache needs"
            + " CAS for its atomic operations (putIfAbsent, replace, entry processors, the key index);"
            + " start it without -C");
      }
      serverVersion = v;
      String limit = s.get("item_size_max");
      if (limit != null) {
        try {
          itemSizeLimit = Long.parseLong(limit.trim());
        } catch (NumberFormatException ignored) {
          itemSizeLimit = -1;
        }
      }
      return null;
    });
  }

  /** Sends a command; its future fails at once if the connection is closed or full. */
  public <T> CompletableFuture<T> send(Command<T> command) {
    handler.send(command);
    return command.future();
  }

  public boolean isOpen() {
    return channel.isActive();
  }

  /** Completes when the connection has closed, for whatever reason. */
  public CompletableFuture<Void> closeFuture() {
    CompletableFuture<Void> closed = new CompletableFuture<>();
    channel.closeFuture().addListener(f -> closed.complete(null));
    return closed;
  }

  public String node() {
    return node;
  }

  /** The server's version string, as answered to VERSION when the connection opened. */
  public String serverVersion() {
    return serverVersion;
  }

  /** The server's item size limit in bytes ({@code -I}), or -1 if it did not say. */
  public long itemSizeLimit() {
    return itemSizeLimit;
  }

  public int commandsInFlight() {
    return handler.commandsInFlight();
  }

  /** The TLS session (protocol, cipher, certificates) of a TLS connection; empty for plaintext. */
  public Optional<TlsSessionInfo> tlsSession() {
    return Optional.ofNullable(tlsSession);
  }

  /**
   * Records that a {@link ConnectionStage} authenticated this connection with SASL, for monitoring:
   * the mechanism and the user name (never a password).
   */
  public void authenticated(String mechanism, String user) {
    this.saslMechanism = mechanism;
    this.saslUser = user;
  }

  /** The SASL mechanism this connection authenticated with; empty without SASL. */
  public Optional<String> saslMechanism() {
    return Optional.ofNullable(saslMechanism);
  }

  /** The SASL user this connection authenticated as; empty without SASL. */
  public Optional<String> saslUser() {
    return Optional.ofNullable(saslUser);
  }

  /** When the connection became ready for commands (after TLS, SASL and the server facts); empty before. */
  public Optional<java.time.Instant> readySince() {
    return Optional.ofNullable(readySince);
  }

  /** The Netty channel, for handlers that report on it (TLS session details). */
  public Channel channel() {
    return channel;
  }

  @Override
  public void close() {
    handler.markClosed(new ConnectionException("connection to " + node + " was closed by the client"));
    channel.close();
  }

  /** A STAT command for {@code group} (null for the general statistics). */
  public static Command<Map<String, String>> statsCommand(String group) {
    return new StatsCommand(group);
  }

  static Throwable unwrap(Throwable error) {
    while (error instanceof java.util.concurrent.CompletionException && error.getCause() != null) {
      error = error.getCause();
    }
    return error;
  }

  /** STAT: many responses with key/value pairs, closed by one with an empty key or an error. */
  static final class StatsCommand extends Command<Map<String, String>> {
    private final Request[] frames;
    private final Map<String, String> stats = new HashMap<>();

    StatsCommand(String group) {
      this.frames = new Request[] {Request.stat(group == null ? null : group.getBytes(StandardCharsets.US_ASCII))};
    }

    @Override
    public Request[] frames() {
      return frames;
    }

    @Override
    protected void onResponse(int index, Response response, String node) {
      if (response.status() != Status.NO_ERROR) {
        fail(new MemcachedServerException(node, Opcode.STAT, response.statusCode(), response.valueAsString()));
      } else if (response.key().length == 0) {
        complete(stats);
      } else {
        stats.put(new String(response.key(), StandardCharsets.US_ASCII), response.valueAsString());
      }
    }

    @Override
    protected boolean awaitsMore(int index, Response response) {
      return response.status() == Status.NO_ERROR && response.key().length != 0;
    }
  }
}
