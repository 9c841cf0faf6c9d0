package io.memjcache.internal.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * Immutable transport settings of one connection.
 *
 * @param connectTimeout how long opening a connection (and its handshakes) may take
 * @param operationTimeout how long a request may wait for its answer
 * @param maxInFlight how many commands may be queued or unanswered on one connection
 * @param maxResponseBodyLength the largest response body accepted before allocating it
 */
public record ConnectionSettings(
    Duration connectTimeout, Duration operationTimeout, int maxInFlight, int maxResponseBodyLength) {

  public static final ConnectionSettings DEFAULTS =
      new ConnectionSettings(Duration.ofSeconds(5), Duration.ofSeconds(2), 8192, 64 * 1024 * 1024);

  public ConnectionSettings {
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(operationTimeout, "operationTimeout");
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connectTimeout must be positive, was " + connectTimeout);
    }
    if (operationTimeout.isNegative() || operationTimeout.isZero()) {
      throw new IllegalArgumentException("operationTimeout must be positive, was " + operationTimeout);
    }
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
    }
    if (maxResponseBodyLength < 1024) {
      throw new IllegalArgumentException("maxResponseBodyLength must be at least 1024, was " + maxResponseBodyLength);
    }
  }

  public ConnectionSettings withOperationTimeout(Duration timeout) {
    return new ConnectionSettings(connectTimeout, timeout, maxInFlight, maxResponseBodyLength);
  }

  public ConnectionSettings withMaxInFlight(int max) {
    return new ConnectionSettings(connectTimeout, operationTimeout, max, maxResponseBodyLength);
  }

  public ConnectionSettings withConnectTimeout(Duration timeout) {
    return new ConnectionSettings(timeout, operationTimeout, maxInFlight, maxResponseBodyLength);
  }
}
