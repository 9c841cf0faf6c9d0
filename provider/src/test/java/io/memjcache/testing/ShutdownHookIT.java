package io.memjcache.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A JVM that exits without closing its servers must not leave memcached or its files behind. */
class ShutdownHookIT {

  @Test
  void exitingJvmKillsItsServers() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // Only the harness's own classes: this also shows that the launcher needs neither JUnit nor
    // Testcontainers, as the examples rely on.
    String classes = Path.of(Child.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    Process child = new ProcessBuilder(java, "-cp", classes, Child.class.getName())
        .redirectErrorStream(true)
        .start();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(child.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, child.exitValue(), out);
    List<String> lines = out.lines().filter(l -> l.startsWith("pid ")).toList();
    assertEquals(2, lines.size(), out);
    for (String line : lines) {
      long pid = Long.parseLong(line.substring(4).trim());
      Optional<ProcessHandle> handle = ProcessHandle.of(pid);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (handle.map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertFalse(handle.map(ProcessHandle::isAlive).orElse(false), "memcached " + pid + " outlived its JVM");
    }
    List<Path> dirs = out.lines().filter(l -> l.startsWith("dir ")).map(l -> Path.of(l.substring(4))).toList();
    assertEquals(2, dirs.size(), out);
    for (Path dir : dirs) {
      assertFalse(Files.exists(dir), dir + " outlived its JVM");
    }
  }

  /** Starts two servers, reports their pids, and exits without closing them. */
  public static final class Child {
    public static void main(String[] args) throws IOException {
      MemcachedCluster cluster = MemcachedCluster.start(2);
      for (MemcachedServer node : cluster.nodes()) {
        node.version();
        System.out.println("pid " + node.pid().orElseThrow());
        System.out.println("dir " + node.workDir());
      }
      System.out.flush();
      System.exit(0);
    }
  }
}
