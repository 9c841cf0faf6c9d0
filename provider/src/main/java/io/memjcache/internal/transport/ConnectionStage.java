package io.memjcache.internal.transport;

import java.util.concurrent.CompletionStage;

/**
 * A step that runs on a freshly opened connection before any caller's command is sent, such as a
 * SASL authentication exchange. Runs again on every reconnect.
 */
@FunctionalInterface
public interface ConnectionStage {
  CompletionStage<Void> run(Connection connection);
}
