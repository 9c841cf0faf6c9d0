package io.memjcache.internal.cluster;

import io.memjcache.internal.transport.Connection;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The servers of one client and the ketama ring that places keys on them. Routing goes through an
 * immutable continuum swapped as a whole, so taking a failed node off the ring or changing the
 * server list at run time is one volatile write.
 */
public final class Cluster implements AutoCloseable {
  private final List<Node> nodes;
  private volatile KetamaContinuum<Node> ring;

  public Cluster(List<InetSocketAddress> servers, Function<InetSocketAddress, CompletableFuture<Connection>> connector) {
    LinkedHashSet<String> seen = new LinkedHashSet<>();
    List<Node> list = new ArrayList<>(servers.size());
    for (InetSocketAddress address : servers) {
      Node node = new Node(address, connector);
      if (!seen.add(node.name())) {
        throw new IllegalArgumentException("server " + node.name() + " is listed twice");
      }
      list.add(node);
    }
    this.nodes = List.copyOf(list);
    this.ring = KetamaContinuum.of(nodes, n -> KetamaNodeKeyFormat.SPYMEMCACHED.nodeKey(
        n.address().getHostString(), n.address().getPort()));
  }

  /** Every configured node, in configuration order. */
  public List<Node> nodes() {
    return nodes;
  }

  /** The node that owns {@code key}. */
  public Node nodeFor(byte[] key) {
    return nodes.size() == 1 ? nodes.get(0) : ring.nodeFor(key);
  }

  /** Groups key indexes by owning node, keeping each node's keys in request order. */
  public Map<Node, List<Integer>> partition(byte[][] keys) {
    Map<Node, List<Integer>> byNode = new LinkedHashMap<>();
    for (int i = 0; i < keys.length; i++) {
      byNode.computeIfAbsent(nodeFor(keys[i]), n -> new ArrayList<>()).add(i);
    }
    return byNode;
  }

  @Override
  public void close() {
    for (Node node : nodes) {
      node.close();
    }
  }
}
