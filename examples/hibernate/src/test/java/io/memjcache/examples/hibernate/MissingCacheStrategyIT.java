package io.memjcache.examples.hibernate;

import static io.memjcache.examples.hibernate.LibraryNode.BOOK_REGION;
import static io.memjcache.examples.hibernate.LibraryNode.LEFT_HAND;
import static io.memjcache.examples.hibernate.LibraryNode.NATURAL_ID_REGION;
import static io.memjcache.examples.hibernate.LibraryNode.REGIONS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.testing.MemcachedServer;
import io.memjcache.testing.MemcachedTest;
import jakarta.persistence.PersistenceException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code hibernate.javax.cache.missing_cache_strategy}: with {@code fail} Hibernate only looks
 * regions up ({@code CacheManager.getCache}), so every region must be declared under
 * {@code "caches"} in memjcache's file, and one missing from it stops the start naming it; with
 * {@code create} Hibernate creates the regions it does not find, and the file's templates give
 * them their settings.
 */
@MemcachedTest
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class MissingCacheStrategyIT {
  private LibraryNode node;

  @BeforeEach
  void setUp(MemcachedServer server) throws Exception {
    LibraryNode.useServer(server);
  }

  @AfterEach
  void tearDown() {
    if (node != null) {
      node.close();
    }
    System.clearProperty(LibraryNode.SERVERS_PROPERTY);
  }

  private static Set<String> cacheNames(LibraryNode node) {
    Set<String> names = new HashSet<>();
    node.cacheManager().getCacheNames().forEach(names::add);
    return names;
  }

  @Test
  void fail_everyRegionDeclared_usesTheDeclaredCaches() {
    node = LibraryNode.open(LibraryNode.newDatabase(), "memjcache-hibernate.json", "drop-and-create",
        Map.of("hibernate.javax.cache.missing_cache_strategy", "fail"));
    node.seed("The Left Hand of Darkness");

    assertEquals(Set.copyOf(REGIONS), cacheNames(node));
    // Declared caches take the file's settings: the template for the entity regions, their own
    // block for the query results, the defaults (eternal) for the timestamps.
    assertEquals(new Duration(TimeUnit.MINUTES, 10), created(expiryOf(node, BOOK_REGION)));
    assertEquals(new Duration(TimeUnit.MINUTES, 5), created(expiryOf(node, "default-query-results-region")));
    assertTrue(expiryOf(node, "default-update-timestamps-region") instanceof EternalExpiryPolicy);

    node.title(LEFT_HAND);
    node.title(LEFT_HAND);
    assertEquals(1, node.hits(BOOK_REGION));
  }

  @Test
  void fail_regionMissingFromTheFile_failsAtStartNamingTheRegion() {
    PersistenceException e = assertThrows(PersistenceException.class, () -> node = LibraryNode.open(
        LibraryNode.newDatabase(), "memjcache-hibernate-missing-region.json", "drop-and-create",
        Map.of("hibernate.javax.cache.missing_cache_strategy", "fail")));

    String causes = causes(e);
    assertTrue(causes.contains("[" + NATURAL_ID_REGION + "]"), causes);
  }

  @Test
  void create_regionsNotDeclared_areCreatedWithTheTemplatesSettings() {
    node = LibraryNode.open(LibraryNode.newDatabase(), "memjcache-hibernate-templates.json", "drop-and-create",
        Map.of("hibernate.javax.cache.missing_cache_strategy", "create"));
    node.seed("The Left Hand of Darkness");

    assertEquals(Set.copyOf(REGIONS), cacheNames(node), "Hibernate created every region");
    for (String region : REGIONS) {
      ExpiryPolicy expiry = expiryOf(node, region);
      if (region.startsWith("io.memjcache.examples.hibernate.")) {
        assertEquals(new Duration(TimeUnit.MINUTES, 10), created(expiry), region);
      } else {
        assertTrue(expiry instanceof EternalExpiryPolicy, region + " matches no template: " + expiry);
      }
      assertTrue(node.cacheConfiguration(region).isStatisticsEnabled(), region + ": the file's defaults apply");
    }

    node.title(LEFT_HAND);
    node.title(LEFT_HAND);
    assertEquals(1, node.hits(BOOK_REGION));
  }

  private static ExpiryPolicy expiryOf(LibraryNode node, String region) {
    ExpiryPolicy policy = node.cacheConfiguration(region).getExpiryPolicyFactory().create();
    assertNotNull(policy, region);
    return policy;
  }

  private static Duration created(ExpiryPolicy policy) {
    assertTrue(policy instanceof CreatedExpiryPolicy, "not a created expiry policy: " + policy);
    return policy.getExpiryForCreation();
  }

  private static String causes(Throwable e) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append(t).append('\n');
    }
    return all.toString();
  }
}
