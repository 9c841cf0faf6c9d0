package io.memjcache.examples.springboot;

import java.util.List;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.Caching;
import org.springframework.stereotype.Service;

/**
 * The books, cached in memcached with Spring's cache annotations. Each annotation maps to a JCache
 * call that memjcache sends to memcached, so every instance of the application shares the caches:
 *
 * <ul>
 *   <li>{@code @Cacheable(sync = true)}: {@code Cache.invoke}, an entry processor that loads a missing
 *       book once per JVM and stores it with memcached's ADD;
 *   <li>{@code @Cacheable}: {@code Cache.get}, then {@code Cache.put} on a miss;
 *   <li>{@code @CachePut}: {@code Cache.put};
 *   <li>{@code @CacheEvict}: {@code Cache.remove(key)};
 *   <li>{@code @CacheEvict(allEntries = true)}: {@code Cache.removeAll()}, and with
 *       {@code beforeInvocation = true}, {@code Cache.iterator()} then {@code Cache.removeAll()}.
 * </ul>
 */
@Service
public class BookService {
  /** Books by id. */
  public static final String BOOKS = "books";
  /** Each author's books, by author name. */
  public static final String BY_AUTHOR = "booksByAuthor";

  private final BookRepository repository;

  public BookService(BookRepository repository) {
    this.repository = repository;
  }

  @Cacheable(cacheNames = BOOKS, sync = true)
  public Book find(long id) {
    return repository.findById(id).orElseThrow(() -> new NoSuchBookException(id));
  }

  @Cacheable(BY_AUTHOR)
  public List<Book> byAuthor(String author) {
    return repository.findByAuthor(author);
  }

  /** Stores the book and caches it; every cached author list is dropped first, as it may change. */
  @CachePut(cacheNames = BOOKS, key = "#result.id")
  @CacheEvict(cacheNames = BY_AUTHOR, allEntries = true, beforeInvocation = true)
  public Book save(Book book) {
    return repository.save(book);
  }

  @Caching(evict = {
      @CacheEvict(BOOKS),
      @CacheEvict(cacheNames = BY_AUTHOR, allEntries = true)})
  public void delete(long id) {
    repository.deleteById(id);
  }

  /** Empties both caches, e.g. after the database was changed behind the application's back. */
  @CacheEvict(cacheNames = {BOOKS, BY_AUTHOR}, allEntries = true)
  public void evictAll() {
    // the annotation does the work
  }
}
