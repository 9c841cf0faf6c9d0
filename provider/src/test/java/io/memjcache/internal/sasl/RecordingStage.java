package io.memjcache.internal.sasl;

import io.memjcache.internal.protocol.Opcode;
import io.memjcache.internal.transport.Connection;
import io.memjcache.internal.transport.ConnectionStage;
import io.memjcache.internal.transport.SingleCommand;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a {@link SaslAuthenticator} exactly as {@link SaslAuthenticator#run} does, and records how
 * often it ran (one run per connection attempt) and which mechanisms it asked the server for.
 */
final class RecordingStage implements ConnectionStage {
  private final SaslAuthenticator authenticator;
  private final AtomicInteger runs = new AtomicInteger();
  private final List<String> mechanisms = new CopyOnWriteArrayList<>();

  RecordingStage(SaslAuthenticator authenticator) {
    this.authenticator = authenticator;
  }

  @Override
  public CompletionStage<Void> run(Connection connection) {
    runs.incrementAndGet();
    return authenticator.authenticate(connection.node(), SaslAuthenticator.hasTls(connection), request -> {
      if (request.opcode() == Opcode.SASL_AUTH) {
        mechanisms.add(new String(request.key(), StandardCharsets.US_ASCII));
      }
      return connection.send(new SingleCommand<>(request, (response, node) -> response));
    });
  }

  /** Connection attempts that reached the SASL stage. */
  int runs() {
    return runs.get();
  }

  /** The mechanism of every SASL_AUTH sent, in order. */
  List<String> mechanisms() {
    return List.copyOf(mechanisms);
  }
}
