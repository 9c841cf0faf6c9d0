package io.memjcache.examples.springboot;

import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The shelf over HTTP: each endpoint is one call of {@link BookService}. */
@RestController
@RequestMapping("/books")
public class BookController {
  private final BookService books;

  public BookController(BookService books) {
    this.books = books;
  }

  @GetMapping("/{id}")
  public Book find(@PathVariable long id) {
    return books.find(id);
  }

  @GetMapping
  public List<Book> byAuthor(@RequestParam String author) {
    return books.byAuthor(author);
  }

  @PutMapping("/{id}")
  public Book save(@PathVariable long id, @RequestBody Book book) {
    return books.save(new Book(id, book.title(), book.author()));
  }

  @DeleteMapping("/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public void delete(@PathVariable long id) {
    books.delete(id);
  }

  @DeleteMapping("/cache")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public void evictAll() {
    books.evictAll();
  }
}
