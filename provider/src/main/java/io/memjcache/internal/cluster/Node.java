package io.memjcache.internal.cluster;

import io.memjcache.internal.sasl.AuthenticationException;
import io.memjcache.internal.transport.Command;
import io.memjcache.internal.transport.Connection;
import io.memjcache.internal.transport.ConnectionException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One memcached server and its connection. The connection opens on first use and reopens after it
 * drops; while a reconnect keeps failing, callers fail fast for a back-off period instead of
 * queueing behind a dead server. A refused authentication backs off longer (1 s doubling to 30 s):
 * retrying at once cannot fix wrong credentials, and a reconnect storm would only load the server.
 */
public final class Node implements AutoCloseable {
  private static final long MIN_BACKOFF_NANOS = 50_000_000L;
  private static final long MAX_BACKOFF_NANOS = 2_000_000_000L;
  private static final long MIN_AUTH_BACKOFF_NANOS = 1_000_000_000L;
  private static final long MAX_AUTH_BACKOFF_NANOS = 30_000_000_000L;

  private final InetSocketAddress address;
  private final String name;
  private final Function<InetSocketAddress, CompletableFuture<Connection>> connector;
  private final Object lock = new Object();
  private volatile Connection connection;
  private CompletableFuture<Connection> connecting;
  private Throwable lastFailure;
  private long retryAtNanos;
  private long backoffNanos = MIN_BACKOFF_NANOS;
  private long authBackoffNanos = MIN_AUTH_BACKOFF_NANOS;
  private volatile long itemSizeLimit = -1;
  private volatile boolean closed;

  public Node(InetSocketAddress address, Function<InetSocketAddress, CompletableFuture<Connection>> connector) {
    this.address = address;
    this.name = address.getHostString() + ":" + address.getPort();
    this.connector = connector;
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

  /** Sends a command on this node's connection, opening it if needed. */
  public <T> CompletableFuture<T> send(Command<T> command) {
    Connection current = connection;
    if (current != null && current.isOpen()) {
      return current.send(command);
    }
    connection().whenComplete((c, error) -> {
      if (error != null) {
        command.future().completeExceptionally(error instanceof java.util.concurrent.CompletionException
            && error.getCause() != null ? error.getCause() : error);
      } else {
        c.send(command);
      }
    });
    return command.future();
  }

  /** The open connection, or a future for the one being opened. */
  public CompletableFuture<Connection> connection() {
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
      if (lastFailure != null && System.nanoTime() - retryAtNanos < 0) {
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
    synchronized (lock) {
      connecting = null;
      if (error != null) {
        lastFailure = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
            ? error.getCause() : error;
        if (lastFailure instanceof AuthenticationException) {
          retryAtNanos = System.nanoTime() + authBackoffNanos;
          authBackoffNanos = Math.min(MAX_AUTH_BACKOFF_NANOS, authBackoffNanos * 2);
        } else {
          retryAtNanos = System.nanoTime() + backoffNanos;
          backoffNanos = Math.min(MAX_BACKOFF_NANOS, backoffNanos * 2);
        }
        return;
      }
      if (closed) {
        c.close();
        return;
      }
      lastFailure = null;
      backoffNanos = MIN_BACKOFF_NANOS;
      authBackoffNanos = MIN_AUTH_BACKOFF_NANOS;
      connection = c;
      itemSizeLimit = c.itemSizeLimit();
    }
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
