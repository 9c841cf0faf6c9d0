package io.memjcache.internal.cluster;

import io.memjcache.internal.transport.ConnectionException;

/**
 * A request for a node that is down, refused at once rather than left to a timeout (the {@link
 * FailurePolicy#FAIL_FAST} policy). The cause is the node's last failure.
 */
public final class NodeDownException extends ConnectionException {
  private static final long serialVersionUID = 1L;

  private final String node;

  public NodeDownException(String node, String message, Throwable lastFailure) {
    super(message, lastFailure);
    this.node = node;
  }

  /** The node, "host:port". */
  public String node() {
    return node;
  }
}
