package io.memjcache.cdi.readme;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import javax.cache.annotation.CacheDefaults;
import javax.cache.annotation.CacheKey;
import javax.cache.annotation.CachePut;
import javax.cache.annotation.CacheRemove;
import javax.cache.annotation.CacheRemoveAll;
import javax.cache.annotation.CacheResult;
import javax.cache.annotation.CacheValue;

// The example of cdi/README.md, kept identical to it (from the annotation on): ReadmeExampleIT runs it.
@ApplicationScoped
@CacheDefaults(cacheName = "books")
public class BookService {
  @Inject BookRepository repository;

  @CacheResult                      // key: isbn; a hit skips the method
  public Book find(String isbn) {
    return repository.load(isbn);
  }

  @CachePut                         // key: isbn; stores the @CacheValue after the method returns
  public void save(String isbn, @CacheValue Book book) {
    repository.store(book);
  }

  @CacheRemove                      // removes the key after the method returns
  public void delete(String isbn) {
    repository.delete(isbn);
  }

  @CacheRemoveAll(afterInvocation = false)   // empties "books" before the method runs
  public void reload() {
    repository.refresh();
  }

  @CacheResult(cacheName = "book-search", exceptionCacheName = "book-search-failures",
      cachedExceptions = BookNotFoundException.class)
  public List<Book> search(@CacheKey String title, @CacheKey int page, RequestTrace trace) {
    return repository.search(title, page, trace);  // key: (title, page); trace is not part of it
  }
}
