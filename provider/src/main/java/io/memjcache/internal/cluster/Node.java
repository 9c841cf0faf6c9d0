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
import java.util.ArrayList;
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
 * One memcached server, its connections and its health. A node opens {@link #lanes()} connections
 * (lanes), each on first use; a key always travels on the same lane ({@link #lane(byte[])}), so the
 * requests for one key stay in order while a batch of many keys is split over the lanes and served
 * in parallel by the server's threads and the client's I/O threads. A connection reopens after it
 * drops; while a reconnect keeps failing, callers fail fast for a back-off period
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
  /** The seed of {@link #hash} for lanes. */
  public static final int LANE_HASH_SEED = 1;

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
  private final Lane[] lanes;
  private volatile Listener listener = NO_LISTENER;
  private Throwable lastFailure;
  private long retryAtNanos;
  private long backoffNanos = MIN_BACKOFF_NANOS;
  private long authBackoffNanos = MIN_AUTH_BACKOFF_NANOS;
  private volatile long itemSizeLimit = -1;
  private volatile boolean closed;

  /** A node with the default health settings, on its own (not in a {@link Cluster}). */
  public Node(InetSocketAddress address, Function<InetSocketAddress, CompletableFuture<Connection>> connector) {
    this(address, connector, 1, ClusterSettings.DEFAULTS, System::nanoTime,
        new NodeHealth(ClusterSettings.DEFAULTS, System::nanoTime, () -> ThreadLocalRandom.current().nextDouble()));
  }

  Node(InetSocketAddress address, Function<InetSocketAddress, CompletableFuture<Connection>> connector,
      int lanes, ClusterSettings settings, LongSupplier clock, NodeHealth health) {
    if (lanes < 1) {
      throw new IllegalArgumentException("connections per node must be at least 1, was " + lanes);
    }
    this.lanes = new Lane[lanes];
    for (int i = 0; i < lanes; i++) {
      this.lanes[i] = new Lane();
    }
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

  /** How many connections this node opens. */
  public int lanes() {
    return lanes.length;
  }

  /**
   * The lane that carries {@code key}: always the same one for the same key bytes, 0 when the node
   * has one connection.
   */
  public int lane(byte[] key) {
    return lanes.length == 1 ? 0 : laneOf(hash(LANE_HASH_SEED, key), lanes.length);
  }

  /** {@link #lane(byte[])} of the key {@code prefix + suffix}, without joining them. */
  public int lane(byte[] prefix, byte[] suffix) {
    return lanes.length == 1 ? 0 : laneOf(hash(hash(LANE_HASH_SEED, prefix), suffix), lanes.length);
  }

  /**
   * Continues a hash of key bytes: {@code hash(hash(seed, a), b)} equals the hash of {@code a}
   * followed by {@code b}, so a prefix is hashed once for many keys.
   */
  public static int hash(int state, byte[] bytes) {
    int h = state;
    for (byte b : bytes) {
      h = 31 * h + b;
    }
    return h;
  }

  /** The lane of a key whose {@link #hash} is {@code hash}, among {@code lanes}. */
  public static int laneOf(int hash, int lanes) {
    int h = hash ^ (hash >>> 16);
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    return Math.floorMod(h, lanes);
  }

  /**
   * Groups positions by lane: element {@code l} lists, in ascending order, the positions {@code i}
   * whose {@code laneOf[i]} is {@code l} (empty when none is).
   */
  public static int[][] byLane(int[] laneOf, int lanes) {
    int[] counts = new int[lanes];
    for (int lane : laneOf) {
      counts[lane]++;
    }
    int[][] groups = new int[lanes][];
    for (int lane = 0; lane < lanes; lane++) {
      groups[lane] = new int[counts[lane]];
      counts[lane] = 0;
    }
    for (int i = 0; i < laneOf.length; i++) {
      groups[laneOf[i]][counts[laneOf[i]]++] = i;
    }
    return groups;
  }

  /** The first lane's connection if it is open now; never opens one. */
  public Optional<Connection> openConnection() {
    Connection current = lanes[0].connection;
    return current != null && current.isOpen() ? Optional.of(current) : Optional.empty();
  }

  /** How many of this node's connections are open now. */
  public int openConnections() {
    int open = 0;
    for (Lane lane : lanes) {
      Connection current = lane.connection;
      if (current != null && current.isOpen()) {
        open++;
      }
    }
    return open;
  }

  /** {@link #send(Command, int)} on the first lane: for commands that concern no key. */
  public <T> CompletableFuture<T> send(Command<T> command) {
    return send(command, 0);
  }

  /**
   * Sends a command on one of this node's connections ({@code lane}, from {@link #lane(byte[])}
   * for a command about a key), opening it if needed. Under {@link FailurePolicy#FAIL_FAST} a down
   * node refuses it at once with a {@link NodeDownException}.
   */
  public <T> CompletableFuture<T> send(Command<T> command, int lane) {
    if (failFast && health.isDown()) {
      command.future().completeExceptionally(downError());
      return command.future();
    }
    return sendAnyway(command, lane);
  }

  /** Sends whatever the node's health: for probes and for clearing failover copies. */
  <T> CompletableFuture<T> sendAnyway(Command<T> command, int index) {
    outstanding.increment();
    Lane lane = lanes[index];
    Connection current = lane.connection;
    if (current == null || !current.isOpen()) {
      CompletableFuture<Connection> ready;
      synchronized (lock) {
        ready = connection(index, false);
        if (ready == lane.connecting) {
          // An attempt is under way, perhaps just finished: connected() sends the waiting commands
          // in arrival order before it publishes the connection, so nothing overtakes them (the
          // dependents of a future would run in reverse order, and a command sent here on a
          // finished attempt would pass the ones still waiting).
          lane.waiting.add(command);
          return command.future();
        }
      }
      current = ready.handle((c, error) -> c).join();
      if (current == null) {
        outstanding.decrement(); // the failed connect counted once, not once per waiting command
        command.future().completeExceptionally(ready.handle((c, error) -> unwrap(error)).join());
        return command.future();
      }
    }
    current.send(command);
    command.future().whenComplete(outcome);
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

  /** The first lane's open connection, or a future for the one being opened, completed once the node has recorded it. */
  public CompletableFuture<Connection> connection() {
    return connection(0, false);
  }

  /** {@code ignoreBackoff}: a probe, paced by the cluster, tries even during the reconnect back-off. */
  private CompletableFuture<Connection> connection(int index, boolean ignoreBackoff) {
    Lane lane = lanes[index];
    synchronized (lock) {
      if (closed) {
        return CompletableFuture.failedFuture(new ConnectionException("node " + name + " is closed"));
      }
      Connection current = lane.connection;
      if (current != null && current.isOpen()) {
        return CompletableFuture.completedFuture(current);
      }
      if (lane.connecting != null) {
        return lane.connecting;
      }
      if (!ignoreBackoff && lastFailure != null && clock.getAsLong() - retryAtNanos < 0) {
        if (failFast && health.isDown()) {
          return CompletableFuture.failedFuture(downError());
        }
        return CompletableFuture.failedFuture(new ConnectionException(
            "node " + name + " is unavailable (" + lastFailure.getMessage() + "); retrying shortly", lastFailure));
      }
      // What callers get completes only after connected() has recorded the attempt's outcome (the
      // connection, its item size limit, health and counters): a caller woken by it sees them. The
      // attempt's own dependents would run before connected() when registered after it.
      CompletableFuture<Connection> attempt = connector.apply(address);
      CompletableFuture<Connection> recorded = new CompletableFuture<>();
      lane.connecting = recorded;
      attempt.whenComplete((c, error) -> {
        try {
          connected(lane, c, error);
        } finally {
          if (error != null) {
            recorded.completeExceptionally(unwrap(error));
          } else {
            recorded.complete(c);
          }
        }
      });
      return recorded;
    }
  }

  private void connected(Lane lane, Connection c, Throwable error) {
    Throwable failure = null;
    List<Command<?>> waiting;
    Throwable refusal;
    synchronized (lock) {
      lane.connecting = null;
      waiting = lane.waiting;
      lane.waiting = new ArrayList<>();
      refusal = error != null ? unwrap(error) : closed ? new ConnectionException("node " + name + " is closed") : null;
      if (error != null) {
        lastFailure = unwrap(error);
        failure = closed ? null : lastFailure;
        if (lastFailure instanceof AuthenticationException) {
          retryAtNanos = clock.getAsLong() + authBackoffNanos;
          authBackoffNanos = Math.min(MAX_AUTH_BACKOFF_NANOS, authBackoffNanos * 2);
        } else {
          retryAtNanos = clock.getAsLong() + backoffNanos;
          backoffNanos = Math.min(MAX_BACKOFF_NANOS, backoffNanos * 2);
        }
      } else if (closed) {
        c.close();
      } else {
        lastFailure = null;
        backoffNanos = MIN_BACKOFF_NANOS;
        authBackoffNanos = MIN_AUTH_BACKOFF_NANOS;
        for (Command<?> command : waiting) { // before the connection is published, so nothing overtakes them
          c.send(command);
        }
        lane.connection = c;
        itemSizeLimit = c.itemSizeLimit();
        if (lane.everConnected) {
          health.recordReconnect();
          counters.reconnect();
        }
        lane.everConnected = true;
        c.closeFuture().thenRun(() -> dropped(lane, c));
      }
    }
    if (refusal == null) {
      for (Command<?> command : waiting) { // outside the lock: the outcome may call the listener
        command.future().whenComplete(outcome);
      }
    }
    // Health first, then the counter, then the waiting callers: whoever sees one sees the ones before.
    if (failure != null) {
      failed(failure);
      counters.connectFailure(failure instanceof AuthenticationException);
    }
    if (refusal != null) {
      for (Command<?> command : waiting) {
        outstanding.decrement();
        command.future().completeExceptionally(refusal);
      }
    }
  }

  /** A connection closed: unless the client closed it, that is a failure of the node. */
  private void dropped(Lane lane, Connection c) {
    synchronized (lock) {
      if (lane.connection == c) {
        lane.connection = null;
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
   * Opens the first lane's connection (TLS and SASL stages included) unless it is open, whatever
   * the reconnect back-off, and asks the server for its version; the other lanes reconnect on use.
   */
  CompletableFuture<Void> probe() {
    return connection(0, true).thenCompose(c -> {
      SingleCommand<Void> version = new SingleCommand<>(Request.bare(Opcode.VERSION), (r, n) -> {
        Responses.requireOk(r, n);
        return null;
      });
      return sendAnyway(version, 0);
    });
  }

  /** Deletes {@code keys} on this node whatever its health, in quiet batches; fails if any batch fails. */
  CompletableFuture<Void> deleteKeys(List<byte[]> keys) {
    if (keys.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    List<List<byte[]>> byLane = new ArrayList<>(lanes.length);
    for (int i = 0; i < lanes.length; i++) {
      byLane.add(new ArrayList<>());
    }
    for (byte[] key : keys) {
      byLane.get(lane(key)).add(key);
    }
    List<CompletableFuture<?>> batches = new ArrayList<>();
    for (int lane = 0; lane < lanes.length; lane++) {
      List<byte[]> laneKeys = byLane.get(lane);
      for (int from = 0; from < laneKeys.size(); from += DELETE_BATCH) {
        List<byte[]> batch = laneKeys.subList(from, Math.min(laneKeys.size(), from + DELETE_BATCH));
        batches.add(sendAnyway(new DeleteKeysCommand(batch), lane));
      }
    }
    return CompletableFuture.allOf(batches.toArray(new CompletableFuture<?>[0]));
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
    List<CompletableFuture<Connection>> pending = new ArrayList<>();
    synchronized (lock) {
      closed = true;
      for (Lane lane : lanes) {
        if (lane.connecting != null) {
          pending.add(lane.connecting);
        }
        Connection current = lane.connection;
        lane.connection = null;
        if (current != null) {
          current.close();
        }
      }
    }
    for (CompletableFuture<Connection> attempt : pending) {
      attempt.thenAccept(Connection::close);
    }
  }

  /** One of the node's connections: open, being opened, or neither. */
  private static final class Lane {
    volatile Connection connection;
    CompletableFuture<Connection> connecting; // guarded by the node's lock
    List<Command<?>> waiting = new ArrayList<>(); // for the connection being opened; guarded by the node's lock
    boolean everConnected; // guarded by the node's lock
  }

  @Override
  public String toString() {
    return name;
  }
}
