package io.memjcache.examples.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Runs the quickstart exactly as {@code exec:java} does, against a real memcached, so that the
 * example in the README cannot silently rot. The demo checks each of its own steps and throws if
 * one misbehaves; this test also checks that it got to the end and left no memjcache thread behind.
 */
class QuickstartIT {

  @Test
  void theDemoRunsToTheEnd() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

    assertTimeoutPreemptively(Duration.ofMinutes(2), () -> Quickstart.run(out));

    String printed = buffer.toString(StandardCharsets.UTF_8);
    System.out.print(printed);
    for (String step : new String[] {"1. put and get", "2. putIfAbsent and replace", "3. expiry",
        "4. entry processor", "5. iteration", "6. statistics through JMX", "7. reads without blocking",
        "Done."}) {
      assertTrue(printed.contains(step), "missing \"" + step + "\" in:\n" + printed);
    }
    assertTrue(printed.contains("-> 201"), "the counter should end at 201:\n" + printed);
  }

  @Test
  void mainReturnsNormallyAndLeavesNoClientThreads() throws Exception {
    PrintStream original = System.out;
    try (PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)) {
      System.setOut(quiet);
      assertTimeoutPreemptively(Duration.ofMinutes(2), () -> Quickstart.main(new String[0]));
    } finally {
      System.setOut(original);
    }
    // exec:java waits for non-daemon threads after main returns: a lingering one would hang the demo.
    Set<String> lingering = waitForNonDaemonThreads(Duration.ofSeconds(10));
    assertEquals(Set.of(), lingering, "non-daemon threads left after main returned");
  }

  private static Set<String> waitForNonDaemonThreads(Duration patience) throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (true) {
      Set<String> names = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.isAlive() && !t.isDaemon() && t != Thread.currentThread())
          .filter(t -> !t.getName().equals("main") && !t.getName().startsWith("surefire")
              && !t.getName().startsWith("junit"))
          .map(Thread::getName)
          .collect(Collectors.toSet());
      if (names.isEmpty() || System.nanoTime() > deadline) {
        return names;
      }
      Thread.sleep(50);
    }
  }
}
