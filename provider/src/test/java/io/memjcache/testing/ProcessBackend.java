package io.memjcache.testing;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs memcached as a foreground child process on 127.0.0.1, learning its kernel-chosen ports from
 * {@code MEMCACHED_PORT_FILENAME}; output goes to a log file in its own working directory.
 */
final class ProcessBackend implements ServerBackend {

  /** Keep the working directory (log, config) after close, for debugging. */
  static final String KEEP_PROPERTY = "memjcache.memcached.keepWorkDir";
  /** Where working directories are created; defaults to java.io.tmpdir. */
  static final String DIR_PROPERTY = "memjcache.memcached.dir";

  private static final String HOST = "127.0.0.1";
  private static final String BIND_CONFLICT = "Address already in use";

  private final Path binary;
  private final ServerOptions options;
  private final String serverUser;
  private final Path workDir;
  private final Path logFile;
  private final Path portFile;
  private final LaunchSpec spec;
  private List<Integer> ports;
  private Process process;

  private ProcessBackend(Path binary, ServerOptions options, String serverUser, Path workDir) {
    this.binary = binary;
    this.options = options;
    this.serverUser = serverUser;
    this.workDir = workDir;
    this.logFile = workDir.resolve("memcached.log");
    this.portFile = workDir.resolve("ports");
    this.spec = new LaunchSpec(workDir, serverUser);
  }

