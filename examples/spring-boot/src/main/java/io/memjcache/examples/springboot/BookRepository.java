package io.memjcache.examples.springboot;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Repository;

/**
 * Stands in for the database behind the cache: it keeps the books in memory and counts its reads,
 * so that one can see which calls the cache answered.
 */
@Repository
public class BookRepository {
  private final Map<Long, Book> books = new ConcurrentHashMap<>();
  private final AtomicLong reads = new AtomicLong();

  public BookRepository() {
    save(new Book(1, "The C Programming Language", "Kernighan"));
    save(new Book(2, "The Practice of Programming", "Kernighan"));
    save(new Book(3, "Java Concurrency in Practice", "Goetz"));
  }

  public Optional<Book> findById(long id) {
    reads.incrementAndGet();
    return Optional.ofNullable(books.get(id));
  }

  /** The author's books ordered by id, as an immutable list (which memjcache may deserialize). */
  public List<Book> findByAuthor(String author) {
    reads.incrementAndGet();
    return books.values().stream()
        .filter(book -> book.author().equals(author))
        .sorted(Comparator.comparingLong(Book::id))
        .toList();
  }

  public Book save(Book book) {
    books.put(book.id(), book);
    return book;
  }

  public void deleteById(long id) {
    books.remove(id);
  }

  /** How many times the shelf was read: calls answered by the cache do not count. */
  public long reads() {
    return reads.get();
  }
}
