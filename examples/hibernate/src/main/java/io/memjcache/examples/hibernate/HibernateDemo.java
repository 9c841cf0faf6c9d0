package io.memjcache.examples.hibernate;

import io.memjcache.testing.MemcachedServer;
import io.memjcache.testing.ServerOptions;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.io.PrintStream;
import java.util.List;
import org.hibernate.KeyType;
import org.hibernate.SessionFactory;
import org.hibernate.stat.CacheRegionStatistics;
import org.hibernate.stat.Statistics;

/**
 * Hibernate ORM's second-level cache in memcached: starts a private memcached, then runs the
 * persistence unit "library" of {@code META-INF/persistence.xml} (H2 in memory, memjcache
 * configured by {@code memjcache-hibernate.json}) and shows where each read came from. Run it
 * from the repository root with
 *
 * <pre>
 *   mvn -B -q install -DskipTests &amp;&amp; mvn -B -q -pl examples/hibernate exec:java
 * </pre>
 *
 * <p>Each step checks what it shows and throws if the cache did not behave.
 */
public final class HibernateDemo {
  private static final String BOOK_REGION = Book.class.getName();

  private final PrintStream out;
  private Statistics statistics;

  private HibernateDemo(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    run(System.out);
  }

  /** The whole demo, printing to {@code out}; returns normally only if every step behaved. */
  static void run(PrintStream out) throws Exception {
    new HibernateDemo(out).tour();
  }

  private void tour() {
    out.println();
    out.println("Hibernate ORM second-level cache in memcached, through memjcache");
    out.println("================================================================");
    try (MemcachedServer server = MemcachedServer.start(ServerOptions.defaults())) {
      // memjcache-hibernate.json reads the servers from ${sys:memjcache.example.servers}.
      System.setProperty("memjcache.example.servers", server.hostAndPort());
      out.printf("memcached %s on %s%n", server.version(), server.hostAndPort());
      EntityManagerFactory emf = Persistence.createEntityManagerFactory("library");
      try {
        SessionFactory sessions = emf.unwrap(SessionFactory.class);
        statistics = sessions.getStatistics();
        sessions.inTransaction(session -> {
          Author author = new Author(1L, "Ursula K. Le Guin");
          session.persist(author);
          session.persist(new Book(10L, "978-0-441-47812-5", "The Left Hand of Darkness", author));
          session.persist(new Book(11L, "978-0-06-051275-4", "The Dispossessed", author));
        });
        statistics.clear();

        step("1. find a book twice", () -> {
          for (int i = 0; i < 2; i++) {
            sessions.inTransaction(session -> session.find(Book.class, 10L).getTitle());
          }
          expect(region(BOOK_REGION).getHitCount() == 1, "the second find should be a cache hit");
        });
        step("2. the author's books (a cached collection), twice", () -> {
          for (int i = 0; i < 2; i++) {
            sessions.inTransaction(session -> session.find(Author.class, 1L).getBooks().size());
          }
          expect(region(Author.class.getName() + ".books").getHitCount() == 1, "the collection should be a hit");
        });
        step("3. a book by ISBN (natural id)", () -> {
          Long id = sessions.fromTransaction(session ->
              session.find(Book.class, "978-0-06-051275-4", KeyType.NATURAL).getId());
          expect(id == 11L, "wrong book " + id);
        });
        step("4. a cacheable query, twice", () -> {
          for (int i = 0; i < 2; i++) {
            List<String> titles = sessions.fromTransaction(session -> session
                .createSelectionQuery("select b.title from Book b order by b.title", String.class)
                .setCacheable(true).list());
            expect(titles.size() == 2, "two books expected: " + titles);
          }
          expect(statistics.getQueryCacheHitCount() == 1, "the second run should be a query cache hit");
        });
        step("5. update a title, read it twice", () -> {
          sessions.inTransaction(session -> session.find(Book.class, 10L).setTitle("The Left Hand of Darkness (1969)"));
          statistics.clear();
          for (int i = 0; i < 2; i++) {
            String title = sessions.fromTransaction(session -> session.find(Book.class, 10L).getTitle());
            expect(title.endsWith("(1969)"), "stale title " + title);
          }
          expect(region(BOOK_REGION).getMissCount() == 1 && region(BOOK_REGION).getHitCount() == 1,
              "the update should have invalidated the cached book: one miss, then a hit");
        });
      } finally {
        emf.close();
        System.clearProperty("memjcache.example.servers");
      }
    }
    out.println("Done.");
  }

  private CacheRegionStatistics region(String name) {
    return statistics.getDomainDataRegionStatistics(name);
  }

  private void step(String title, Runnable body) {
    body.run();
    out.printf("%s%n   second-level cache: %d hits, %d misses, %d puts; natural ids: %d hits; "
            + "queries: %d hits; SQL statements: %d%n",
        title, statistics.getSecondLevelCacheHitCount(), statistics.getSecondLevelCacheMissCount(),
        statistics.getSecondLevelCachePutCount(), statistics.getNaturalIdCacheHitCount(),
        statistics.getQueryCacheHitCount(), statistics.getPrepareStatementCount());
  }

  private static void expect(boolean condition, String message) {
    if (!condition) {
      throw new IllegalStateException(message);
    }
  }
}
