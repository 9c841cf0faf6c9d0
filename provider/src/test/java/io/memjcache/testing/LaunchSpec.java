package io.memjcache.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link ServerFeature} may add to a memcached launch: arguments, environment variables,
 * extra listeners and files in the server's working directory (readable by the {@code -u} user).
 */
public final class LaunchSpec {

  private final Path workDir;
  private final String serverUser;
  private final List<String> args = new ArrayList<>();
  private final Map<String, String> env = new LinkedHashMap<>();
  private final List<String> listenerSchemes = new ArrayList<>(List.of(""));

  LaunchSpec(Path workDir, String serverUser) {
    this.workDir = workDir;
    this.serverUser = serverUser;
  }

  /** The server's own directory; it also holds the log and the port file. */
  public Path workDir() {
    return workDir;
  }

  /** The user memcached switches to ({@code -u}), present when launched as root. */
  public Optional<String> serverUser() {
    return Optional.ofNullable(serverUser);
  }

  public LaunchSpec addArgs(String... more) {
    Collections.addAll(args, more);
    return this;
  }

  public LaunchSpec putEnv(String name, String value) {
    env.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    return this;
  }

  /**
   * Adds a listener on 127.0.0.1 with a kernel-chosen port, written {@code -l <scheme>127.0.0.1:PORT}
   * (a scheme is e.g. {@code "notls:"}). Listener 0, with no scheme, always exists.
   *
   * @return the listener's index, for {@link MemcachedServer#port(int)}
   */
  public int addListener(String scheme) {
    listenerSchemes.add(Objects.requireNonNull(scheme, "scheme"));
    return listenerSchemes.size() - 1;
  }

  /** Writes a world-readable file (0644) under the working directory, creating its directories. */
  public Path writeFile(String relativePath, String content) throws IOException {
    Path file = workDir.resolve(relativePath).normalize();
    if (!file.startsWith(workDir)) {
      throw new IllegalArgumentException("outside the working directory: " + relativePath);
    }
    Files.createDirectories(file.getParent());
    for (Path d = file.getParent(); !d.equals(workDir); d = d.getParent()) {
      Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Files.writeString(file, content, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    return file;
  }

  /** Makes a secret file 0640 with the server user's group, so only we and the server read it. */
  public void grantServerRead(Path file) throws IOException {
    if (serverUser != null) {
      Files.getFileAttributeView(file, PosixFileAttributeView.class)
          .setGroup(Posix.primaryGroupOf(serverUser));
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
    } else {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
  }

  List<String> args() {
    return List.copyOf(args);
  }

  Map<String, String> env() {
    return Map.copyOf(env);
  }

  List<String> listenerSchemes() {
    return List.copyOf(listenerSchemes);
  }
}
