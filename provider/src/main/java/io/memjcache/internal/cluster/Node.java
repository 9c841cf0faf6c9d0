package io.memjcache.internal.cluster;

import io.memjcache.internal.protocol.Opcode;
import io.memjcache.internal.protocol.ProtocolException;
import io.memjcache.internal.protocol.Request;
import io.memjcache.internal.sasl.AuthenticationException;
import io.memjcache.internal.transport.BackpressureException;
import io.memjcache.internal.transport.Command;
import io.memjcache.internal.transport.Connection;
import io.memjcache.internal.transport.ConnectionException;
import io.memjcache.internal.transport.MemcachedTimeoutException;
import io.memjcache.internal.transport.Responses;
import io.memjcache.internal.transport.SingleCommand;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * One memcached server, its connection and its health. The connection opens on first use and
 * reopens after it drops; while a reconnect keeps failing, callers fail fast for a back-off period
 * instead of queueing behind a dead server. A refused authentication backs off longer (1 s doubling
 * to 30 s): retrying at once cannot fix wrong credentials, and a reconnect storm would only load the
 * server. Connect failures, timeouts and dropped connections count towards {@link NodeHealth}; the
 * {@link Listener} (the cluster) hears when the node goes down.
 */
public final class Node implements AutoCloseable {
  private static final long MIN_BACKOFF_NANOS = 50_000_000L;
  private static final long MAX_BACKOFF_NANOS = 2_000_000_000L;
  private static final long MIN_AUTH_BACKOFF_NANOS = 1_000_000_000L;
  private static final long MAX_AUTH_BACKOFF_NANOS = 30_000_000_000L;
  /** Keys per quiet delete batch when clearing failover copies. */
  private static final int DELETE_BATCH = 512;

  /** Hears about health changes; called without locks held, possibly on an I/O thread. */
  interface Listener {
    /** The node has just gone down. */
    void down(Node node);

    /** A down node answered a request (all nodes down, so requests still go to it): worth a probe now. */
    void answeredWhileDown(Node node);
  }

  private static final Listener NO_LISTENER = new Listener() {
    @Override
    public void down(Node node) {}

    @Override
    public void answeredWhileDown(Node node) {}
  };

  private final InetSocketAddress address;
  private final String name;
  private final Function<InetSocketAddress, CompletableFuture<Connection>> connector;
  private final LongSupplier clock;
  private final NodeHealth health;
  private final boolean failFast;
  private final FailoverJournal journal = new FailoverJournal();
  private final LongAdder outstanding = new LongAdder();
  private final NodeCounters counters = new NodeCounters();
  private final BiConsumer<Object, Throwable> outcome = this::outcome;
  private final Object lock = new Object();
  private volatile Listener listener = NO_LISTENER;
  private volatile Connection connection;
  private CompletableFuture<Connection> connecting;
  private Throwable lastFailure;
  private long retryAtNanos;
  private long backoffNanos = MIN_BACKOFF_NANOS;
  private long authBackoffNanos = MIN_AUTH_BACKOFF_NANOS;
  private boolean everConnected;
  private volatile long itemSizeLimit = -1;
  private volatile boolean closed;

  /** A node with the default health settings, on its own (not in a {@link Cluster}). */
  public Node(InetSocketAddress address, Function<InetSocketAddress, CompletableFuture<Connection>> connector) {
    this(address, connector, ClusterSettings.DEFAULTS, System::nanoTime,
        new NodeHealth(ClusterSettings.DEFAULTS, System::nanoTime, () -> ThreadLocalRandom.current().nextDouble()));
  }

  Node(InetSocketAddress address, Function<InetSocketAddress, CompletableFuture<Connection>> connector,
      ClusterSettings settings, LongSupplier clock, NodeHealth health) {
    this.address = address;
    this.name = address.getHostString() + ":" + address.getPort();
    this.connector = connector;
    this.clock = clock;
    this.health = health;
    this.failFast = settings.failurePolicy() == FailurePolicy.FAIL_FAST;
  }

