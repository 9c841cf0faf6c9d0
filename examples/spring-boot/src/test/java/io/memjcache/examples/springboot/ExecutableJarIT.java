package io.memjcache.examples.springboot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memjcache.spi.MemcachedCachingProvider;
import io.memjcache.testing.MemcachedServer;
import io.memjcache.testing.MemcachedTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the executable jar that {@code package} built, {@code java -jar}, as its own process against
 * a memcached this test starts: the application reads memjcache.json from inside the jar (a
 * {@code jar:nested:} URL), serves HTTP, and shares its caches with this JVM through memcached.
 */
@MemcachedTest
class ExecutableJarIT {
  private static final Pattern PORT = Pattern.compile("Tomcat started on port (\\d+)");
  private static final String READY = "are in the memjcache cache manager";
  private static final Duration STARTUP = Duration.ofMinutes(3); // a busy machine can be slow
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Process application;
  private static Path log;
  private static int port;
  private static CacheManager otherClient;
  private static Cache<Object, Object> books;

  @BeforeAll
  static void startTheJar(MemcachedServer memcached) throws Exception {
    Path jar = Path.of(System.getProperty("bookshelf.executableJar", "target/bookshelf.jar"));
    assertTrue(Files.isRegularFile(jar), "run by failsafe after package: no " + jar);
    log = jar.resolveSibling("executable-jar-it.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    application = new ProcessBuilder(java,
        "-D" + BookshelfIT.SERVERS_PROPERTY + "=" + memcached.hostAndPort(),
        "-D" + BookshelfIT.OPERATION_TIMEOUT_PROPERTY + "=" + BookshelfIT.PATIENT_OPERATION_TIMEOUT_MILLIS,
        "-jar", jar.toString(), "--server.port=0")
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    port = awaitStartup();

    Properties patient = new Properties();
    patient.setProperty(BookshelfIT.OPERATION_TIMEOUT_PROPERTY, BookshelfIT.PATIENT_OPERATION_TIMEOUT_MILLIS);
    otherClient = new MemcachedCachingProvider().getCacheManager(
        URI.create("memcached://" + memcached.hostAndPort()), ExecutableJarIT.class.getClassLoader(), patient);
    books = otherClient.createCache(BookService.BOOKS, new MutableConfiguration<>());
  }

  @AfterAll
  static void stopTheJar() throws Exception {
    if (otherClient != null) {
      otherClient.close();
    }
    if (application != null) {
      application.destroy(); // SIGTERM: Spring closes the context and the cache manager
      if (!application.waitFor(60, TimeUnit.SECONDS)) {
        application.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void executableJar_startup_readsMemjcacheJsonFromTheNestedJar() throws IOException {
    String line = output().lines().filter(l -> l.contains(READY)).findFirst().orElseThrow();
    assertTrue(line.contains("[books, booksByAuthor]"), line);
    assertTrue(line.matches(".*jar:nested:.*\\.jar/!BOOT-INF/classes/!/memjcache\\.json$"),
        "the manager's URI should be the file inside the executable jar: " + line);
  }

  @Test
  void executableJar_books_servedOverHttpAndSharedWithThisJvmThroughMemcached() throws Exception {
    // A miss: the application loads book 1 and caches it, where this JVM reads it.
    JsonNode first = json(send("GET", "/books/1", null), 200);
    assertEquals("The C Programming Language", first.path("title").asText());
    assertEquals(new Book(1, "The C Programming Language", "Kernighan"), books.get(1L));
    // A hit.
    assertEquals(first, json(send("GET", "/books/1", null), 200));

    // Written here, read there: book 3 comes from memcached, not from the application's shelf.
    Book fromHere = new Book(3, "Java Concurrency in Practice (cached by the test)", "Goetz");
    books.put(3L, fromHere);
    assertEquals(fromHere.title(), json(send("GET", "/books/3", null), 200).path("title").asText());
    // The application's metrics, from its start: GET /books/1 missed, then it and /books/3 hit.
    assertEquals(2, count("cache.gets", "hit"));
    assertEquals(1, count("cache.gets", "miss"));

    // @CachePut over HTTP.
    json(send("PUT", "/books/2", "{\"title\": \"The Practice of Programming, 2nd ed.\", \"author\": \"Kernighan\"}"), 200);
    assertEquals(new Book(2, "The Practice of Programming, 2nd ed.", "Kernighan"), books.get(2L));
    // @CacheEvict over HTTP.
    assertEquals(204, send("DELETE", "/books/2", null).statusCode());
    assertNull(books.get(2L));
    assertEquals(404, send("GET", "/books/2", null).statusCode());
    // @CacheEvict(allEntries = true) over HTTP.
    assertEquals(204, send("DELETE", "/books/cache", null).statusCode());
    assertFalse(books.iterator().hasNext(), "every book was removed from memcached");

  }

  // ------------------------------------------------------------------ helpers

  private static int awaitStartup() throws Exception {
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (System.nanoTime() < deadline) {
      String output = output();
      Matcher matcher = PORT.matcher(output);
      if (matcher.find() && output.contains(READY)) {
        return Integer.parseInt(matcher.group(1));
      }
      if (!application.isAlive()) {
        fail("the application exited with " + application.exitValue() + ":\n" + output);
      }
      Thread.sleep(100);
    }
    return fail("the application did not start within " + STARTUP + ":\n" + output());
  }

  private static String output() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  private static HttpResponse<String> send(String method, String path, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
        .timeout(Duration.ofSeconds(30));
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response, int status) throws IOException {
    assertEquals(status, response.statusCode(), response.uri() + ": " + response.body());
    return JSON.readTree(response.body());
  }

  /** The books cache's count of one result, through the application's /actuator/metrics. */
  private static long count(String meter, String result) throws Exception {
    JsonNode body = json(send("GET", "/actuator/metrics/" + meter + "?tag=cache:books&tag=result:" + result, null), 200);
    JsonNode measurement = body.path("measurements").path(0);
    assertEquals("COUNT", measurement.path("statistic").asText(), body.toString());
    return (long) measurement.path("value").asDouble();
  }
}