  /** Prepares a working directory, lets the features configure the launch, and starts memcached. */
  static ProcessBackend start(Path binary, ServerOptions options) {
    String user = Posix.isRoot() ? options.user() : null;
    Path dir;
    try {
      dir = createWorkDir(user);
    } catch (IOException e) {
      throw new MemcachedStartException("cannot prepare a working directory for memcached", e);
    }
    ProcessBackend backend = new ProcessBackend(binary, options, user, dir);
    try {
      for (ServerFeature feature : options.features()) {
        feature.configure(backend.spec);
      }
      Files.createFile(backend.logFile);
      backend.launch(Collections.nCopies(backend.spec.listenerSchemes().size(), 0));
      return backend;
    } catch (IOException e) {
      backend.close();
      throw new MemcachedStartException("cannot prepare memcached in " + dir + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      backend.close();
      throw e;
    }
  }

  private static Path createWorkDir(String user) throws IOException {
    Path base = Path.of(System.getProperty(DIR_PROPERTY, System.getProperty("java.io.tmpdir")));
    Files.createDirectories(base);
    if (user != null && !Posix.traversableByAll(base)) {
      base = Path.of("/tmp"); // the -u user must reach its directory
    }
    Path dir = Files.createTempDirectory(base, "memcached-");
    if (user != null) {
      // memcached writes the port file after switching to the -u user.
      Files.setOwner(dir, Posix.user(user));
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    return dir;
  }

  private List<String> command(List<Integer> listenerPorts) {
    List<String> cmd = new ArrayList<>();
    cmd.add(binary.toString());
    cmd.addAll(options.tuningArgs());
    if (serverUser != null) {
      cmd.add("-u");
      cmd.add(serverUser);
    }
    cmd.addAll(spec.args());
    List<String> schemes = spec.listenerSchemes();
    for (int i = 0; i < schemes.size(); i++) {
      cmd.add("-l");
      cmd.add(schemes.get(i) + HOST + ":" + listenerPorts.get(i));
    }
    cmd.addAll(options.extraArgs());
    return cmd;
  }

  private void launch(List<Integer> wanted) throws IOException {
    Files.deleteIfExists(portFile);
    Files.deleteIfExists(workDir.resolve("ports.lck"));
    List<String> cmd = command(wanted);
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .directory(workDir.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    pb.environment().put("MEMCACHED_PORT_FILENAME", portFile.toString());
    pb.environment().putAll(spec.env());
    long logStart = Files.size(logFile);
    Process p = pb.start();
    ProcessRegistry.register(p, Boolean.getBoolean(KEEP_PROPERTY) ? null : workDir);
    try {
      ports = awaitPorts(p, cmd, logStart);
      process = p;
    } catch (RuntimeException | IOException e) {
      p.destroyForcibly();
      awaitExit(p, Duration.ofSeconds(5));
      ProcessRegistry.unregister(p);
      throw e;
    }
  }

  private List<Integer> awaitPorts(Process p, List<String> cmd, long logStart) throws IOException {
    int expected = spec.listenerSchemes().size();
    long deadline = System.nanoTime() + options.startTimeout().toNanos();
    while (true) {
      if (Files.exists(portFile)) {
        List<Integer> found = parsePorts(Files.readAllLines(portFile, StandardCharsets.UTF_8));
        if (found.size() == expected) {
          return found;
        }
        throw new MemcachedStartException("memcached reported " + found.size() + " listeners, expected "
            + expected + "; command: " + cmd + "\n" + readLog(logStart), null, readLog(logStart), null);
      }
      if (!p.isAlive()) {
        int code = awaitExit(p, Duration.ofSeconds(1));
        String out = readLog(logStart);
        throw new MemcachedStartException("memcached exited with code " + code + " during start; command: "
            + cmd + "; output:\n" + out, code, out, null);
      }
      if (System.nanoTime() > deadline) {
        String out = readLog(logStart);
        throw new MemcachedStartException("memcached did not report its port within "
            + options.startTimeout() + "; command: " + cmd + "; output:\n" + out, null, out, null);
      }
      sleep(5);
    }
  }

  private static List<Integer> parsePorts(List<String> lines) {
    List<Integer> found = new ArrayList<>();
    for (String line : lines) {
      if (line.startsWith("TCP INET")) {
        found.add(Integer.parseInt(line.substring(line.lastIndexOf(':') + 1).trim()));
      }
    }
    return found;
  }

  private String readLog(long from) {
    try (RandomAccessFile f = new RandomAccessFile(logFile.toFile(), "r")) {
      long len = Math.max(0, f.length() - from);
      byte[] bytes = new byte[(int) Math.min(len, 64 * 1024)];
      f.seek(from);
      f.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  @Override
  public String host() {
    return HOST;
  }

  @Override
  public synchronized List<Integer> ports() {
    return ports;
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
    return process != null && process.isAlive();
  }

  @Override
  public synchronized OptionalLong pid() {
    return process == null ? OptionalLong.empty() : OptionalLong.of(process.pid());
  }

  @Override
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    if (!waitFor(process, options.stopTimeout())) {
      process.destroyForcibly();
      awaitExit(process, Duration.ofSeconds(10));
    }
    forget();
  }

  @Override
  public synchronized void kill() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    awaitExit(process, Duration.ofSeconds(10));
    forget();
  }

  private void forget() {
    ProcessRegistry.unregister(process);
    process = null;
  }

  @Override
  public synchronized void restart() {
    stop();
    List<Integer> wanted = List.copyOf(ports);
    long deadline = System.nanoTime() + options.startTimeout().toNanos();
    while (true) {
      try {
        launch(wanted);
        return;
      } catch (MemcachedStartException e) {
        // The port may be held for a moment by a connection or a late exit: try again.
        if (!e.output().contains(BIND_CONFLICT) || System.nanoTime() > deadline) {
          throw e;
        }
        sleep(100);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Override
  public synchronized void close() {
    kill(); // a test server keeps nothing worth a polite stop, which takes about a second
    if (!Boolean.getBoolean(KEEP_PROPERTY)) {
      deleteTree(workDir);
    }
  }

  static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // Leftovers in the temp directory are harmless.
    }
  }

  private static boolean waitFor(Process p, Duration timeout) {
    try {
      return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static int awaitExit(Process p, Duration timeout) {
    return waitFor(p, timeout) ? p.exitValue() : -1;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MemcachedStartException("interrupted while starting memcached", e);
    }
  }

  @Override
  public String toString() {
    return "memcached process " + (process == null ? "(stopped)" : "pid " + process.pid());
  }
}
