package io.memjcache.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Small POSIX helpers: who we are, users and groups, finding executables. */
final class Posix {

  private Posix() {}

  static boolean isRoot() {
    try {
      return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }

  static UserPrincipal user(String name) throws IOException {
    try {
      return lookup().lookupPrincipalByName(name);
    } catch (UserPrincipalNotFoundException e) {
      throw new IOException("no such user: " + name
          + " (memcached runs as it when started as root; install Debian's memcached package,"
          + " which creates 'memcache', or choose another with ServerOptions.user)", e);
    }
  }

  /** The primary group of a user, as {@code id -gn} reports it. */
  static GroupPrincipal primaryGroupOf(String user) throws IOException {
    Process p = new ProcessBuilder("id", "-gn", user)
        .redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException("id -gn " + user + " failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    return lookup().lookupPrincipalByGroupName(out);
  }

  /** Whether every directory from the root down to {@code dir} can be entered by any user. */
  static boolean traversableByAll(Path dir) {
    try {
      for (Path p = dir.toRealPath(); p != null; p = p.getParent()) {
        if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
          return false;
        }
      }
      return true;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /** Looks a command up on the PATH, then in the usual system directories. */
  static Optional<Path> findExecutable(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    String extra = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    for (String dir : (path + ":" + extra).split(":")) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static UserPrincipalLookupService lookup() {
    return FileSystems.getDefault().getUserPrincipalLookupService();
  }
}
