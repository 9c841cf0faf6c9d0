package io.memjcache.testing;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Several independent memcached servers with the same options, each on its own port. */
public final class MemcachedCluster implements AutoCloseable {

  private final List<MemcachedServer> nodes;

  private MemcachedCluster(List<MemcachedServer> nodes) {
    this.nodes = List.copyOf(nodes);
  }

  public static MemcachedCluster start(int size) {
    return start(size, ServerOptions.defaults());
  }

  /** Starts {@code size} servers; if one fails, those already started are closed. */
  public static MemcachedCluster start(int size, ServerOptions options) {
    if (size < 1) {
      throw new IllegalArgumentException("a cluster needs at least one node: " + size);
    }
    List<MemcachedServer> started = new ArrayList<>();
    try {
      for (int i = 0; i < size; i++) {
        started.add(MemcachedServer.start(options));
      }
    } catch (RuntimeException e) {
      closeAll(started, e);
      throw e;
    }
    return new MemcachedCluster(started);
  }

  public List<MemcachedServer> nodes() {
    return nodes;
  }

  public MemcachedServer node(int index) {
    return nodes.get(index);
  }

  public int size() {
    return nodes.size();
  }

  public List<InetSocketAddress> addresses() {
    return nodes.stream().map(MemcachedServer::address).collect(Collectors.toList());
  }

  /** "127.0.0.1:p1,127.0.0.1:p2,...", in node order. */
  public String serverList() {
    return nodes.stream().map(MemcachedServer::hostAndPort).collect(Collectors.joining(","));
  }

  /** Closes every node, even when one of them fails to close. */
  @Override
  public void close() {
    RuntimeException failure = closeAll(nodes, null);
    if (failure != null) {
      throw failure;
    }
  }

  private static RuntimeException closeAll(List<MemcachedServer> servers, RuntimeException failure) {
    for (MemcachedServer server : servers) {
      try {
        server.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    return failure;
  }

  @Override
  public String toString() {
    return "MemcachedCluster[" + serverList() + "]";
  }
}
