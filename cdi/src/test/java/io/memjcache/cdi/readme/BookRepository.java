package io.memjcache.cdi.readme;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The README example's store: a map that counts the loads and searches reaching it. */
@ApplicationScoped
public class BookRepository {
  private final Map<String, Book> books = new ConcurrentHashMap<>();
  private final AtomicInteger loads = new AtomicInteger();
  private final AtomicInteger searches = new AtomicInteger();
  private final AtomicInteger refreshes = new AtomicInteger();

  public int loads() {
    return loads.get();
  }

  public int searches() {
    return searches.get();
  }

  public int refreshes() {
    return refreshes.get();
  }

  public Book load(String isbn) {
    loads.incrementAndGet();
    return books.get(isbn);
  }

  public void store(Book book) {
    books.put(book.isbn(), book);
  }

  public void delete(String isbn) {
    books.remove(isbn);
  }

  public void refresh() {
    refreshes.incrementAndGet();
  }

  public List<Book> search(String title, int page, RequestTrace trace) {
    searches.incrementAndGet();
    List<Book> found = books.values().stream().filter(b -> b.title().equals(title)).toList();
    if (found.isEmpty()) {
      throw new BookNotFoundException(title);
    }
    return found;
  }
}
