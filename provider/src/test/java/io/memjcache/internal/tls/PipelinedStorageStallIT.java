package io.memjcache.internal.tls;

import static io.memjcache.internal.client.MemcachedClient.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.config.TlsSettings;
import io.memjcache.internal.client.ClientSettings;
import io.memjcache.internal.client.MemcachedClient;
import io.memjcache.internal.client.StoreMode;
import io.memjcache.internal.transport.ConnectionSettings;
import io.memjcache.internal.transport.MemcachedException;
import io.memjcache.internal.transport.MemcachedTimeoutException;
import io.memjcache.testing.MemcachedServer;
import io.memjcache.testing.MemcachedTest;
import io.memjcache.testing.TlsFeature;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Shows that the stall of memcached before 1.6.39 is real and that {@link PipelinedStorageGuard}
 * is what prevents it: with the guard switched off, the workloads that {@link TlsClientContract}
 * completes time out against the same server (1 s operation timeout keeps this quick), while the
 * same bursts over the server's plaintext listener still complete.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@MemcachedTest(options = TlsTesting.TlsServer.class)
class PipelinedStorageStallIT {
  private static final ConnectionSettings SHORT = ConnectionSettings.DEFAULTS
      .withOperationTimeout(Duration.ofSeconds(1)).withConnectTimeout(Duration.ofSeconds(5));

  @AfterEach
  void restoreGuard() {
    PipelinedStorageGuard.enabled = true;
  }

  @Test
  void serverHere_isAnAffectedVersion(MemcachedServer server) {
    try (MemcachedClient client = client(server, TlsSettings.Engine.JDK)) {
      String version = await(client.version(client.cluster().nodes().get(0)));
      assertTrue(PipelinedStorageGuard.olderThanFix(version),
          "memcached " + version + " is fixed: this test shows nothing against it");
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"JDK", "OPENSSL"})
  void withoutGuard_storeAllOf5000SmallEntries_stalls(TlsSettings.Engine engine, MemcachedServer server) {
    PipelinedStorageGuard.enabled = false;
    try (MemcachedClient client = client(server, engine)) {
      MemcachedException e = storeAllError(client, 5000, 100);
      assertNotNull(e, "5000 quiet sets over TLS completed without the guard");
      assertTrue(e.getMessage().contains("timed out") || e.getMessage().contains("no answer"), e.getMessage());
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"JDK", "OPENSSL"})
  void withoutGuard_storeAllOf4KBEntries_stalls(TlsSettings.Engine engine, MemcachedServer server) {
    PipelinedStorageGuard.enabled = false;
    try (MemcachedClient client = client(server, engine)) {
      assertNotNull(storeAllError(client, 200, 4096), "200 quiet sets of 4 KB over TLS completed without the guard");
    }
  }

  /** A single 1 MB SET is fine on its own, but a GET written right behind it is never read. */
  @ParameterizedTest
  @EnumSource(names = {"JDK", "OPENSSL"})
  void withoutGuard_getBehindA1MBSet_stalls(TlsSettings.Engine engine, MemcachedServer server) {
    PipelinedStorageGuard.enabled = false;
    try (MemcachedClient client = client(server, engine)) {
      assertThrows(MemcachedTimeoutException.class, () -> setThenGet(client, 1_000_000));
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"JDK", "OPENSSL"})
  void withGuard_sameBurstsOnTheSameServer_complete(TlsSettings.Engine engine, MemcachedServer server) {
    try (MemcachedClient client = client(server, engine)) {
      storeAll(client, 5000, 100);
      storeAll(client, 200, 4096);
      setThenGet(client, 1_000_000);
    }
  }

  @Test
  void withoutGuard_sameBurstsInPlaintext_complete(MemcachedServer server) {
    PipelinedStorageGuard.enabled = false;
    int port = server.port(server.feature(TlsFeature.class).orElseThrow().plaintextListener());
    ClientSettings settings = ClientSettings.of(List.of(InetSocketAddress.createUnresolved(server.host(), port)))
        .withConnection(SHORT);
    try (MemcachedClient client = new MemcachedClient(settings)) {
      storeAll(client, 5000, 100);
      storeAll(client, 200, 4096);
    }
  }

  private static void setThenGet(MemcachedClient client, int size) {
    byte[] key = ("big" + size).getBytes(StandardCharsets.US_ASCII);
    assertEquals(size, await(client.send(client.cluster().nodes().get(0), new SetThenGetCommand(key, new byte[size]))).length);
  }

  private static MemcachedClient client(MemcachedServer server, TlsSettings.Engine engine) {
    return TlsTesting.client(server.host(), server.port(), TlsTesting.trusting(engine).build(), SHORT);
  }

  private static void storeAll(MemcachedClient client, int count, int size) {
    assertNull(storeAllError(client, count, size));
  }

  private static MemcachedException storeAllError(MemcachedClient client, int count, int size) {
    byte[][] keys = new byte[count][];
    byte[][] values = new byte[count][];
    for (int i = 0; i < count; i++) {
      keys[i] = ("stall:" + size + ":" + i).getBytes(StandardCharsets.US_ASCII);
      values[i] = new byte[size];
    }
    return await(client.storeAll(StoreMode.SET, keys, values, new int[count], new int[count]), 10_000).firstError();
  }
}
