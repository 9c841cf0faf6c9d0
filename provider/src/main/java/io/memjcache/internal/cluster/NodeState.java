package io.memjcache.internal.cluster;

/** The health of one node as the client sees it. */
public enum NodeState {
  /** Serving, possibly with a few consecutive failures below the threshold. */
  UP,
  /** Failed {@link ClusterSettings#failureThreshold} times in a row; probed until it answers. */
  DOWN
}