  public InetSocketAddress address() {
    return address;
  }

  /** "host:port", as used in messages and as the node's ketama identity. */
  public String name() {
    return name;
  }

  /** The server's item size limit learnt on the last connection, or -1. */
  public long itemSizeLimit() {
    return itemSizeLimit;
  }

  /** Up or down. */
  public NodeState state() {
    return health.state();
  }

  /** This node's health, for monitoring. */
  public NodeStatus status() {
    return health.status(name);
  }

  /** What has happened to this node (timeouts, failed and lost connections, reconnects), for monitoring. */
  public NodeCounters counters() {
    return counters;
  }

  /** The connection if one is open now; never opens one. */
  public Optional<Connection> openConnection() {
    Connection current = connection;
    return current != null && current.isOpen() ? Optional.of(current) : Optional.empty();
  }

  /**
   * Sends a command on this node's connection, opening it if needed. Under {@link
   * FailurePolicy#FAIL_FAST} a down node refuses it at once with a {@link NodeDownException}.
   */
  public <T> CompletableFuture<T> send(Command<T> command) {
    if (failFast && health.isDown()) {
      command.future().completeExceptionally(downError());
      return command.future();
    }
    return sendAnyway(command);
  }

  /** Sends whatever the node's health: for probes and for clearing failover copies. */
  <T> CompletableFuture<T> sendAnyway(Command<T> command) {
    outstanding.increment();
    Connection current = connection;
    if (current != null && current.isOpen()) {
      current.send(command);
      command.future().whenComplete(outcome);
      return command.future();
    }
    connection().whenComplete((c, error) -> {
      if (error != null) {
        outstanding.decrement(); // the failed connect counted once, not once per waiting command
        command.future().completeExceptionally(unwrap(error));
      } else {
        c.send(command);
        command.future().whenComplete(outcome);
      }
    });
    return command.future();
  }

  /** What a command's end says about the node: an answer, a failure, or neither. */
  private void outcome(Object result, Throwable error) {
    outstanding.decrement();
    if (error == null) {
      answered();
      return;
    }
    Throwable cause = unwrap(error);
    if (cause instanceof MemcachedTimeoutException) {
      counters.timeout();
      failed(cause);
    } else if (!(cause instanceof ConnectionException || cause instanceof BackpressureException
        || cause instanceof CancellationException || cause instanceof ProtocolException)) {
      answered(); // an error status is an answer; a dropped connection is counted once, by the drop
    }
  }

  private void answered() {
    if (health.recordAnswer()) {
      listener.answeredWhileDown(this);
    }
  }

  private void failed(Throwable failure) {
    if (health.recordFailure(failure)) {
      listener.down(this);
    }
  }

  /** The open connection, or a future for the one being opened. */
  public CompletableFuture<Connection> connection() {
    return connection(false);
  }

  /** {@code ignoreBackoff}: a probe, paced by the cluster, tries even during the reconnect back-off. */
  private CompletableFuture<Connection> connection(boolean ignoreBackoff) {
    synchronized (lock) {
      if (closed) {
        return CompletableFuture.failedFuture(new ConnectionException("node " + name + " is closed"));
      }
      Connection current = connection;
      if (current != null && current.isOpen()) {
        return CompletableFuture.completedFuture(current);
      }
      if (connecting != null) {
        return connecting;
      }
      if (!ignoreBackoff && lastFailure != null && clock.getAsLong() - retryAtNanos < 0) {
        if (failFast && health.isDown()) {
          return CompletableFuture.failedFuture(downError());
        }
        return CompletableFuture.failedFuture(new ConnectionException(
            "node " + name + " is unavailable (" + lastFailure.getMessage() + "); retrying shortly", lastFailure));
      }
      CompletableFuture<Connection> attempt = connector.apply(address);
      connecting = attempt;
      attempt.whenComplete(this::connected);
      return attempt;
    }
  }

