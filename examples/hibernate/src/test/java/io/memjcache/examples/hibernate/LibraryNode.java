package io.memjcache.examples.hibernate;

import io.memjcache.config.MemcachedConfiguration;
import io.memjcache.testing.MemcachedServer;
import io.memjcache.testing.RawBinaryClient;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.cache.CacheManager;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.cache.jcache.internal.JCacheRegionFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.stat.Statistics;

/**
 * One application node: the persistence unit "library" of {@code META-INF/persistence.xml}, with
 * the test's database and memjcache configuration file. Two nodes on the same database and
 * memcached stand for two JVMs of one application.
 */
final class LibraryNode implements AutoCloseable {
  /** The system property the configuration files take the memcached address from. */
  static final String SERVERS_PROPERTY = "memjcache.example.servers";
  private static final int OP_FLUSH = 0x08;

  static final Long AUTHOR = 1L;
  static final Long LEFT_HAND = 10L;
  static final Long DISPOSSESSED = 11L;
  static final String LEFT_HAND_ISBN = "978-0-441-47812-5";
  static final String BOOK_REGION = Book.class.getName();
  static final String NATURAL_ID_REGION = Book.class.getName() + "##NaturalId";
  static final String BOOKS_ROLE = Author.class.getName() + ".books";
  /** Every region the persistence unit uses. */
  static final List<String> REGIONS = List.of(Author.class.getName(), BOOKS_ROLE, BOOK_REGION, NATURAL_ID_REGION,
      "default-query-results-region", "default-update-timestamps-region");

  final EntityManagerFactory emf;
  final SessionFactory sessionFactory;
  final Statistics statistics;

  private LibraryNode(Map<String, Object> properties) {
    this.emf = Persistence.createEntityManagerFactory("library", properties);
    this.sessionFactory = emf.unwrap(SessionFactory.class);
    this.statistics = sessionFactory.getStatistics();
  }

  /** A fresh, empty database's JDBC URL; every node given it shares that database. */
  static String newDatabase() {
    return "jdbc:h2:mem:library-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
  }

  /**
   * Empties the server (binary FLUSH), so that nothing an earlier test cached is found, and points
   * the configuration files' {@code ${sys:memjcache.example.servers}} at it.
   */
  static void useServer(MemcachedServer server) throws IOException {
    try (RawBinaryClient raw = RawBinaryClient.connect(server.address(), Duration.ofSeconds(5))) {
      RawBinaryClient.Response flushed = raw.call(OP_FLUSH, new byte[0], new byte[0], new byte[0]);
      if (flushed.status() != RawBinaryClient.STATUS_OK) {
        throw new IOException("FLUSH failed with status " + flushed.status());
      }
    }
    System.setProperty(SERVERS_PROPERTY, server.hostAndPort());
  }

  /** The first node on a database: creates the schema. */
  static LibraryNode first(String database, String cacheUri) {
    return open(database, cacheUri, "drop-and-create", Map.of());
  }

  /** Another node on a database the first node created. */
  static LibraryNode next(String database, String cacheUri) {
    return open(database, cacheUri, "none", Map.of());
  }

  static LibraryNode open(String database, String cacheUri, String schemaAction, Map<String, Object> more) {
    Map<String, Object> properties = new HashMap<>(more);
    properties.put("jakarta.persistence.jdbc.url", database);
    properties.put("jakarta.persistence.schema-generation.database.action", schemaAction);
    properties.put("hibernate.javax.cache.uri", cacheUri);
    return new LibraryNode(properties);
  }

  /** One author with two books, written through this node. */
  void seed(String leftHandTitle) {
    inTransaction(session -> {
      Author author = new Author(AUTHOR, "Ursula K. Le Guin");
      session.persist(author);
      session.persist(new Book(LEFT_HAND, LEFT_HAND_ISBN, leftHandTitle, author));
      session.persist(new Book(DISPOSSESSED, "978-0-06-051275-4", "The Dispossessed", author));
    });
  }

  void inTransaction(Consumer<Session> work) {
    sessionFactory.inTransaction(work);
  }

  <T> T fromTransaction(Function<Session, T> work) {
    return sessionFactory.fromTransaction(work);
  }

  /** The title of a book, read in a session of its own. */
  String title(Long bookId) {
    return fromTransaction(session -> session.find(Book.class, bookId).getTitle());
  }

  /** JDBC statements this node prepared since its statistics were last cleared. */
  long statements() {
    return statistics.getPrepareStatementCount();
  }

  long hits(String region) {
    return statistics.getDomainDataRegionStatistics(region).getHitCount();
  }

  long misses(String region) {
    return statistics.getDomainDataRegionStatistics(region).getMissCount();
  }

  long puts(String region) {
    return statistics.getDomainDataRegionStatistics(region).getPutCount();
  }

  /** The JCache manager Hibernate's region factory uses. */
  CacheManager cacheManager() {
    return ((JCacheRegionFactory) sessionFactory.unwrap(SessionFactoryImplementor.class).getCache().getRegionFactory())
        .getCacheManager();
  }

  /** The settings memjcache gave the cache behind a region. */
  @SuppressWarnings("unchecked") // Cache.getConfiguration with a raw class literal
  MemcachedConfiguration<?, ?> cacheConfiguration(String region) {
    return cacheManager().getCache(region).getConfiguration(MemcachedConfiguration.class);
  }

  @Override
  public void close() {
    emf.close();
  }
}
