package io.memjcache.internal.cluster;

/**
 * A snapshot of one node's health, for monitoring.
 *
 * @param name "host:port"
 * @param state up or down
 * @param consecutiveFailures failures since the last answer (connect failures, timeouts, dropped
 *     connections)
 * @param lastError the text of the last failure, or null if there was none
 * @param reconnects connections opened after the first one
 */
public record NodeStatus(String name, NodeState state, int consecutiveFailures, String lastError, long reconnects) {}