  private void connected(Connection c, Throwable error) {
    Throwable failure = null;
    synchronized (lock) {
      connecting = null;
      if (error != null) {
        lastFailure = unwrap(error);
        failure = closed ? null : lastFailure;
        if (!closed) {
          counters.connectFailure(lastFailure instanceof AuthenticationException);
        }
        if (lastFailure instanceof AuthenticationException) {
          retryAtNanos = clock.getAsLong() + authBackoffNanos;
          authBackoffNanos = Math.min(MAX_AUTH_BACKOFF_NANOS, authBackoffNanos * 2);
        } else {
          retryAtNanos = clock.getAsLong() + backoffNanos;
          backoffNanos = Math.min(MAX_BACKOFF_NANOS, backoffNanos * 2);
        }
      } else if (closed) {
        c.close();
        return;
      } else {
        lastFailure = null;
        backoffNanos = MIN_BACKOFF_NANOS;
        authBackoffNanos = MIN_AUTH_BACKOFF_NANOS;
        connection = c;
        itemSizeLimit = c.itemSizeLimit();
        if (everConnected) {
          health.recordReconnect();
          counters.reconnect();
        }
        everConnected = true;
        c.closeFuture().thenRun(() -> dropped(c));
      }
    }
    if (failure != null) {
      failed(failure);
    }
  }

  /** A connection closed: unless the client closed it, that is a failure of the node. */
  private void dropped(Connection c) {
    synchronized (lock) {
      if (connection == c) {
        connection = null;
      }
      if (closed) {
        return;
      }
    }
    counters.connectionLost();
    failed(new ConnectionException("connection to " + name + " was lost"));
  }

  /** How long the reconnect back-off still holds (the auth back-off can be long), in nanoseconds. */
  long backoffRemainingNanos() {
    synchronized (lock) {
      return lastFailure == null ? 0 : Math.max(0, retryAtNanos - clock.getAsLong());
    }
  }

  /**
   * Opens a connection (TLS and SASL stages included) unless one is open, whatever the reconnect
   * back-off, and asks the server for its version.
   */
  CompletableFuture<Void> probe() {
    return connection(true).thenCompose(c -> {
      SingleCommand<Void> version = new SingleCommand<>(Request.bare(Opcode.VERSION), (r, n) -> {
        Responses.requireOk(r, n);
        return null;
      });
      return sendAnyway(version);
    });
  }

  /** Deletes {@code keys} on this node whatever its health, in quiet batches; fails if any batch fails. */
  CompletableFuture<Void> deleteKeys(List<byte[]> keys) {
    if (keys.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<?>[] batches = new CompletableFuture<?>[(keys.size() + DELETE_BATCH - 1) / DELETE_BATCH];
    for (int i = 0; i < batches.length; i++) {
      List<byte[]> batch = keys.subList(i * DELETE_BATCH, Math.min(keys.size(), (i + 1) * DELETE_BATCH));
      batches[i] = sendAnyway(new DeleteKeysCommand(batch));
    }
    return CompletableFuture.allOf(batches);
  }

  NodeHealth health() {
    return health;
  }

  FailoverJournal journal() {
    return journal;
  }

  void listener(Listener listener) {
    this.listener = listener;
  }

  /** Commands sent through this node whose futures are not complete yet. */
  long outstanding() {
    return outstanding.sum();
  }

  private NodeDownException downError() {
    return new NodeDownException(name, health.downMessage(name), health.lastFailure());
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
  }

  @Override
  public void close() {
    CompletableFuture<Connection> pending;
    synchronized (lock) {
      closed = true;
      pending = connecting;
      Connection current = connection;
      connection = null;
      if (current != null) {
        current.close();
      }
    }
    if (pending != null) {
      pending.thenAccept(Connection::close);
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
