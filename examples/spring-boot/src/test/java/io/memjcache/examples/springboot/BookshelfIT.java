package io.memjcache.examples.springboot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memjcache.spi.MemcachedCachingProvider;
import io.memjcache.testing.MemcachedServer;
import io.memjcache.testing.MemcachedTest;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.ExpiryPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The bookshelf application against a real memcached: each cache annotation end to end, checked
 * through a second, independent memjcache client (its own provider, manager and connection) that
 * reads and writes the same caches in memcached, as another instance of the application would; and
 * the Actuator cache metrics, whose hit and miss counts must be exactly the calls made.
 *
 * <p>{@code @MemcachedTest} comes first, so memcached starts before the Spring context and stops
 * after it; {@code @DirtiesContext} closes the context (and its cache manager) after this class.
 * Each test uses books of its own, so the order of the tests does not matter.
 */
@MemcachedTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class BookshelfIT {
  /** The system property memjcache.json takes its servers from. */
  static final String SERVERS_PROPERTY = "bookshelf.memcached.servers";
  /**
   * Overrides the default 2 s operation timeout: on a machine shared by many builds, a cold JVM's
   * first requests can take longer, and these tests are about caching, not latency.
   */
  static final String OPERATION_TIMEOUT_PROPERTY = "memjcache.operationTimeoutMillis";
  static final String PATIENT_OPERATION_TIMEOUT_MILLIS = "15000";

  private static final AtomicLong NEXT_ID = new AtomicLong(1_000);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static CacheManager otherClient;
  private static Cache<Object, Object> otherBooks;
  private static Cache<Object, Object> otherByAuthor;

  @Autowired BookService service;
  @Autowired BookRepository repository;
  @Autowired CacheManager jcache;
  @Autowired org.springframework.cache.CacheManager springCaches;
  @Autowired MeterRegistry meters;
  @LocalServerPort int port;

  @BeforeAll
  static void pointTheApplicationAtMemcached(MemcachedServer memcached) {
    System.setProperty(SERVERS_PROPERTY, memcached.hostAndPort());
    System.setProperty(OPERATION_TIMEOUT_PROPERTY, PATIENT_OPERATION_TIMEOUT_MILLIS);
    // A provider instance of its own, hence a manager and connections of its own; its memcached://
    // URI names the servers and takes the rest (statistics, allowed classes) from memjcache.json.
    otherClient = new MemcachedCachingProvider().getCacheManager(
        URI.create("memcached://" + memcached.hostAndPort()), BookshelfIT.class.getClassLoader());
    otherBooks = otherClient.createCache(BookService.BOOKS, new MutableConfiguration<>());
    otherByAuthor = otherClient.createCache(BookService.BY_AUTHOR, new MutableConfiguration<>());
  }

  @AfterAll
  static void closeTheOtherClient() {
    if (otherClient != null) {
      otherClient.close();
    }
    System.clearProperty(SERVERS_PROPERTY);
    System.clearProperty(OPERATION_TIMEOUT_PROPERTY);
  }

  // ------------------------------------------------------------------ configuration

  @Test
  void springCaches_createdWithPlainConfiguration_takeTheSettingsOfMemjcacheJson() {
    assertTrue(jcache.getURI().toString().endsWith("memjcache.json"), "manager URI " + jcache.getURI());
    assertEquals(List.of(BookService.BOOKS, BookService.BY_AUTHOR), names(jcache.getCacheNames()));

    CompleteConfiguration<?, ?> books = config(BookService.BOOKS);
    assertTrue(books.isStatisticsEnabled(), "defaults.statistics turns statistics on");
    assertEquals(new Duration(TimeUnit.MINUTES, 10), books.getExpiryPolicyFactory().create().getExpiryForCreation());

    ExpiryPolicy byAuthor = config(BookService.BY_AUTHOR).getExpiryPolicyFactory().create();
    assertTrue(config(BookService.BY_AUTHOR).isStatisticsEnabled());
    assertTrue(byAuthor instanceof CreatedExpiryPolicy, "caches.booksByAuthor.expiry: " + byAuthor);
    assertEquals(new Duration(TimeUnit.MINUTES, 1), byAuthor.getExpiryForCreation());
  }

  // ------------------------------------------------------------------ @Cacheable

  @Test
  void cacheableSync_firstCallLoads_bookIsInMemcachedAndTheSecondCallIsServedFromIt() {
    Book book = shelve("Structure and Interpretation of Computer Programs", "Abelson");
    long reads = repository.reads();

    assertEquals(book, service.find(book.id()));
    assertEquals(reads + 1, repository.reads(), "a miss reads the repository");
    assertEquals(book, otherBooks.get(book.id()), "the other client reads the book from memcached");

    assertEquals(book, service.find(book.id()));
    assertEquals(reads + 1, repository.reads(), "a hit does not read the repository");
  }

  @Test
  void cacheableSync_bookWrittenByAnotherClient_isReturnedWithoutReadingTheRepository() {
    Book book = shelve("Refactoring", "Fowler");
    Book fromElsewhere = new Book(book.id(), "Refactoring (cached by another instance)", "Fowler");
    otherBooks.put(book.id(), fromElsewhere);
    long reads = repository.reads();

    assertEquals(fromElsewhere, service.find(book.id()));
    assertEquals(reads, repository.reads());
  }

  @Test
  void cacheableSync_unknownBook_throwsAndCachesNothing() {
    long id = NEXT_ID.incrementAndGet();
    assertThrows(NoSuchBookException.class, () -> service.find(id));
    assertNull(otherBooks.get(id));
    assertFalse(jcache.getCache(BookService.BOOKS).containsKey(id));
  }

  @Test
  void cacheable_authorsBooks_listIsInMemcachedAndTheSecondCallIsServedFromIt() {
    String author = "Knuth " + NEXT_ID.incrementAndGet();
    Book first = shelve("Fundamental Algorithms", author);
    Book second = shelve("Seminumerical Algorithms", author);
    long reads = repository.reads();

    assertEquals(List.of(first, second), service.byAuthor(author));
    assertEquals(List.of(first, second), service.byAuthor(author));
    assertEquals(reads + 1, repository.reads());
    assertEquals(List.of(first, second), otherByAuthor.get(author));
  }

  // ------------------------------------------------------------------ @CachePut

  @Test
  void cachePut_save_replacesTheCachedBookForEveryClient() {
    Book book = shelve("Effective Java", "Bloch");
    service.find(book.id());
    Book thirdEdition = new Book(book.id(), "Effective Java, 3rd edition", "Bloch");

    assertEquals(thirdEdition, service.save(thirdEdition));

    assertEquals(thirdEdition, otherBooks.get(book.id()));
    long reads = repository.reads();
    assertEquals(thirdEdition, service.find(book.id()));
    assertEquals(reads, repository.reads(), "the saved book is served from the cache");
  }

  @Test
  void cacheEvictAllEntriesBeforeInvocation_save_dropsEveryAuthorList() {
    String author = "Liskov " + NEXT_ID.incrementAndGet();
    Book first = shelve("Abstraction and Specification", author);
    String otherAuthor = "Guttag " + NEXT_ID.incrementAndGet();
    shelve("Introduction to Computation", otherAuthor);
    service.byAuthor(author);
    service.byAuthor(otherAuthor);
    assertNotNull(otherByAuthor.get(author));

    // allEntries + beforeInvocation: Spring's Cache.invalidate(), i.e. iterator() and removeAll()
    Book second = service.save(new Book(NEXT_ID.incrementAndGet(), "Program Development in Java", author));

    assertNull(otherByAuthor.get(author));
    assertNull(otherByAuthor.get(otherAuthor), "every author's list is dropped");
    assertEquals(List.of(first, second), service.byAuthor(author), "the new list has the new book");
  }

  // ------------------------------------------------------------------ @CacheEvict

  @Test
  void cacheEvict_delete_removesTheBookFromMemcached() {
    Book book = shelve("The Mythical Man-Month", "Brooks");
    service.find(book.id());
    assertEquals(book, otherBooks.get(book.id()));

    service.delete(book.id());

    assertNull(otherBooks.get(book.id()));
    assertThrows(NoSuchBookException.class, () -> service.find(book.id()), "deleted, not served from the cache");
  }

  @Test
  void cacheEvictAllEntries_evictAll_removesEveryEntryOfBothCachesFromMemcached() {
    Book one = shelve("Design Patterns", "Gamma");
    Book two = shelve("Patterns of Enterprise Application Architecture", "Fowler");
    service.find(one.id());
    service.find(two.id());
    service.byAuthor("Gamma");
    otherBooks.put(NEXT_ID.incrementAndGet(), new Book(0, "written by the other client", "nobody"));
    assertTrue(otherBooks.iterator().hasNext());

    service.evictAll(); // Spring's Cache.clear(): JCache removeAll() on each cache

    assertNull(otherBooks.get(one.id()));
    assertNull(otherBooks.get(two.id()));
    assertFalse(otherBooks.iterator().hasNext(), "no book left, whoever wrote it");
    assertFalse(otherByAuthor.iterator().hasNext(), "no author list left");
    long reads = repository.reads();
    assertEquals(one, service.find(one.id()));
    assertEquals(reads + 1, repository.reads(), "the next read misses and loads again");
  }

  // ------------------------------------------------------------------ Spring's Cache API

  @Test
  void springCacheInvalidate_cacheWithEntries_findsThemThroughTheIteratorAndRemovesThem() {
    org.springframework.cache.Cache byAuthor = springCaches.getCache(BookService.BY_AUTHOR);
    String author = "Dijkstra " + NEXT_ID.incrementAndGet();
    shelve("A Discipline of Programming", author);
    service.byAuthor(author);

    // invalidate() is what allEntries + beforeInvocation calls: iterator().hasNext(), removeAll()
    assertTrue(byAuthor.invalidate(), "the iterator saw the cached list");
    assertNull(otherByAuthor.get(author));
    assertFalse(byAuthor.invalidate(), "the iterator sees nothing once the cache is empty");
  }

  @Test
  void springCachePutIfAbsent_absentThenPresent_storesOnlyTheFirstValue() {
    org.springframework.cache.Cache cache = springCaches.getCache(BookService.BOOKS);
    long id = NEXT_ID.incrementAndGet();
    Book first = new Book(id, "first", "a");

    assertNull(cache.putIfAbsent(id, first), "absent: stored by an entry processor (JCache invoke)");
    org.springframework.cache.Cache.ValueWrapper existing = cache.putIfAbsent(id, new Book(id, "second", "b"));

    assertEquals(first, existing == null ? null : existing.get());
    assertEquals(first, otherBooks.get(id));
  }

  // ------------------------------------------------------------------ metrics

  @Test
  void cacheGetsMetric_hitsAndMissesOverHttp_countExactlyTheCallsMade() throws Exception {
    String author = "Hoare " + NEXT_ID.incrementAndGet();
    Book book = shelve("Communicating Sequential Processes", author);
    long byAuthorHits = metric("cache.gets", BookService.BY_AUTHOR, "hit");
    long byAuthorMisses = metric("cache.gets", BookService.BY_AUTHOR, "miss");
    long bookHits = metric("cache.gets", BookService.BOOKS, "hit");
    long bookMisses = metric("cache.gets", BookService.BOOKS, "miss");
    long bookPuts = metric("cache.puts", BookService.BOOKS, null);

    for (int i = 0; i < 3; i++) {
      assertEquals(200, get("/books?author=" + author.replace(" ", "%20")).statusCode()); // 1 miss, 2 hits
    }
    HttpResponse<String> found = get("/books/" + book.id()); // a miss, then a put
    assertEquals(200, found.statusCode());
    assertEquals(book.title(), JSON.readTree(found.body()).path("title").asText());
    get("/books/" + book.id()); // a hit

    assertEquals(byAuthorHits + 2, metric("cache.gets", BookService.BY_AUTHOR, "hit"));
    assertEquals(byAuthorMisses + 1, metric("cache.gets", BookService.BY_AUTHOR, "miss"));
    assertEquals(bookHits + 1, metric("cache.gets", BookService.BOOKS, "hit"));
    assertEquals(bookMisses + 1, metric("cache.gets", BookService.BOOKS, "miss"));
    assertEquals(bookPuts + 1, metric("cache.puts", BookService.BOOKS, null));
    // the registry behind the endpoint agrees
    assertEquals(byAuthorHits + 2, (long) meters.get("cache.gets")
        .tags("cache", BookService.BY_AUTHOR, "result", "hit").functionCounter().count());
  }

  // ------------------------------------------------------------------ helpers

  /** A new book in the repository only (not cached), with an id no other test uses. */
  private Book shelve(String title, String author) {
    return repository.save(new Book(NEXT_ID.incrementAndGet(), title, author));
  }

  @SuppressWarnings("unchecked") // the raw CompleteConfiguration.class
  private CompleteConfiguration<?, ?> config(String cache) {
    return jcache.getCache(cache).getConfiguration(CompleteConfiguration.class);
  }

  private static List<String> names(Iterable<String> names) {
    List<String> list = new java.util.ArrayList<>();
    names.forEach(list::add);
    return list;
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A cache meter's count read through /actuator/metrics, as a monitoring system would. */
  private long metric(String name, String cache, String result) throws IOException, InterruptedException {
    String path = "/actuator/metrics/" + name + "?tag=cache:" + cache + (result == null ? "" : "&tag=result:" + result);
    HttpResponse<String> response = get(path);
    assertEquals(200, response.statusCode(), path + ": " + response.body());
    JsonNode measurements = JSON.readTree(response.body()).path("measurements");
    assertEquals("COUNT", measurements.path(0).path("statistic").asText(), response.body());
    double value = measurements.path(0).path("value").asDouble();
    assertEquals(Math.rint(value), value, "a whole count: " + response.body());
    return (long) value;
  }
}
