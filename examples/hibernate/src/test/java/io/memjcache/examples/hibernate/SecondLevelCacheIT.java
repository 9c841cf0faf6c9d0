package io.memjcache.examples.hibernate;

import static io.memjcache.examples.hibernate.LibraryNode.AUTHOR;
import static io.memjcache.examples.hibernate.LibraryNode.BOOKS_ROLE;
import static io.memjcache.examples.hibernate.LibraryNode.BOOK_REGION;
import static io.memjcache.examples.hibernate.LibraryNode.DISPOSSESSED;
import static io.memjcache.examples.hibernate.LibraryNode.LEFT_HAND;
import static io.memjcache.examples.hibernate.LibraryNode.LEFT_HAND_ISBN;
import static io.memjcache.examples.hibernate.LibraryNode.NATURAL_ID_REGION;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.memjcache.testing.MemcachedServer;
import io.memjcache.testing.MemcachedTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hibernate.KeyType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hibernate's second-level cache in memcached through memjcache, configured exactly as
 * {@code META-INF/persistence.xml} and {@code memjcache-hibernate.json} say
 * ({@code missing_cache_strategy=fail}, every region declared in the file). Each test has a
 * memcached and a database of its own. Hibernate's statistics show where each read came from:
 * a hit prepared no SQL statement.
 */
