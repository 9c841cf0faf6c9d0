package io.memjcache.cdi.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.memjcache.cdi.CacheAnnotationsExtension;
import io.memjcache.cdi.DefaultCacheKey;
import io.memjcache.testing.MemcachedCluster;
import io.memjcache.testing.MemcachedTest;
import jakarta.enterprise.inject.se.SeContainer;
import jakarta.enterprise.inject.se.SeContainerInitializer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.cache.CacheManager;
import javax.cache.Caching;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's example, run as written, with the allow-list its last section describes. */
@MemcachedTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReadmeExampleIT {

  @Test
  void bookService_readmeExample_behavesAsDescribed(MemcachedCluster cluster) {
    System.setProperty("memjcache.servers", cluster.serverList());
    System.setProperty("memjcache.serialization.allowedPatterns",
        "io.memjcache.cdi.readme.**,io.memjcache.cdi.DefaultCacheKey,java.lang.*");
    try (SeContainer container = SeContainerInitializer.newInstance().disableDiscovery()
        .addBeanClasses(BookService.class, BookRepository.class)
        .addExtensions(new CacheAnnotationsExtension()).initialize()) {
      BookService books = container.select(BookService.class).get();
      BookRepository repository = container.select(BookRepository.class).get();
      Book book = new Book("978-0134685991", "Effective Java");

      books.save(book.isbn(), book);
      assertEquals(book, books.find(book.isbn()));
      assertEquals(0, repository.loads(), "@CachePut primed the cache");
      CacheManager manager = Caching.getCachingProvider().getCacheManager();
      assertEquals(book, manager.getCache("books").get(new DefaultCacheKey(book.isbn())));

      books.delete(book.isbn());
      assertNull(books.find(book.isbn()));
      assertEquals(1, repository.loads());

      books.save(book.isbn(), book);
      assertEquals(List.of(book), books.search("Effective Java", 1, new RequestTrace("t1")));
      assertEquals(List.of(book), books.search("Effective Java", 1, new RequestTrace("t2")));
      assertEquals(1, repository.searches(), "the trace is not part of the key");
      assertThrows(BookNotFoundException.class, () -> books.search("Missing", 1, new RequestTrace("t3")));
      assertThrows(BookNotFoundException.class, () -> books.search("Missing", 1, new RequestTrace("t4")));
      assertEquals(2, repository.searches(), "the exception was cached");

      books.reload();
      assertNull(manager.getCache("books").get(new DefaultCacheKey(book.isbn())));
      assertEquals(1, repository.refreshes());
    } finally {
      Caching.getCachingProvider().close();
      System.clearProperty("memjcache.servers");
      System.clearProperty("memjcache.serialization.allowedPatterns");
    }
  }
}
