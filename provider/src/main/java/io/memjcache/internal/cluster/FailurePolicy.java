package io.memjcache.internal.cluster;

/** What happens to the keys of a node that is down (taken down by {@link ClusterSettings#failureThreshold}). */
public enum FailurePolicy {
  /**
   * The node leaves the ketama ring and its keys go to the next nodes until it answers a probe
   * again. When every node is down, requests go to their own node as if it were up.
   */
  REDISTRIBUTE,
  /**
   * The node stays on the ring and requests for its keys fail at once with a {@link
   * NodeDownException} until it answers a probe again.
   */
  FAIL_FAST
}
