package io.memjcache.testing;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * Runs memcached from the {@code memcached} image with Testcontainers, for machines with a Docker
 * engine but no memcached binary. The only class that touches Testcontainers, so that a missing
 * Docker or a classpath without Testcontainers never loads it.
 */
final class ContainerBackend implements ServerBackend {

  private static final int PORT = 11211;

  private final ServerOptions options;
  private final Path workDir;
  private final Path logFile;
  private final LaunchSpec spec;
  private GenericContainer<?> container;
  private int hostPort;

  private ContainerBackend(ServerOptions options, Path workDir) {
    this.options = options;
    this.workDir = workDir;
    this.logFile = workDir.resolve("memcached.log");
    this.spec = new LaunchSpec(workDir, null);
  }

  /** Whether Testcontainers can talk to a Docker engine. */
  static boolean engineReachable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  static ContainerBackend start(ServerOptions options) {
    ContainerBackend backend;
    try {
      backend = new ContainerBackend(options, Files.createTempDirectory("memcached-container-"));
      Files.createFile(backend.logFile);
      for (ServerFeature feature : options.features()) {
        if (!feature.supportsContainer()) {
          throw new MemcachedStartException(feature + " needs a memcached binary, not a container; "
              + MemcachedStartException.HOW_TO_INSTALL);
        }
        feature.configure(backend.spec);
      }
    } catch (IOException e) {
      throw new MemcachedStartException("cannot prepare a memcached container", e);
    }
    if (backend.spec.listenerSchemes().size() > 1) {
      throw new MemcachedStartException("extra listeners need a memcached binary, not a container");
    }
    backend.launch(null);
    return backend;
  }

  private void launch(Integer fixedHostPort) {
    List<String> args = new ArrayList<>(options.tuningArgs());
    args.addAll(spec.args());
    args.addAll(options.extraArgs());
    GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(options.dockerImage()))
        .withExposedPorts(PORT)
        .withCommand(args.toArray(String[]::new))
        .withEnv(spec.env())
        .withLogConsumer(this::appendLog)
        .waitingFor(Wait.forListeningPort())
        .withStartupTimeout(options.startTimeout());
    if (fixedHostPort != null) {
      c.withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withPortBindings(
          new PortBinding(Ports.Binding.bindPort(fixedHostPort), ExposedPort.tcp(PORT))));
    }
    try {
      c.start();
    } catch (RuntimeException e) {
      c.stop();
      throw new MemcachedStartException("memcached container " + options.dockerImage() + " " + args
          + " did not start: " + e.getMessage() + "; output:\n" + readLog(), null, readLog(), e);
    }
    container = c;
    hostPort = c.getMappedPort(PORT);
  }

  private void appendLog(OutputFrame frame) {
    try {
      Files.writeString(logFile, frame.getUtf8String(), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    } catch (IOException e) {
      // Losing log lines must not break the server.
    }
  }

  private String readLog() {
    try {
      return Files.readString(logFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public synchronized String host() {
    return container == null ? "localhost" : container.getHost();
  }

  @Override
  public synchronized List<Integer> ports() {
    return List.of(hostPort);
  }

  @Override
  public Path workDir() {
    return workDir;
  }

  @Override
  public Path logFile() {
    return logFile;
  }

  @Override
  public synchronized boolean isRunning() {
    return container != null && container.isRunning();
  }

  @Override
  public OptionalLong pid() {
    return OptionalLong.empty();
  }

  @Override
  public synchronized void stop() {
    if (container == null) {
      return;
    }
    try {
      int seconds = (int) Math.max(1, options.stopTimeout().toSeconds());
      container.getDockerClient().stopContainerCmd(container.getContainerId()).withTimeout(seconds).exec();
    } catch (RuntimeException e) {
      // Removal below kills it anyway.
    }
    container.stop();
    container = null;
  }

  @Override
  public synchronized void kill() {
    if (container == null) {
      return;
    }
    try {
      container.getDockerClient().killContainerCmd(container.getContainerId()).exec();
    } catch (RuntimeException e) {
      // Already gone.
    }
    container.stop();
    container = null;
  }

  @Override
  public synchronized void restart() {
    stop();
    launch(hostPort);
  }

  @Override
  public synchronized void close() {
    kill();
    try {
      Files.deleteIfExists(logFile);
      Files.deleteIfExists(workDir);
    } catch (IOException e) {
      // Leftovers in the temp directory are harmless.
    }
  }

  @Override
  public String toString() {
    return "memcached container " + options.dockerImage();
  }
}
