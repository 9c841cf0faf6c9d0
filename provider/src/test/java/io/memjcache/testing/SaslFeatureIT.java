package io.memjcache.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SaslFeatureIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  @Test
  void plainLoginIsRequiredAndWorks() throws IOException {
    ServerOptions options = ServerOptions.builder().feature(SaslFeature.plain("alice", "s3cret")).build();
    try (MemcachedServer server = MemcachedServer.start(options)) {
      try (RawBinaryClient client = RawBinaryClient.connect(server.address(), TIMEOUT)) {
        assertEquals(List.of("PLAIN"), client.saslMechanisms());
        assertEquals(RawBinaryClient.STATUS_AUTH_ERROR, client.get("k").status());
      }
      try (RawBinaryClient client = RawBinaryClient.connect(server.address(), TIMEOUT)) {
        assertEquals(RawBinaryClient.STATUS_AUTH_ERROR, client.saslPlain("alice", "wrong"));
        assertEquals(RawBinaryClient.STATUS_AUTH_ERROR, client.saslPlain("mallory", "s3cret"));
        assertEquals(RawBinaryClient.STATUS_OK, client.saslPlain("alice", "s3cret"));
        assertEquals(0, client.set("k", new byte[] {42}));
        assertArrayEquals(new byte[] {42}, client.get("k").value());
      }
    }
  }

  @Test
  void severalMechanismsUsersAndNodesAndARestart() throws IOException {
    SaslFeature sasl = SaslFeature.builder()
        .mechanisms("PLAIN", "SCRAM-SHA-256")
        .user("alice", "a-pass")
        .user("bob", "b pass with spaces")
        .build();
    try (MemcachedCluster cluster = MemcachedCluster.start(2, ServerOptions.builder().feature(sasl).build())) {
      for (MemcachedServer node : cluster.nodes()) {
        try (RawBinaryClient client = RawBinaryClient.connect(node.address(), TIMEOUT)) {
          assertEquals(Set.of("PLAIN", "SCRAM-SHA-256"), Set.copyOf(client.saslMechanisms()));
          assertEquals(RawBinaryClient.STATUS_OK, client.saslPlain("bob", "b pass with spaces"));
        }
      }
      cluster.node(1).kill();
      cluster.node(1).restart(); // verified again: still SASL, same files
      try (RawBinaryClient client = RawBinaryClient.connect(cluster.node(1).address(), TIMEOUT)) {
        assertEquals(RawBinaryClient.STATUS_OK, client.saslPlain("alice", "a-pass"));
      }
    }
  }

  @Test
  void anonymousAndEmptyConfigurationsAreRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> SaslFeature.builder().mechanisms("ANONYMOUS").user("a", "b").build());
    assertThrows(IllegalArgumentException.class, () -> SaslFeature.builder().mechanisms("PLAIN").build());
  }

  @Test
  void aServerOfferingOtherMechanismsIsRefused() {
    // A feature that claims SASL but writes no configuration: Cyrus then offers every mechanism.
    ServerFeature broken = new ServerFeature() {
      @Override
      public void configure(LaunchSpec spec) {
        spec.addArgs("-S").putEnv("SASL_CONF_PATH", spec.workDir().resolve("missing").toString());
      }

      @Override
      public void verify(MemcachedServer server) throws IOException {
        SaslFeature.plain("x", "y").verify(server);
      }
    };
    MemcachedStartException e = assertThrows(MemcachedStartException.class,
        () -> MemcachedServer.start(ServerOptions.builder().feature(broken).build()));
    assertTrue(e.getMessage().contains("instead of [PLAIN]"), e.getMessage());
  }
}
