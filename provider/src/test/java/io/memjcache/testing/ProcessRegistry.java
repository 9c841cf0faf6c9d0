package io.memjcache.testing;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Remembers live memcached processes so that a JVM shutdown hook can kill any left running, and
 * delete their working directories.
 */
final class ProcessRegistry {

  private static final Map<Process, Path> LIVE = new ConcurrentHashMap<>();
  private static boolean hookInstalled;

  private ProcessRegistry() {}

  /** Registers a process; {@code workDir} is deleted by the hook, if not null. */
  static synchronized void register(Process process, Path workDir) {
    if (!hookInstalled) {
      Runtime.getRuntime().addShutdownHook(new Thread(ProcessRegistry::killAll, "memcached-reaper"));
      hookInstalled = true;
    }
    LIVE.put(process, workDir == null ? Path.of("") : workDir);
  }

  static void unregister(Process process) {
    LIVE.remove(process);
  }

  private static void killAll() {
    LIVE.keySet().forEach(Process::destroyForcibly);
    LIVE.forEach((process, dir) -> {
      try {
        if (process.waitFor(2, TimeUnit.SECONDS) && !dir.toString().isEmpty()) {
          ProcessBackend.deleteTree(dir);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }
}
