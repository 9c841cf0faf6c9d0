package io.memjcache.internal.cluster;

import java.util.concurrent.atomic.LongAdder;

/**
 * What has happened to one node since its client started, for monitoring: requests that timed out,
 * connections that could not be opened (authentication refusals among them), connections lost, and
 * connections re-established after a loss. Counts only ever grow; reading them takes no lock.
 */
public final class NodeCounters {
  private final LongAdder timeouts = new LongAdder();
  private final LongAdder connectFailures = new LongAdder();
  private final LongAdder authenticationFailures = new LongAdder();
  private final LongAdder connectionsLost = new LongAdder();
  private final LongAdder reconnects = new LongAdder();

  /** Requests to this node that got no answer in time. */
  public long timeouts() {
    return timeouts.sum();
  }

  /** Attempts to open a connection (TCP, TLS handshake, SASL) that failed. */
  public long connectFailures() {
    return connectFailures.sum();
  }

  /** Of {@link #connectFailures}: those the server refused in the SASL exchange (or that had no usable mechanism). */
  public long authenticationFailures() {
    return authenticationFailures.sum();
  }

  /** Open connections that closed without the client closing them. */
  public long connectionsLost() {
    return connectionsLost.sum();
  }

  /** Connections opened after an earlier one was lost or closed: the first connection is no reconnect. */
  public long reconnects() {
    return reconnects.sum();
  }

  void timeout() {
    timeouts.increment();
  }

  void connectFailure(boolean authentication) {
    connectFailures.increment();
    if (authentication) {
      authenticationFailures.increment();
    }
  }

  void connectionLost() {
    connectionsLost.increment();
  }

  void reconnect() {
    reconnects.increment();
  }

  @Override
  public String toString() {
    return "timeouts=" + timeouts() + " connectFailures=" + connectFailures() + " authenticationFailures="
        + authenticationFailures() + " connectionsLost=" + connectionsLost() + " reconnects=" + reconnects();
  }
}
