package io.memjcache.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One running memcached for tests and examples: a child process of the {@code memcached} binary
 * ({@code MEMCACHED_BIN}, else the PATH), or, lacking one, a Docker container. Close it to stop it.
 */
public final class MemcachedServer implements AutoCloseable {

  private final ServerOptions options;
  private final ServerBackend backend;

  private MemcachedServer(ServerOptions options, ServerBackend backend) {
    this.options = options;
    this.backend = backend;
  }

  /** Starts memcached with default options. */
  public static MemcachedServer start() {
    return start(ServerOptions.defaults());
  }

  /**
   * Starts memcached and returns once it listens and its features have verified it.
   *
   * @throws MemcachedStartException when no memcached can be found or it fails to start
   */
  public static MemcachedServer start(ServerOptions options) {
    Optional<Path> binary = findBinary(options);
    ServerBackend backend;
    if (binary.isPresent()) {
      backend = ProcessBackend.start(binary.get(), options);
    } else if (dockerReachable()) {
      backend = ContainerBackend.start(options);
    } else {
      throw new MemcachedStartException("no memcached binary on the PATH and no Docker engine: "
          + MemcachedStartException.HOW_TO_INSTALL);
    }
    MemcachedServer server = new MemcachedServer(options, backend);
    server.verifyFeatures();
    return server;
  }

  private static Optional<Path> findBinary(ServerOptions options) {
    if (options.binary().isPresent()) {
      return Optional.of(checkedBinary(options.binary().get(), "ServerOptions.binary"));
    }
    String env = System.getenv("MEMCACHED_BIN");
    if (env != null && !env.isBlank()) {
      return Optional.of(checkedBinary(Path.of(env), "MEMCACHED_BIN"));
    }
    return Posix.findExecutable("memcached");
  }

  private static Path checkedBinary(Path path, String source) {
    if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
      throw new MemcachedStartException(source + " names " + path + ", which is not an executable file; "
          + MemcachedStartException.HOW_TO_INSTALL);
    }
    return path;
  }

  /** Only asks Testcontainers (loading it) when some Docker endpoint is configured or present. */
  private static boolean dockerReachable() {
    String home = System.getProperty("user.home", "");
    String runtime = System.getenv("XDG_RUNTIME_DIR");
    boolean hint = System.getenv("DOCKER_HOST") != null
        || Files.exists(Path.of("/var/run/docker.sock"))
        || Files.exists(Path.of(home, ".testcontainers.properties"))
        || Files.exists(Path.of(home, ".docker", "run", "docker.sock"))
        || (runtime != null && Files.exists(Path.of(runtime, "docker.sock")));
    if (!hint) {
      return false;
    }
    try {
      return ContainerBackend.engineReachable();
    } catch (LinkageError e) {
      return false; // Testcontainers is not on this classpath
    }
  }

  private void verifyFeatures() {
    try {
      for (ServerFeature feature : options.features()) {
        feature.verify(this);
      }
    } catch (IOException | RuntimeException e) {
      backend.close();
      if (e instanceof MemcachedStartException) {
        throw (MemcachedStartException) e;
      }
      throw new MemcachedStartException("memcached started but failed its checks: " + e.getMessage(), e);
    }
  }

  public ServerOptions options() {
    return options;
  }

  /** The feature of this type among the options, e.g. {@code feature(SaslFeature.class)}. */
  public <T extends ServerFeature> Optional<T> feature(Class<T> type) {
    return options.features().stream().filter(type::isInstance).map(type::cast).findFirst();
  }

  /** The host to connect to: 127.0.0.1 for a local process. */
  public String host() {
    return backend.host();
  }

  /** The port of the first listener. */
  public int port() {
    return backend.ports().get(0);
  }

  /** The port of listener {@code index} (listeners beyond 0 come from features). */
  public int port(int index) {
    return backend.ports().get(index);
  }

  public List<Integer> ports() {
    return backend.ports();
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(host(), port());
  }

  /** "127.0.0.1:PORT", as client configurations write it. */
  public String hostAndPort() {
    return host() + ":" + port();
  }

  /** memcached's combined stdout and stderr, kept across restarts. */
  public Path logFile() {
    return backend.logFile();
  }

  /** The server's own directory (log, port file, feature files). Deleted on close. */
  public Path workDir() {
    return backend.workDir();
  }

  /** The process id, when memcached runs as our child process. */
  public OptionalLong pid() {
    return backend.pid();
  }

  public boolean isRunning() {
    return backend.isRunning();
  }

  /** Asks the server for its version over the binary protocol (one short connection). */
  public String version() {
    try (RawBinaryClient client = RawBinaryClient.connect(address(), Duration.ofSeconds(5))) {
      return client.version();
    } catch (IOException e) {
      throw new UncheckedIOException("VERSION failed on " + hostAndPort(), e);
    }
  }

  /** SIGTERM, then a wait of up to the stop timeout, then SIGKILL. Does nothing when stopped. */
  public void stop() {
    backend.stop();
  }

  /** SIGKILL at once (a crash, for failover tests); returns when the process is gone. */
  public void kill() {
    backend.kill();
  }

  /** Starts again on the same port(s), stopping first if still running. */
  public void restart() {
    backend.restart();
    verifyFeatures();
  }

  /** Kills the server (no need to wait for a polite exit) and deletes its working directory. */
  @Override
  public void close() {
    backend.close();
  }

  @Override
  public String toString() {
    return "MemcachedServer[" + (isRunning() ? hostAndPort() : "stopped") + ", " + backend + "]";
  }
}
