package io.memjcache.internal.client;

import io.memjcache.internal.cluster.Cluster;
import io.memjcache.internal.cluster.ClusterSettings;
import io.memjcache.internal.cluster.Node;
import io.memjcache.internal.cluster.NodeStatus;
import io.memjcache.internal.protocol.Frames;
import io.memjcache.internal.protocol.Opcode;
import io.memjcache.internal.protocol.Request;
import io.memjcache.internal.protocol.Response;
import io.memjcache.internal.protocol.Status;
import io.memjcache.internal.transport.Command;
import io.memjcache.internal.transport.Connection;
import io.memjcache.internal.transport.EventLoops;
import io.memjcache.internal.transport.InvalidKeyException;
import io.memjcache.internal.transport.MemcachedException;
import io.memjcache.internal.transport.MemcachedTimeoutException;
import io.memjcache.internal.transport.Responses;
import io.memjcache.internal.transport.SingleCommand;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An asynchronous memcached client over the binary protocol. Keys are raw bytes, placed on nodes by
 * the cluster's ketama ring; every operation returns a future that completes on an I/O thread (do
 * not block in its callbacks). {@link #await} is the synchronous form of any of them. Servers that
 * keep failing are taken down and probed as {@link ClusterSettings} say; the server list can change
 * at run time ({@link #updateServers}).
 */
public final class MemcachedClient implements AutoCloseable {
  private static final byte[] NO_PREFIX = new byte[0];
  /** memcached's "do not create" expiration for counters: a missing item answers NOT_FOUND. */
  public static final int NO_AUTO_CREATE = 0xffffffff;

  private final ClientSettings settings;
  private final EventLoops loops;
  private final Cluster cluster;
  private final AtomicBoolean closed = new AtomicBoolean();

  public MemcachedClient(ClientSettings settings) {
    this(settings, ClusterSettings.DEFAULTS);
  }

  /** A client whose handling of failing servers follows {@code clusterSettings}. */
  public MemcachedClient(ClientSettings settings, ClusterSettings clusterSettings) {
    this.settings = settings;
    this.loops = EventLoops.acquire();
    this.cluster = new Cluster(settings.servers(), address -> Connection.open(
        loops, address, settings.connection(), settings.pipelineSecurity(), settings.connectionStages()),
        settings.connectionsPerNode(), clusterSettings, loops.group()::schedule);
  }

  /** The settings the client was made with; after {@link #updateServers}, {@link #cluster()} has the servers. */
  public ClientSettings settings() {
    return settings;
  }

  /**
   * Replaces the server list without a restart: new servers join the ring, removed ones leave it
   * at once and are closed when the requests already sent to them have finished or failed; the
   * others keep their connections. The returned future completes when the removed ones are closed.
   *
   * @throws IllegalArgumentException if the list is empty or names a server twice
   */
  public CompletableFuture<Void> updateServers(List<InetSocketAddress> servers) {
    if (closed.get()) {
      throw new IllegalStateException("the client is closed");
    }
    return cluster.setServers(servers);
  }

  /** The health of every server, in configuration order. */
  public List<NodeStatus> nodeStates() {
    return cluster.nodeStates();
  }

  public Cluster cluster() {
    return cluster;
  }

  // ---------------------------------------------------------------- reads

  /** The item under {@code key}, or null if absent. */
  public CompletableFuture<Item> get(byte[] key) {
    return get(key, Item.READER);
  }

  /** What {@code reader} makes of the item under {@code key} (on the I/O thread), or null if absent. */
  public <T> CompletableFuture<T> get(byte[] key, HitReader<T> reader) {
    return single(key, () -> Request.keyOnly(Opcode.GET, key), (r, n) -> {
      if (r.status() == Status.KEY_NOT_FOUND) {
        return null;
      }
      Responses.requireOk(r, n);
      return reader.read(0, r);
    });
  }

  /** GETK: like {@link #get} but the server echoes the key, which is checked. */
  public CompletableFuture<Item> getk(byte[] key) {
    return single(key, () -> Request.keyOnly(Opcode.GETK, key), (r, n) -> {
      Item item = decodeItem(r, n);
      if (item != null && !r.keyEquals(key)) {
        throw new io.memjcache.internal.protocol.ProtocolException("GETK answer on " + n + " carries another key");
      }
      return item;
    });
  }

  /** Reads many keys with one quiet batch per node; the result is aligned with {@code keys}. */
  public CompletableFuture<Item[]> getAll(byte[][] keys) {
    return getAll(keys, new Item[keys.length], Item.READER);
  }

  /**
   * Reads many keys with one quiet batch per node, each hit read by {@code reader} (on an I/O
   * thread) straight into {@code into} at its key's index; misses stay null.
   */
  public <T> CompletableFuture<T[]> getAll(byte[][] keys, T[] into, HitReader<T> reader) {
    for (byte[] key : keys) {
      InvalidKeyException invalid = checkKey(key);
      if (invalid != null) {
        return CompletableFuture.failedFuture(invalid);
      }
    }
    if (keys.length == 0) {
      return CompletableFuture.completedFuture(into);
    }
    Node sole = cluster.soleNode();
    if (sole != null && sole.lanes() == 1) {
      return sole.send(new MultiGetCommand<>(NO_PREFIX, keys, null, into, reader));
    }
    List<Cluster.Part> parts = cluster.parts(keys, false);
    if (parts.size() == 1) {
      Cluster.Part part = parts.get(0);
      return part.node().send(new MultiGetCommand<>(NO_PREFIX, keys, null, into, reader), part.lane());
    }
    CompletableFuture<?>[] sent = new CompletableFuture<?>[parts.size()];
    for (int p = 0; p < sent.length; p++) {
      Cluster.Part part = parts.get(p);
      int[] positions = part.indexes();
      byte[][] partKeys = new byte[positions.length][];
      for (int i = 0; i < partKeys.length; i++) {
        partKeys[i] = keys[positions[i]];
      }
      sent[p] = part.node().send(new MultiGetCommand<>(NO_PREFIX, partKeys, positions, into, reader), part.lane());
    }
    return CompletableFuture.allOf(sent).thenApply(v -> into);
  }

  /**
   * {@link #getAll(byte[][], Object[], HitReader)} of the keys {@code prefix + suffixes[i]}, which
   * are only joined when they must be hashed to pick their nodes (more than one node serves).
   */
  public <T> CompletableFuture<T[]> getAll(byte[] prefix, byte[][] suffixes, T[] into, HitReader<T> reader) {
    Node sole = cluster.soleNode();
    if (sole == null || prefix.length == 0) {
      byte[][] keys = new byte[suffixes.length][];
      for (int i = 0; i < keys.length; i++) {
        keys[i] = join(prefix, suffixes[i]);
      }
      return getAll(keys, into, reader);
    }
    for (byte[] suffix : suffixes) {
      InvalidKeyException invalid = suffix == null ? checkKey(null)
          : prefix.length + suffix.length > Frames.MAX_KEY_LENGTH ? checkKey(join(prefix, suffix)) : null;
      if (invalid != null) {
        return CompletableFuture.failedFuture(invalid);
      }
    }
    if (suffixes.length == 0) {
      return CompletableFuture.completedFuture(into);
    }
    int lanes = sole.lanes();
    if (lanes == 1) {
      return sole.send(new MultiGetCommand<>(prefix, suffixes, null, into, reader));
    }
    // One command per lane, each key on its own lane (as its single reads and writes travel).
    int prefixHash = Node.hash(Node.LANE_HASH_SEED, prefix);
    int[] laneOf = new int[suffixes.length];
    for (int i = 0; i < suffixes.length; i++) {
      laneOf[i] = Node.laneOf(Node.hash(prefixHash, suffixes[i]), lanes);
    }
    int[][] byLane = Node.byLane(laneOf, lanes);
    List<CompletableFuture<T[]>> sent = new ArrayList<>(lanes);
    for (int lane = 0; lane < lanes; lane++) {
      int[] positions = byLane[lane];
      if (positions.length == suffixes.length) {
        return sole.send(new MultiGetCommand<>(prefix, suffixes, null, into, reader), lane);
      }
      if (positions.length > 0) {
        byte[][] laneSuffixes = new byte[positions.length][];
        for (int i = 0; i < positions.length; i++) {
          laneSuffixes[i] = suffixes[positions[i]];
        }
        sent.add(sole.send(new MultiGetCommand<>(prefix, laneSuffixes, positions, into, reader), lane));
      }
    }
    return CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0])).thenApply(v -> into);
  }

  private static byte[] join(byte[] prefix, byte[] suffix) {
    if (prefix.length == 0 || suffix == null) {
      return suffix;
    }
    byte[] key = java.util.Arrays.copyOf(prefix, prefix.length + suffix.length);
    System.arraycopy(suffix, 0, key, prefix.length, suffix.length);
    return key;
  }

  /** GAT: reads the item and sets its expiration in one step; null if absent. */
  public CompletableFuture<Item> getAndTouch(byte[] key, int exptime) {
    return single(key, () -> Request.touch(Opcode.GAT, key, exptime), MemcachedClient::decodeItem);
  }

  // ---------------------------------------------------------------- writes

  /** SET, ADD or REPLACE; {@code cas} 0 means unconditional. */
  public CompletableFuture<StoreResult> store(StoreMode mode, byte[] key, byte[] value, int flags, int exptime, long cas) {
    Node node = nodeForWrite(key);
    if (node == null) {
      return CompletableFuture.failedFuture(checkKey(key));
    }
    Request request = Request.store(mode.opcode(), key, value, flags, exptime, cas);
    return node.send(new SingleCommand<>(request, (r, n) -> decodeStore(r, n, value.length, node.itemSizeLimit())),
        node.lane(key));
  }

  public CompletableFuture<StoreResult> set(byte[] key, byte[] value, int flags, int exptime) {
    return store(StoreMode.SET, key, value, flags, exptime, 0L);
  }

  public CompletableFuture<StoreResult> add(byte[] key, byte[] value, int flags, int exptime) {
    return store(StoreMode.ADD, key, value, flags, exptime, 0L);
  }

  public CompletableFuture<StoreResult> replace(byte[] key, byte[] value, int flags, int exptime) {
    return store(StoreMode.REPLACE, key, value, flags, exptime, 0L);
  }

  /**
   * Stores many items with quiet commands, one pipelined batch per node closed by a NOOP. The
   * result is aligned with {@code keys}; per key, the outcome or an error.
   */
  public CompletableFuture<BatchResult> storeAll(StoreMode mode, byte[][] keys, byte[][] values, int[] flags, int[] exptimes) {
    Request[] requests = new Request[keys.length];
    for (int i = 0; i < keys.length; i++) {
      InvalidKeyException invalid = checkKey(keys[i]);
      if (invalid != null) {
        return CompletableFuture.failedFuture(invalid);
      }
      requests[i] = Request.store(mode.quietOpcode(), keys[i], values[i], flags[i], exptimes[i], 0L);
    }
    return quietBatch(keys, requests);
  }

  /** Deletes many keys with quiet commands; per key DELETED/NOT_FOUND or an error. */
  public CompletableFuture<BatchResult> deleteAll(byte[][] keys) {
    Request[] requests = new Request[keys.length];
    for (int i = 0; i < keys.length; i++) {
      InvalidKeyException invalid = checkKey(keys[i]);
      if (invalid != null) {
        return CompletableFuture.failedFuture(invalid);
      }
      requests[i] = Request.delete(Opcode.DELETEQ, keys[i], 0L);
    }
    return quietBatch(keys, requests);
  }

  private CompletableFuture<BatchResult> quietBatch(byte[][] keys, Request[] requests) {
    StoreResult.Status[] statuses = new StoreResult.Status[keys.length];
    MemcachedException[] errors = new MemcachedException[keys.length];
    if (keys.length == 0) {
      return CompletableFuture.completedFuture(new BatchResult(statuses, errors));
    }
    List<Cluster.Part> byConnection = cluster.parts(keys, true);
    List<CompletableFuture<Void>> parts = new ArrayList<>(byConnection.size());
    for (Cluster.Part part : byConnection) {
      int[] indexes = part.indexes();
      Request[] frames = new Request[indexes.length];
      for (int i = 0; i < frames.length; i++) {
        frames[i] = requests[indexes[i]];
      }
      Node node = part.node();
      CompletableFuture<Void> done = node.send(new QuietBatchCommand(frames, node::itemSizeLimit), part.lane())
          .handle((outcomes, error) -> {
            for (int i = 0; i < frames.length; i++) {
              int at = indexes[i];
              if (error != null) {
                errors[at] = asMemcachedException(error);
              } else if (outcomes.errors()[i] != null) {
                errors[at] = outcomes.errors()[i];
              } else {
                statuses[at] = batchStatus(outcomes.statuses()[i]);
              }
            }
            return null;
          });
      parts.add(done);
    }
    return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0]))
        .thenApply(v -> new BatchResult(statuses, errors));
  }

  private static StoreResult.Status batchStatus(Status status) {
    if (status == null || status == Status.NO_ERROR) {
      return StoreResult.Status.STORED;
    }
    switch (status) {
      case KEY_EXISTS: return StoreResult.Status.EXISTS;
      case KEY_NOT_FOUND: return StoreResult.Status.NOT_FOUND;
      default: return StoreResult.Status.NOT_STORED;
    }
  }

  /** DELETE, conditional on {@code cas} unless it is 0. */
  public CompletableFuture<DeleteResult> delete(byte[] key, long cas) {
    return singleWrite(key, () -> Request.delete(Opcode.DELETE, key, cas), (r, n) -> {
      switch (r.status()) {
        case NO_ERROR: return DeleteResult.DELETED;
        case KEY_NOT_FOUND: return DeleteResult.NOT_FOUND;
        case KEY_EXISTS: return DeleteResult.EXISTS;
        default: throw Responses.error(r, n, -1, -1);
      }
    });
  }

  /**
   * INCREMENT ({@code delta >= 0}) or DECREMENT (by {@code -delta}). A missing item is created with
   * {@code initial} unless {@code exptime} is {@link #NO_AUTO_CREATE}, in which case the result is
   * null.
   */
  public CompletableFuture<Long> incr(byte[] key, long delta, long initial, int exptime) {
    byte opcode = delta >= 0 ? Opcode.INCREMENT : Opcode.DECREMENT;
    return singleWrite(key, () -> Request.counter(opcode, key, Math.abs(delta), initial, exptime), (r, n) -> {
      if (r.status() == Status.KEY_NOT_FOUND) {
        return null;
      }
      Responses.requireOk(r, n);
      return r.counterValue();
    });
  }

  /** APPEND or PREPEND; false if there is no item to extend. */
  public CompletableFuture<Boolean> concat(boolean append, byte[] key, byte[] value) {
    Node node = nodeForWrite(key);
    if (node == null) {
      return CompletableFuture.failedFuture(checkKey(key));
    }
    Request request = Request.concat(append ? Opcode.APPEND : Opcode.PREPEND, key, value, 0L);
    return node.send(new SingleCommand<>(request, (r, n) -> {
      if (r.status() == Status.ITEM_NOT_STORED || r.status() == Status.KEY_NOT_FOUND) {
        return false;
      }
      if (r.status() != Status.NO_ERROR) {
        throw Responses.error(r, n, value.length, node.itemSizeLimit());
      }
      return true;
    }), node.lane(key));
  }

  /** TOUCH: sets a new expiration; false if the item is absent. */
  public CompletableFuture<Boolean> touch(byte[] key, int exptime) {
    return single(key, () -> Request.touch(Opcode.TOUCH, key, exptime), (r, n) -> {
      if (r.status() == Status.KEY_NOT_FOUND) {
        return false;
      }
      Responses.requireOk(r, n);
      return true;
    });
  }

  // ---------------------------------------------------------------- per node

  /** NOOP on one node: a round trip through its connection. */
  public CompletableFuture<Void> noop(Node node) {
    return node.send(new SingleCommand<>(Request.bare(Opcode.NOOP), (r, n) -> {
      Responses.requireOk(r, n);
      return null;
    }));
  }

  /** The server's version string. */
  public CompletableFuture<String> version(Node node) {
    return node.send(new SingleCommand<>(Request.bare(Opcode.VERSION), (r, n) -> {
      Responses.requireOk(r, n);
      return r.valueAsString();
    }));
  }

  /** STAT with an optional group ("settings", "items", ...); null for the general statistics. */
  public CompletableFuture<Map<String, String>> stats(Node node, String group) {
    return node.send(Connection.statsCommand(group));
  }

  /** Sends any command to one node (SASL exchanges, tests). */
  public <T> CompletableFuture<T> send(Node node, Command<T> command) {
    return node.send(command);
  }

  /** Sends a command about keys to the connection that carries them (a {@link Cluster.Part}). */
  public <T> CompletableFuture<T> send(Cluster.Part part, Command<T> command) {
    return part.node().send(command, part.lane());
  }

  // ---------------------------------------------------------------- plumbing

  /** The node that serves {@code key} now, or null if the key is invalid. */
  public Node nodeFor(byte[] key) {
    if (checkKey(key) != null) {
      return null;
    }
    return cluster.nodeFor(key);
  }

  /** {@link #nodeFor} for a request that changes the item (see {@link Cluster#nodeForWrite}). */
  private Node nodeForWrite(byte[] key) {
    if (checkKey(key) != null) {
      return null;
    }
    return cluster.nodeForWrite(key);
  }

  private <T> CompletableFuture<T> single(byte[] key, java.util.function.Supplier<Request> request,
      SingleCommand.Decoder<T> decoder) {
    InvalidKeyException invalid = checkKey(key);
    if (invalid != null) {
      return CompletableFuture.failedFuture(invalid);
    }
    Node node = cluster.nodeFor(key);
    return node.send(new SingleCommand<>(request.get(), decoder), node.lane(key));
  }

  private <T> CompletableFuture<T> singleWrite(byte[] key, java.util.function.Supplier<Request> request,
      SingleCommand.Decoder<T> decoder) {
    InvalidKeyException invalid = checkKey(key);
    if (invalid != null) {
      return CompletableFuture.failedFuture(invalid);
    }
    Node node = cluster.nodeForWrite(key);
    return node.send(new SingleCommand<>(request.get(), decoder), node.lane(key));
  }

  /** Null if memcached accepts the key, else the reason it would not. */
  public static InvalidKeyException checkKey(byte[] key) {
    if (key == null) {
      return new InvalidKeyException("key is null");
    }
    if (key.length == 0) {
      return new InvalidKeyException("key is empty");
    }
    if (key.length > Frames.MAX_KEY_LENGTH) {
      return new InvalidKeyException("key of " + key.length + " bytes exceeds memcached's limit of "
          + Frames.MAX_KEY_LENGTH + " bytes");
    }
    return null;
  }

  private static Item decodeItem(Response r, String node) {
    if (r.status() == Status.KEY_NOT_FOUND) {
      return null;
    }
    Responses.requireOk(r, node);
    return new Item(r.value(), r.flags(), r.cas());
  }

  private static StoreResult decodeStore(Response r, String node, int size, long limit) {
    switch (r.status()) {
      case NO_ERROR: return new StoreResult(StoreResult.Status.STORED, r.cas());
      case KEY_EXISTS: return new StoreResult(StoreResult.Status.EXISTS, 0L);
      case KEY_NOT_FOUND: return new StoreResult(StoreResult.Status.NOT_FOUND, 0L);
      case ITEM_NOT_STORED: return new StoreResult(StoreResult.Status.NOT_STORED, 0L);
      default: throw Responses.error(r, node, size, limit);
    }
  }

  /** The cause behind CompletionException wrappers. */
  public static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  static MemcachedException asMemcachedException(Throwable error) {
    Throwable cause = error;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof MemcachedException) {
      return (MemcachedException) cause;
    }
    return new MemcachedException(cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
  }

  /**
   * Waits for an operation: the synchronous form of every call. Errors are rethrown as the
   * {@link MemcachedException} (or other runtime exception) that failed the future.
   */
  public static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw rethrow(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(false);
      throw new MemcachedException("interrupted while waiting for memcached", e);
    }
  }

  /** Like {@link #await(CompletableFuture)} with an upper bound, for calls that span several requests. */
  public static <T> T await(CompletableFuture<T> future, long timeoutMillis) {
    try {
      return future.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw rethrow(e.getCause());
    } catch (TimeoutException e) {
      throw new MemcachedTimeoutException("no result from memcached within " + timeoutMillis + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(false);
      throw new MemcachedException("interrupted while waiting for memcached", e);
    }
  }

  private static RuntimeException rethrow(Throwable cause) {
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof RuntimeException) {
      return (RuntimeException) cause;
    }
    if (cause instanceof Error) {
      throw (Error) cause;
    }
    return new MemcachedException(String.valueOf(cause.getMessage()), cause);
  }

  /** Closes every connection and releases the shared I/O threads. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      cluster.close();
      loops.release();
    }
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
