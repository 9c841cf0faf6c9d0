package io.memjcache.internal.cluster;

import io.memjcache.internal.transport.Connection;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The servers of one client and the ketama ring that places keys on them. Routing reads one
 * immutable {@link Routing} swapped as a whole, so taking a down node off the ring, putting it back
 * or changing the server list at run time is one volatile write. A node that fails {@link
 * ClusterSettings#failureThreshold} times in a row is down: under {@link
 * FailurePolicy#REDISTRIBUTE} it leaves the ring (its keys go to the next nodes), under {@link
 * FailurePolicy#FAIL_FAST} it stays and refuses its keys at once. Either way {@link Probes} probe
 * it in the background until it answers, and it comes back.
 */
public final class Cluster implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Cluster.class.getName());

  /**
   * The nodes in configuration order, the continuum of all of them, and the one keys are routed
   * on: the same without the down nodes under REDISTRIBUTE (or all of them, if every node is down).
   */
  private record Routing(List<Node> nodes, KetamaContinuum<Node> all, KetamaContinuum<Node> ring) {
    boolean redistributed() {
      return ring != all;
    }
  }

  private final Function<InetSocketAddress, CompletableFuture<Connection>> connector;
  private final ClusterSettings settings;
  private final int connectionsPerNode;
  private final LongSupplier clock;
  private final DoubleSupplier random;
  private final Probes probes;
  private final Object lock = new Object();
  private final Set<Node> retiring = new HashSet<>();
  private final Node.Listener listener = new Node.Listener() {
    @Override
    public void down(Node node) {
      nodeDown(node);
    }

    @Override
    public void answeredWhileDown(Node node) {
      probes.probeNow(node);
    }
  };
  private volatile Routing routing;
  private boolean closed;

  /**
   * @param connector opens a ready connection (TLS and SASL stages included) to a server
   * @param scheduler runs probes and delayed closes; the cluster cancels what it scheduled on close
   */
  public Cluster(List<InetSocketAddress> servers, Function<InetSocketAddress, CompletableFuture<Connection>> connector,
      ClusterSettings settings, Scheduler scheduler) {
    this(servers, connector, 1, settings, scheduler);
  }

  /**
   * @param connectionsPerNode how many connections each node opens (see {@link Node#lanes()})
   */
  public Cluster(List<InetSocketAddress> servers, Function<InetSocketAddress, CompletableFuture<Connection>> connector,
      int connectionsPerNode, ClusterSettings settings, Scheduler scheduler) {
    this(servers, connector, connectionsPerNode, settings, scheduler, System::nanoTime,
        () -> ThreadLocalRandom.current().nextDouble(), null);
  }

  /** For tests: a fake clock, fixed randomness and, unless null, a fake probe. */
  Cluster(List<InetSocketAddress> servers, Function<InetSocketAddress, CompletableFuture<Connection>> connector,
      ClusterSettings settings, Scheduler scheduler, LongSupplier clock, DoubleSupplier random,
      Function<Node, CompletableFuture<Void>> probe) {
    this(servers, connector, 1, settings, scheduler, clock, random, probe);
  }

  private Cluster(List<InetSocketAddress> servers, Function<InetSocketAddress, CompletableFuture<Connection>> connector,
      int connectionsPerNode, ClusterSettings settings, Scheduler scheduler, LongSupplier clock, DoubleSupplier random,
      Function<Node, CompletableFuture<Void>> probe) {
    if (connectionsPerNode < 1) {
      throw new IllegalArgumentException("connectionsPerNode must be at least 1, was " + connectionsPerNode);
    }
    this.connectionsPerNode = connectionsPerNode;
    this.connector = connector;
    this.settings = settings;
    this.clock = clock;
    this.random = random;
    this.probes = new Probes(this, scheduler, probe == null ? Node::probe : probe);
    List<Node> nodes = newNodes(servers, Map.of());
    this.routing = routing(nodes, KetamaContinuum.of(nodes, Cluster::nodeKey));
  }

  private static String nodeKey(Node node) {
    return KetamaNodeKeyFormat.SPYMEMCACHED.nodeKey(node.address().getHostString(), node.address().getPort());
  }

  public ClusterSettings settings() {
    return settings;
  }

  /** Every configured node, in configuration order, whatever its health. */
  public List<Node> nodes() {
    return routing.nodes();
  }

  /** The health of every configured node, in configuration order. */
  public List<NodeStatus> nodeStates() {
    List<Node> nodes = routing.nodes();
    List<NodeStatus> states = new ArrayList<>(nodes.size());
    for (Node node : nodes) {
      states.add(node.status());
    }
    return states;
  }

  /** The node that serves {@code key} now: its own, or the next up node while its own is down. */
  public Node nodeFor(byte[] key) {
    Routing r = routing;
    return r.nodes().size() == 1 ? r.nodes().get(0) : r.ring().nodeFor(key);
  }

  /**
   * {@link #nodeFor} for a request that changes the item ({@code set}, {@code delete}, {@code incr}
   * ...). When the key's own node is down and another serves it, the key is remembered, so that the
   * copies on either side are deleted when the node comes back (see {@link FailoverJournal}).
   */
  public Node nodeForWrite(byte[] key) {
    Routing r = routing;
    if (!r.redistributed()) {
      return r.nodes().size() == 1 ? r.nodes().get(0) : r.ring().nodeFor(key);
    }
    Node node = r.ring().nodeFor(key);
    Node home = r.all().nodeFor(key);
    if (home != node) {
      home.journal().record(key, node);
    }
    return node;
  }

  /** The node serving every key when only one serves any, else null (then see {@link #partition}). */
  public Node soleNode() {
    Routing r = routing;
    return r.nodes().size() == 1 ? r.nodes().get(0) : null;
  }

  /** Groups key indexes by serving node, keeping each node's keys in request order. */
  public Map<Node, List<Integer>> partition(byte[][] keys) {
    return partition(keys, false);
  }

  /** {@link #partition(byte[][])} for requests that change the items, as {@link #nodeForWrite}. */
  public Map<Node, List<Integer>> partitionForWrite(byte[][] keys) {
    return partition(keys, true);
  }

  /** The keys one connection carries: a node, one of its lanes, and the keys' indexes in request order. */
  public record Part(Node node, int lane, int[] indexes) {}

  /**
   * Groups key indexes by serving node and, within a node, by lane ({@link Node#lane(byte[])}),
   * keeping request order; {@code write} routes as {@link #nodeForWrite}.
   */
  public List<Part> parts(byte[][] keys, boolean write) {
    Map<Node, List<Integer>> byNode = partition(keys, write);
    List<Part> parts = new ArrayList<>(byNode.size() * connectionsPerNode);
    for (Map.Entry<Node, List<Integer>> entry : byNode.entrySet()) {
      Node node = entry.getKey();
      List<Integer> indexes = entry.getValue();
      if (node.lanes() == 1) {
        parts.add(new Part(node, 0, toArray(indexes, indexes.size())));
        continue;
      }
      int[] laneOf = new int[indexes.size()];
      for (int i = 0; i < laneOf.length; i++) {
        laneOf[i] = node.lane(keys[indexes.get(i)]);
      }
      int[][] byLane = Node.byLane(laneOf, node.lanes());
      for (int lane = 0; lane < byLane.length; lane++) {
        int[] positions = byLane[lane];
        if (positions.length == 0) {
          continue;
        }
        int[] laneIndexes = new int[positions.length];
        for (int i = 0; i < positions.length; i++) {
          laneIndexes[i] = indexes.get(positions[i]);
        }
        parts.add(new Part(node, lane, laneIndexes));
      }
    }
    return parts;
  }

  private static int[] toArray(List<Integer> list, int size) {
    int[] array = new int[size];
    for (int i = 0; i < size; i++) {
      array[i] = list.get(i);
    }
    return array;
  }

  private Map<Node, List<Integer>> partition(byte[][] keys, boolean write) {
    Map<Node, List<Integer>> byNode = new LinkedHashMap<>();
    for (int i = 0; i < keys.length; i++) {
      Node node = write ? nodeForWrite(keys[i]) : nodeFor(keys[i]);
      byNode.computeIfAbsent(node, n -> new ArrayList<>()).add(i);
    }
    return byNode;
  }

  // ---------------------------------------------------------------- server list

  /**
   * Replaces the server list without a restart. Nodes that stay keep their connection and health;
   * new ones join the ring at once (connecting on first use); removed ones leave it at once and are
   * closed once the requests already sent to them have finished or failed.
   *
   * @return completes when every removed node is closed
   * @throws IllegalArgumentException if the list is empty or names a server twice
   * @throws IllegalStateException if the cluster is closed
   */
  public CompletableFuture<Void> setServers(List<InetSocketAddress> servers) {
    List<Node> removed = new ArrayList<>();
    List<Node> added = new ArrayList<>();
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("the cluster is closed");
      }
      Map<String, Node> current = new HashMap<>();
      for (Node node : routing.nodes()) {
        current.put(node.name(), node);
      }
      List<Node> nodes = newNodes(servers, current);
      Set<Node> kept = new HashSet<>(nodes);
      for (Node node : routing.nodes()) {
        if (!kept.contains(node)) {
          removed.add(node);
        }
      }
      for (Node node : nodes) {
        if (!current.containsValue(node)) {
          added.add(node);
        }
      }
      routing = routing(nodes, routing.all().withNodes(nodes));
      retiring.addAll(removed);
    }
    if (!added.isEmpty() || !removed.isEmpty()) {
      LOG.log(System.Logger.Level.INFO, "memcached servers changed: added " + added + ", removed " + removed);
    }
    List<CompletableFuture<Void>> closing = new ArrayList<>();
    for (Node node : removed) {
      probes.cancel(node);
      closing.add(probes.closeWhenIdle(node));
    }
    return CompletableFuture.allOf(closing.toArray(new CompletableFuture<?>[0]));
  }

  /** The nodes for {@code servers}, reusing those in {@code current} by name. */
  private List<Node> newNodes(List<InetSocketAddress> servers, Map<String, Node> current) {
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("at least one memcached server is required");
    }
    Set<String> seen = new HashSet<>();
    List<Node> nodes = new ArrayList<>(servers.size());
    for (InetSocketAddress address : servers) {
      String name = address.getHostString() + ":" + address.getPort();
      if (!seen.add(name)) {
        throw new IllegalArgumentException("server " + name + " is listed twice");
      }
      Node node = current.get(name);
      if (node == null) {
        node = new Node(address, connector, connectionsPerNode, settings, clock,
            new NodeHealth(settings, clock, random));
        node.listener(listener);
      }
      nodes.add(node);
    }
    return List.copyOf(nodes);
  }

  /** Routing over {@code nodes}: under REDISTRIBUTE the ring holds the up nodes, or all if none is up. */
  private Routing routing(List<Node> nodes, KetamaContinuum<Node> all) {
    if (settings.failurePolicy() == FailurePolicy.FAIL_FAST) {
      return new Routing(nodes, all, all);
    }
    List<Node> up = new ArrayList<>(nodes.size());
    for (Node node : nodes) {
      if (!node.health().isDown()) {
        up.add(node);
      }
    }
    boolean allOrNone = up.size() == nodes.size() || up.isEmpty();
    return new Routing(nodes, all, allOrNone ? all : all.withNodes(up));
  }

  boolean isMember(Node node) {
    return routing.nodes().contains(node);
  }

  boolean isClosed() {
    synchronized (lock) {
      return closed;
    }
  }

  // ---------------------------------------------------------------- health

  private void nodeDown(Node node) {
    synchronized (lock) {
      if (closed || !isMember(node)) {
        return;
      }
      routing = routing(routing.nodes(), routing.all());
    }
    NodeStatus status = node.status();
    LOG.log(System.Logger.Level.WARNING, "memcached node " + node.name() + " is down after "
        + status.consecutiveFailures() + " consecutive failures (" + status.lastError() + "); "
        + (settings.failurePolicy() == FailurePolicy.REDISTRIBUTE
            ? "its keys go to the other nodes" : "requests for its keys fail at once")
        + " until it answers a probe");
    probes.scheduleNext(node);
  }

  /**
   * Before a node that answered a probe rejoins: deletes from it the keys written on other nodes
   * while it was down, so it cannot serve older values of them, and the keys of other down nodes it
   * stood in for before it went down itself, which return to it and may have been written elsewhere
   * since. Returns how many of its own journal's keys were deleted.
   */
  CompletableFuture<Integer> clearStaleValues(Node node) {
    int own = node.journal().size();
    List<byte[]> keys = new ArrayList<>(node.journal().keysFrom(0));
    for (Node other : routing.nodes()) {
      if (other != node && other.health().isDown()) {
        keys.addAll(other.journal().keysOn(node));
      }
    }
    return node.deleteKeys(keys).thenApply(v -> own);
  }

  /**
   * Puts a node that answered a probe back: up, on the ring. The keys written elsewhere meanwhile
   * are then deleted from the nodes that stood in (so those copies cannot resurface should it fail
   * again; a stand-in that is down is told to delete them from itself before it rejoins), and from
   * the node itself if they were written after {@link #clearStaleValues} ran.
   */
  void rejoin(Node node, int alreadyCleared, long downForMillis) {
    FailoverJournal.Entries written;
    synchronized (lock) {
      if (closed || !isMember(node) || !node.health().recordUp()) {
        return;
      }
      written = node.journal().take();
      routing = routing(routing.nodes(), routing.all());
    }
    List<FailoverJournal.Entry> entries = written.entries();
    LOG.log(System.Logger.Level.INFO, "memcached node " + node.name() + " answers again after " + downForMillis
        + " ms; it is back on the ring" + (entries.isEmpty() ? ""
            : " (" + entries.size() + " keys written elsewhere meanwhile are cleared)"));
    if (written.overflowed()) {
      LOG.log(System.Logger.Level.WARNING, "more than " + FailoverJournal.LIMIT + " keys of " + node.name()
          + " were written on other nodes while it was down; for the others, values older than those writes"
          + " may be read from it until they expire");
    }
    if (entries.size() > alreadyCleared) {
      node.deleteKeys(written.keys().subList(alreadyCleared, entries.size()));
    }
    Map<Node, List<byte[]>> byStandIn = new LinkedHashMap<>();
    for (FailoverJournal.Entry entry : entries) {
      for (Node standIn : entry.standIns()) {
        if (standIn == node || !isMember(standIn)) {
          continue;
        }
        if (standIn.health().isDown()) {
          standIn.journal().record(entry.key(), null); // it deletes its copy before it rejoins
        } else {
          byStandIn.computeIfAbsent(standIn, n -> new ArrayList<>()).add(entry.key());
        }
      }
    }
    byStandIn.forEach((standIn, keys) -> standIn.deleteKeys(keys).whenComplete((v, e) -> {
      if (e != null) {
        LOG.log(System.Logger.Level.DEBUG, "could not clear failover copies on " + standIn.name() + ": " + e);
      }
    }));
  }

  Future<?> schedule(Scheduler scheduler, Runnable task, long delayNanos) {
    synchronized (lock) {
      if (closed) {
        return null;
      }
      try {
        return scheduler.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        return null; // the event loops are shutting down: so is the client
      }
    }
  }

  void retired(Node node) {
    synchronized (lock) {
      retiring.remove(node);
    }
  }

  /** Cancels the probes and closes every node, removed ones still draining included. */
  @Override
  public void close() {
    List<Node> toClose;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      toClose = new ArrayList<>(routing.nodes());
      toClose.addAll(retiring);
      retiring.clear();
    }
    probes.cancelAll();
    for (Node node : toClose) {
      node.close();
    }
  }
}
