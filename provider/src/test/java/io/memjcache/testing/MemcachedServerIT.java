package io.memjcache.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MemcachedServerIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  @Test
  void startedServerAnswersVersionOnItsPort() throws IOException {
    try (MemcachedServer server = MemcachedServer.start()) {
      assertEquals("127.0.0.1", server.host());
      assertTrue(server.port() > 0 && server.port() != 11211, "kernel-chosen port: " + server.port());
      assertEquals("127.0.0.1:" + server.port(), server.hostAndPort());
      assertEquals(server.port(), server.address().getPort());
      try (RawBinaryClient client = RawBinaryClient.connect(server.address(), TIMEOUT)) {
        String version = client.version();
        assertTrue(version.matches("\\d+\\.\\d+\\.\\d+.*"), version);
        assertEquals(version, server.version());
        assertEquals(0, client.set("k", new byte[] {1, 2, 3}));
        assertArrayEquals(new byte[] {1, 2, 3}, client.get("k").value());
      }
      assertTrue(Files.isRegularFile(server.logFile()));
      assertTrue(server.isRunning());
    }
  }

  @Test
  void stopLeavesNoProcessAndCloseRemovesTheWorkingDirectory() {
    MemcachedServer server = MemcachedServer.start();
    long pid = server.pid().orElseThrow();
    ProcessHandle handle = ProcessHandle.of(pid).orElseThrow();
    Path dir = server.workDir();
    assertTrue(handle.isAlive());

    server.stop();
    assertFalse(handle.isAlive());
    assertFalse(server.isRunning());
    assertThrows(ConnectException.class, () -> RawBinaryClient.connect(server.address(), TIMEOUT));
    server.stop(); // idempotent

    server.close();
    assertFalse(Files.exists(dir), dir + " should be deleted");
  }

  @Test
  void killThenRestartComesBackOnTheSamePort() throws IOException {
    try (MemcachedServer server = MemcachedServer.start()) {
      int port = server.port();
      long pid = server.pid().orElseThrow();
      try (RawBinaryClient client = RawBinaryClient.connect(server.address(), TIMEOUT)) {
        assertEquals(0, client.set("gone", new byte[] {9}));
      }

      server.kill();
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
      assertThrows(ConnectException.class, () -> RawBinaryClient.connect(server.address(), TIMEOUT));

      server.restart();
      assertEquals(port, server.port());
      assertNotEquals(pid, server.pid().orElseThrow());
      try (RawBinaryClient client = RawBinaryClient.connect(server.address(), TIMEOUT)) {
        assertEquals(RawBinaryClient.STATUS_KEY_NOT_FOUND, client.get("gone").status(), "a new, empty server");
      }
    }
  }

  @Test
  void restartWhileRunningAndWithAnOpenClientKeepsThePort() throws IOException {
    try (MemcachedServer server = MemcachedServer.start()) {
      int port = server.port();
      try (RawBinaryClient client = RawBinaryClient.connect(server.address(), TIMEOUT)) {
        client.version();
        server.restart(); // stops politely first; the client's connection is dropped
        assertEquals(port, server.port());
        assertThrows(IOException.class, client::version);
      }
      server.stop();
      server.restart();
      assertEquals(port, server.port());
      server.version();
    }
  }

  @Test
  void restartWaitsForABusyPortToBeFreed() throws Exception {
    try (MemcachedServer server = MemcachedServer.start()) {
      int port = server.port();
      server.kill();
      ServerSocket squatter = new ServerSocket();
      squatter.setReuseAddress(true);
      squatter.bind(new InetSocketAddress("127.0.0.1", port));
      Thread release = new Thread(() -> {
        try {
          Thread.sleep(500);
          squatter.close();
        } catch (InterruptedException | IOException e) {
          throw new IllegalStateException(e);
        }
      });
      release.start();
      try {
        server.restart();
      } finally {
        release.join();
        squatter.close();
      }
      assertEquals(port, server.port());
      server.version();
      assertTrue(Files.readString(server.logFile()).contains("Address already in use"));
    }
  }

  @Test
  void anUnknownFlagFailsWithItsExitCodeAndOutput() {
    ServerOptions options = ServerOptions.builder().extraArgs("--no-such-flag").build();
    MemcachedStartException e = assertThrows(MemcachedStartException.class, () -> MemcachedServer.start(options));
    assertEquals(1, e.exitCode().orElseThrow());
    assertTrue(e.getMessage().contains("exited with code 1"), e.getMessage());
    assertTrue(e.output().contains("--no-such-flag"), e.output());
  }

  @Test
  void aBadValueFailsWithItsExitCode() {
    ServerOptions options = ServerOptions.builder().extraArgs("-c", "0").build();
    MemcachedStartException e = assertThrows(MemcachedStartException.class, () -> MemcachedServer.start(options));
    assertTrue(e.exitCode().isPresent());
    assertNotEquals(0, e.exitCode().getAsInt());
    assertTrue(e.getMessage().contains("connections"), e.getMessage());
  }

  @Test
  void aMissingBinaryExplainsHowToInstallMemcached() {
    ServerOptions options = ServerOptions.builder().binary(Path.of("/nonexistent/memcached")).build();
    MemcachedStartException e = assertThrows(MemcachedStartException.class, () -> MemcachedServer.start(options));
    assertTrue(e.getMessage().contains("apt-get install memcached"), e.getMessage());
    assertTrue(e.getMessage().contains("MEMCACHED_BIN"), e.getMessage());
  }

  @Test
  void invalidOptionsAreRejectedBeforeStarting() {
    assertThrows(IllegalArgumentException.class, () -> ServerOptions.builder().memoryMb(0).build());
    assertThrows(IllegalArgumentException.class, () -> ServerOptions.builder().threads(-1).build());
    assertThrows(IllegalArgumentException.class, () -> ServerOptions.builder().maxConnections(0).build());
  }

  @Test
  void itemSizeLimitIsPassedToTheServer() throws IOException {
    byte[] big = new byte[1_500_000];
    Arrays.fill(big, (byte) 7);
    try (MemcachedServer small = MemcachedServer.start();
        MemcachedServer large = MemcachedServer.start(
            ServerOptions.builder().maxItemSize("2m").memoryMb(16).verbose(true).build())) {
      try (RawBinaryClient client = RawBinaryClient.connect(small.address(), TIMEOUT)) {
        assertEquals(0x03, client.set("big", big), "too large for the default 1m limit");
      }
      try (RawBinaryClient client = RawBinaryClient.connect(large.address(), TIMEOUT)) {
        assertEquals(0, client.set("big", big));
        assertArrayEquals(big, client.get("big").value());
      }
    }
  }
}
