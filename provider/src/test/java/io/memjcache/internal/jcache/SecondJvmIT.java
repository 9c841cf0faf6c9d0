package io.memjcache.internal.jcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.testing.MemcachedCluster;
import io.memjcache.testing.MemcachedTest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * A cache shared with another JVM ({@link SecondJvmClient}, started on this test's class path): each
 * side reads the other's entries by key and by iteration, and increments from both JVMs at the same
 * time lose nothing. With three servers this also proves both JVMs route every key alike.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SecondJvmIT {
  private static final int PARENT_ENTRIES = 50;
  private static final int CHILD_ENTRIES = 60;
  private static final int THREADS = 4;
  private static final int INCREMENTS = 250;
  private static final long STEP_TIMEOUT_SECONDS = 60;

  @Test
  @MemcachedTest(nodes = 1)
  void sharedCache_withSecondJvmOnOneServer_bothSeeEachOthersEntriesAndIncrements(MemcachedCluster cluster, TestInfo test)
      throws Exception {
    runWithChild(cluster, test);
  }

  @Test
  @MemcachedTest(nodes = 3)
  void sharedCache_withSecondJvmOnThreeServers_bothSeeEachOthersEntriesAndIncrements(MemcachedCluster cluster, TestInfo test)
      throws Exception {
    runWithChild(cluster, test);
  }

  private void runWithChild(MemcachedCluster cluster, TestInfo test) throws Exception {
    String name = Managers.uniqueName(test.getTestMethod().orElseThrow().getName());
    CacheManager manager = Managers.open(cluster.serverList());
    Path childErr = Files.createTempFile("memjcache-child", ".err");
    Process child = null;
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      Cache<String, Integer> cache = manager.createCache(name,
          new MutableConfiguration<String, Integer>().setTypes(String.class, Integer.class));
      for (int i = 0; i < PARENT_ENTRIES; i++) {
        cache.put("parent-" + i, i);
      }

      child = start(cluster.serverList(), name, childErr);
      BlockingQueue<String> lines = readLines(child);
      Writer toChild = new java.io.OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8);
      Process running = child;
      Map<String, String> said = new HashMap<>();
      java.util.function.Function<String, String> await = word -> awaitLine(lines, word, running, childErr, said);

      await.apply("READY");
      send(toChild, "GO");
      List<Future<?>> increments = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        increments.add(pool.submit(() -> {
          for (int i = 0; i < INCREMENTS; i++) {
            cache.invoke("counter", AtomicOperationsContract.INCREMENT);
          }
        }));
      }
      for (Future<?> future : increments) {
        future.get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
      await.apply("DONE");
      send(toChild, "FINAL");
      String childCounter = await.apply("COUNTER");
      assertTrue(child.waitFor(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS), "the child did not exit");
      assertEquals(0, child.exitValue(), () -> "child failed: " + stderr(childErr));

      int total = 2 * THREADS * INCREMENTS;
      assertEquals(Integer.toString(PARENT_ENTRIES), said.get("PARENT-GET"), "parent entries the child read by key");
      assertEquals(Integer.toString(PARENT_ENTRIES), said.get("PARENT-ITER"), "parent entries the child iterated");
      assertEquals(Integer.toString(total), childCounter, "the counter as the child sees it");
      assertEquals(total, cache.get("counter"), "the counter as the parent sees it");
      Map<String, Integer> childEntries = new HashMap<>();
      for (int i = 0; i < CHILD_ENTRIES; i++) {
        childEntries.put("child-" + i, i);
      }
      assertEquals(childEntries, cache.getAll(childEntries.keySet()));
      Map<String, Integer> iterated = new HashMap<>();
      for (Cache.Entry<String, Integer> entry : cache) {
        if (entry.getKey().startsWith("child-")) {
          iterated.put(entry.getKey(), entry.getValue());
        }
      }
      assertEquals(childEntries, iterated);
    } finally {
      pool.shutdownNow();
      if (child != null && child.isAlive()) {
        child.destroyForcibly();
        child.waitFor(10, TimeUnit.SECONDS);
      }
      Managers.close(manager);
      Files.deleteIfExists(childErr);
    }
  }

  private static Process start(String servers, String cacheName, Path stderr) throws IOException {
    String java = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> command = List.of(java, "-cp", System.getProperty("java.class.path"),
        SecondJvmClient.class.getName(), servers, cacheName, Integer.toString(PARENT_ENTRIES),
        Integer.toString(CHILD_ENTRIES), Integer.toString(THREADS), Integer.toString(INCREMENTS));
    return new ProcessBuilder(command).redirectError(stderr.toFile()).start();
  }

  /** The child's stdout, line by line, from a daemon thread. */
  private static BlockingQueue<String> readLines(Process child) {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          lines.add(line);
        }
      } catch (IOException e) {
        lines.add("READ-FAILED " + e);
      }
      lines.add("EOF");
    }, "second-jvm-stdout");
    reader.setDaemon(true);
    reader.start();
    return lines;
  }

  /**
   * Waits for a line starting with {@code word}, keeping "WORD rest" lines met on the way in
   * {@code said}; returns the rest of the awaited line.
   */
  private static String awaitLine(BlockingQueue<String> lines, String word, Process child, Path stderr,
      Map<String, String> said) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STEP_TIMEOUT_SECONDS);
    try {
      while (true) {
        String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line == null) {
          throw new AssertionError("no " + word + " from the child within " + STEP_TIMEOUT_SECONDS
              + " s (alive: " + child.isAlive() + "); its stderr:\n" + stderr(stderr));
        }
        if (line.equals("EOF")) {
          throw new AssertionError("the child ended before saying " + word + "; its stderr:\n" + stderr(stderr));
        }
        int space = line.indexOf(' ');
        String head = space < 0 ? line : line.substring(0, space);
        String rest = space < 0 ? "" : line.substring(space + 1);
        said.put(head, rest);
        if (head.equals(word)) {
          return rest;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for " + word, e);
    }
  }

  private static void send(Writer toChild, String line) throws IOException {
    toChild.write(line + "\n");
    toChild.flush();
  }

  private static String stderr(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }
}
