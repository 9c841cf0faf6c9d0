package io.memjcache.examples.hibernate;

import static io.memjcache.examples.hibernate.LibraryNode.BOOK_REGION;
import static io.memjcache.examples.hibernate.LibraryNode.LEFT_HAND;
import static io.memjcache.examples.hibernate.LibraryNode.LEFT_HAND_ISBN;
import static io.memjcache.examples.hibernate.LibraryNode.NATURAL_ID_REGION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.testing.ItemScan;
import io.memjcache.testing.MemcachedServer;
import io.memjcache.testing.MemcachedTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hibernate.KeyType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Value encryption configured in the file ({@code memjcache-hibernate-encrypted.json}: the key
 * ring comes from a system property, generated here): what memcached stores of Hibernate's
 * entries shows neither a book's title nor its ISBN, read straight from the server (every key
 * from {@code lru_crawler metadump hash}, every value by a binary GET), while Hibernate still reads
 * them back as cache hits. The same scan of the unencrypted configuration finds both, so the
 * scan can see plaintext when it is there.
 */
@MemcachedTest
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class EncryptedSecondLevelCacheIT {
  private static final String KEY_RING_PROPERTY = "memjcache.example.keyRing";
  /** A title no other bytes in memcached could contain by chance. */
  private static final String TITLE = "Distinctive-Title-4b1d9e";

  private MemcachedServer server;
  private LibraryNode node;

  @BeforeEach
  void setUp(MemcachedServer server) throws Exception {
    this.server = server;
    LibraryNode.useServer(server);
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    System.setProperty(KEY_RING_PROPERTY, "1:" + Base64.getEncoder().encodeToString(key) + "; primary=1");
  }

  @AfterEach
  void tearDown() {
    if (node != null) {
      node.close();
    }
    System.clearProperty(KEY_RING_PROPERTY);
    System.clearProperty(LibraryNode.SERVERS_PROPERTY);
  }

  /** Seeds a new database through a node using {@code config}, and caches the book and its ISBN. */
  private void cacheTheBook(String config) {
    node = LibraryNode.first(LibraryNode.newDatabase(), config);
    node.seed(TITLE);
    node.statistics.clear();
    for (int i = 0; i < 2; i++) {
      assertEquals(TITLE, node.title(LEFT_HAND));
      assertEquals(LEFT_HAND, node.fromTransaction(session ->
          session.find(Book.class, LEFT_HAND_ISBN, KeyType.NATURAL).getId()));
    }
    // The first find reads the row and caches the book and its ISBN; every later read of either
    // comes from memcached.
    assertEquals(1, node.misses(BOOK_REGION));
    assertEquals(3, node.hits(BOOK_REGION));
    assertEquals(2, node.hits(NATURAL_ID_REGION));
    assertEquals(0, node.misses(NATURAL_ID_REGION));
  }

  @Test
  void rawRead_plainConfiguration_showsTheTitleAndIsbn() throws Exception {
    cacheTheBook("memjcache-hibernate.json");

    List<byte[]> stored = storedKeysAndValues();
    assertTrue(anyContains(stored, TITLE), "the scan should find the title in clear; it found " + describe(stored));
    assertTrue(anyContains(stored, LEFT_HAND_ISBN), "the scan should find the ISBN in clear; it found " + describe(stored));
  }

  @Test
  void rawRead_encryptedConfiguration_showsNeitherTitleNorIsbnAndHibernateReadsThemBack() throws Exception {
    cacheTheBook("memjcache-hibernate-encrypted.json");
    assertTrue(node.cacheConfiguration(BOOK_REGION).getEncryption().isPresent(), "the file's encryption applies");

    List<byte[]> stored = storedKeysAndValues();
    assertTrue(stored.size() >= 4, "expected the cached book and natural id among " + stored.size() / 2 + " items");
    assertFalse(anyContains(stored, TITLE), "the title is stored in clear");
    assertFalse(anyContains(stored, LEFT_HAND_ISBN), "the ISBN is stored in clear");

    // A node that starts later (new SessionFactory, new connections) still reads them back.
    String database = database();
    node.close();
    node = null;
    node = LibraryNode.next(database, "memjcache-hibernate-encrypted.json");
    assertEquals(TITLE, node.title(LEFT_HAND));
    assertEquals(1, node.hits(BOOK_REGION));
    assertEquals(0, node.statements());
  }

  /** The scanned keys (printable bytes only) and value sizes, for a failure message. */
  private static String describe(List<byte[]> stored) {
    StringBuilder sb = new StringBuilder(stored.size() + " keys and values:");
    for (byte[] bytes : stored) {
      sb.append(' ').append(new String(bytes, StandardCharsets.ISO_8859_1).replaceAll("[^\\x20-\\x7e]", ".")
          .substring(0, Math.min(bytes.length, 60))).append('(').append(bytes.length).append(')');
    }
    return sb.toString();
  }

  private String database() {
    return (String) node.emf.getProperties().get("jakarta.persistence.jdbc.url");
  }

  /**
   * Every key memcached holds, followed by its value, read without memjcache ({@link ItemScan}:
   * memcached's hash table, not its LRU queues, so a just-read entry cannot be missed).
   */
  private List<byte[]> storedKeysAndValues() throws IOException {
    List<byte[]> all = new ArrayList<>();
    for (ItemScan.Item item : ItemScan.items(server.address())) {
      all.add(item.key());
      if (item.value() != null) {
        all.add(item.value());
      }
    }
    return all;
  }

  private static boolean anyContains(List<byte[]> haystacks, String needle) {
    byte[] n = needle.getBytes(StandardCharsets.UTF_8);
    for (byte[] h : haystacks) {
      outer:
      for (int i = 0; i + n.length <= h.length; i++) {
        for (int j = 0; j < n.length; j++) {
          if (h[i + j] != n[j]) {
            continue outer;
          }
        }
        return true;
      }
    }
    return false;
  }
}
