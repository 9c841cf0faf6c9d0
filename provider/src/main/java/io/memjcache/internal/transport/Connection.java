package io.memjcache.internal.transport;

import io.memjcache.internal.protocol.Opcode;
import io.memjcache.internal.protocol.Request;
import io.memjcache.internal.protocol.Response;
import io.memjcache.internal.protocol.Status;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * One TCP connection to one memcached server, ready for commands once {@link #open} completes:
 * connected, through every {@link ConnectionStage}, and with the server's version and item size
 * limit read.
 */
public final class Connection implements AutoCloseable {
  private final Channel channel;
  private final CommandHandler handler;
  private final String node;
  private volatile String serverVersion = "";
  private volatile long itemSizeLimit = -1;

  private Connection(Channel channel, CommandHandler handler, String node) {
    this.channel = channel;
    this.handler = handler;
    this.node = node;
  }

  /**
   * Opens a connection. {@code security} may add handlers (such as TLS) at the front of the
   * pipeline; {@code stages} run in order before the connection is handed out.
   */
  public static CompletableFuture<Connection> open(
      EventLoops loops,
      InetSocketAddress address,
      ConnectionSettings settings,
      Consumer<ChannelPipeline> security,
      List<ConnectionStage> stages) {
    String node = address.getHostString() + ":" + address.getPort();
    CommandHandler handler = new CommandHandler(node, settings);
    Bootstrap bootstrap = new Bootstrap()
        .group(loops.group())
        .channel(loops.channelType())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis()))
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ChannelPipeline pipeline = ch.pipeline();
            if (security != null) {
              security.accept(pipeline);
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
      CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
      for (ConnectionStage stage : stages) {
        chain = chain.thenCompose(ignored -> stage.run(connection));
      }
      chain.thenCompose(ignored -> connection.readServerFacts())
          .whenComplete((ignored, error) -> {
            if (error == null) {
              result.complete(connection);
            } else {
              connection.close();
              result.completeExceptionally(unwrap(error));
            }
          });
    });
    // A connection that cannot be established in time is abandoned and closed.
    io.netty.util.concurrent.ScheduledFuture<?> deadline = loops.group().next().schedule(() -> {
      if (!result.isDone()) {
        connect.channel().close();
        result.completeExceptionally(new MemcachedTimeoutException("opening a connection to " + node + " took longer than "
            + settings.connectTimeout().toMillis() + " ms"));
      }
    }, settings.connectTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    result.whenComplete((c, e) -> deadline.cancel(false));
    return result;
  }

  private CompletionStage<Void> readServerFacts() {
    CompletableFuture<String> version = send(new SingleCommand<>(Request.bare(Opcode.VERSION), (r, n) -> {
      Responses.requireOk(r, n);
      return r.valueAsString();
    }));
    CompletableFuture<Map<String, String>> settings = send(new StatsCommand("settings"));
    return version.thenCombine(settings, (v, s) -> {
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

  /** STAT: many responses with key/value pairs, closed by one with an empty key. */
  static final class StatsCommand extends Command<Map<String, String>> {
    private final Request[] frames;
    private final Map<String, String> stats = new HashMap<>();
    private boolean ended;

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
        ended = true;
        fail(new MemcachedServerException(node, Opcode.STAT, response.statusCode(), response.valueAsString()));
        return;
      }
      if (response.key().length == 0) {
        ended = true;
        complete(stats);
      } else {
        stats.put(new String(response.key(), StandardCharsets.US_ASCII), response.valueAsString());
      }
    }

    @Override
    protected boolean awaitsMore(int index) {
      return !ended;
    }
  }
}