@MemcachedTest
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SecondLevelCacheIT {
  private static final String CONFIG = "memjcache-hibernate.json";

  @TempDir
  Path directory;

  private final List<LibraryNode> nodes = new ArrayList<>();
  private String database;
  private LibraryNode node;

  @BeforeEach
  void setUp(MemcachedServer server) throws Exception {
    LibraryNode.useServer(server);
    database = LibraryNode.newDatabase();
    node = opened(LibraryNode.first(database, CONFIG));
    node.seed("The Left Hand of Darkness");
    node.statistics.clear();
  }

  @AfterEach
  void tearDown() {
    nodes.forEach(LibraryNode::close);
    System.clearProperty(LibraryNode.SERVERS_PROPERTY);
  }

  private LibraryNode opened(LibraryNode opened) {
    nodes.add(opened);
    return opened;
  }

  @Test
  void find_secondLoad_isSecondLevelCacheHitWithoutSql() {
    assertEquals("The Left Hand of Darkness", node.title(LEFT_HAND));
    assertEquals(1, node.misses(BOOK_REGION));
    assertEquals(1, node.puts(BOOK_REGION));
    long statements = node.statements();

    assertEquals("The Left Hand of Darkness", node.title(LEFT_HAND));

    assertEquals(1, node.hits(BOOK_REGION));
    assertEquals(1, node.misses(BOOK_REGION));
    assertEquals(statements, node.statements(), "a hit reads no row");
  }

  @Test
  void update_committed_nextLoadSeesNewValueFromDatabaseThenFromCache() {
    node.title(LEFT_HAND);
    node.title(LEFT_HAND);
    assertEquals(1, node.hits(BOOK_REGION));

    node.inTransaction(session -> session.find(Book.class, LEFT_HAND).setTitle("The Left Hand of Darkness (2nd ed.)"));
    node.statistics.clear();

    assertEquals("The Left Hand of Darkness (2nd ed.)", node.title(LEFT_HAND));
    assertEquals(0, node.hits(BOOK_REGION));
    assertEquals(1, node.misses(BOOK_REGION), "the update invalidated the cached book");
    assertEquals("The Left Hand of Darkness (2nd ed.)", node.title(LEFT_HAND));
    assertEquals(1, node.hits(BOOK_REGION));
  }

  @Test
  void bulkUpdate_hql_clearsTheRegion() {
    node.title(LEFT_HAND);
    node.title(DISPOSSESSED);
    node.title(LEFT_HAND);
    assertEquals(1, node.hits(BOOK_REGION));

    int updated = node.fromTransaction(session -> session
        .createMutationQuery("update Book set title = upper(title) where author.id = :author")
        .setParameter("author", AUTHOR)
        .executeUpdate());
    assertEquals(2, updated);
    node.statistics.clear();

    assertEquals("THE LEFT HAND OF DARKNESS", node.title(LEFT_HAND));
    assertEquals("THE DISPOSSESSED", node.title(DISPOSSESSED));
    assertEquals(0, node.hits(BOOK_REGION));
    assertEquals(2, node.misses(BOOK_REGION), "both books were dropped from the cache");
  }

  @Test
  void collection_secondAccess_isCollectionCacheHitUntilItChanges() {
    List<Long> ids = node.fromTransaction(session -> bookIds(session.find(Author.class, AUTHOR)));
    assertEquals(List.of(LEFT_HAND, DISPOSSESSED), ids);
    assertEquals(1, node.misses(BOOKS_ROLE));
    assertEquals(1, node.puts(BOOKS_ROLE));
    long statements = node.statements();

    assertEquals(ids, node.fromTransaction(session -> bookIds(session.find(Author.class, AUTHOR))));
    assertEquals(1, node.hits(BOOKS_ROLE));
    assertEquals(statements, node.statements(), "author, collection and books all came from the cache");

    node.inTransaction(session -> session.persist(
        new Book(12L, "978-0-689-84533-6", "A Wizard of Earthsea", session.find(Author.class, AUTHOR))));
    node.statistics.clear();
    assertEquals(List.of(LEFT_HAND, DISPOSSESSED, 12L),
        node.fromTransaction(session -> bookIds(session.find(Author.class, AUTHOR))));
    assertEquals(1, node.misses(BOOKS_ROLE), "adding a book invalidated the cached collection");
  }

  private static List<Long> bookIds(Author author) {
    return author.getBooks().stream().map(Book::getId).toList();
  }

  @Test
  void naturalId_secondResolution_isNaturalIdCacheHit() {
    assertEquals(LEFT_HAND, node.fromTransaction(session ->
        session.find(Book.class, LEFT_HAND_ISBN, KeyType.NATURAL).getId()));
    assertEquals(1, node.misses(NATURAL_ID_REGION));
    assertEquals(1, node.puts(NATURAL_ID_REGION));
    long statements = node.statements();

    assertEquals(LEFT_HAND, node.fromTransaction(session ->
        session.find(Book.class, LEFT_HAND_ISBN, KeyType.NATURAL).getId()));

    assertEquals(1, node.hits(NATURAL_ID_REGION));
    assertEquals(1, node.statistics.getNaturalIdCacheHitCount());
    assertEquals(statements, node.statements(), "isbn to id from the natural-id cache, the book from the entity cache");
  }

  @Test
  void queryCache_secondRun_isHitUntilTheTableChanges() {
    assertEquals(List.of("The Dispossessed", "The Left Hand of Darkness"), titlesByQuery());
    assertEquals(1, node.statistics.getQueryCacheMissCount());
    assertEquals(1, node.statistics.getQueryCachePutCount());
    long statements = node.statements();

    assertEquals(List.of("The Dispossessed", "The Left Hand of Darkness"), titlesByQuery());
    assertEquals(1, node.statistics.getQueryCacheHitCount());
    assertEquals(statements, node.statements());

    node.inTransaction(session -> session.persist(
        new Book(12L, "978-0-689-84533-6", "A Wizard of Earthsea", session.find(Author.class, AUTHOR))));
    assertEquals(List.of("A Wizard of Earthsea", "The Dispossessed", "The Left Hand of Darkness"), titlesByQuery());
    assertEquals(1, node.statistics.getQueryCacheHitCount(), "an insert into book made the cached result stale");
    assertEquals(2, node.statistics.getQueryCacheMissCount());
  }

  private List<String> titlesByQuery() {
    return node.fromTransaction(session -> session
        .createSelectionQuery("select b.title from Book b where b.author.id = :author order by b.title", String.class)
        .setParameter("author", AUTHOR)
        .setCacheable(true)
        .list());
  }

  /**
   * Two nodes of one application. In one JVM each needs its own JCache manager, hence its own
   * configuration URI: JCache hands out one manager per URI, and Hibernate closes it with its
   * SessionFactory. In production each JVM uses the same file.
   */
  private LibraryNode secondNode() throws Exception {
    Path copy = directory.resolve("node-b.json");
    try (var in = getClass().getClassLoader().getResourceAsStream(CONFIG)) {
      Files.copy(in, copy);
    }
    return opened(LibraryNode.next(database, copy.toUri().toString()));
  }

  @Test
  void twoNodes_loadOnA_isHitOnBWithoutDatabaseAccess() throws Exception {
    LibraryNode b = secondNode();
    assertEquals("The Left Hand of Darkness", node.title(LEFT_HAND));
    assertEquals(1, node.puts(BOOK_REGION));

    assertEquals("The Left Hand of Darkness", b.title(LEFT_HAND));

    assertEquals(1, b.hits(BOOK_REGION));
    assertEquals(0, b.misses(BOOK_REGION));
    assertEquals(0, b.statements(), "node B read no row: the book came from memcached");
  }

  @Test
  void twoNodes_updateOnA_isSeenByB() throws Exception {
    LibraryNode b = secondNode();
    assertEquals("The Left Hand of Darkness", b.title(LEFT_HAND));
    assertEquals("The Left Hand of Darkness", b.title(LEFT_HAND));
    assertEquals(1, b.hits(BOOK_REGION));

    node.inTransaction(session -> session.find(Book.class, LEFT_HAND).setTitle("Changed on A"));
    b.statistics.clear();

    assertEquals("Changed on A", b.title(LEFT_HAND));
    assertEquals(1, b.misses(BOOK_REGION), "A's update removed the book for every node");
    assertEquals("Changed on A", b.title(LEFT_HAND));
    assertEquals(1, b.hits(BOOK_REGION));
  }
}
