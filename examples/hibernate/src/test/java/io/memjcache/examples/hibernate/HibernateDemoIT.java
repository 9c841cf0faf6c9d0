package io.memjcache.examples.hibernate;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Runs the demo as {@code exec:java} does (it starts its own memcached and uses
 * {@code META-INF/persistence.xml} unchanged), so that it cannot silently rot. The demo checks
 * each step itself and throws if one misbehaves.
 */
class HibernateDemoIT {

  @Test
  void run_realMemcached_everyStepBehaves() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

    assertTimeoutPreemptively(Duration.ofMinutes(2), () -> HibernateDemo.run(out));

    String printed = buffer.toString(StandardCharsets.UTF_8);
    System.out.print(printed);
    for (String step : new String[] {"1. find a book twice", "2. the author's books", "3. a book by ISBN",
        "4. a cacheable query", "5. update a title", "Done."}) {
      assertTrue(printed.contains(step), "missing \"" + step + "\" in:\n" + printed);
    }
  }
}
