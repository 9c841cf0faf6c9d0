package io.memjcache.examples.springboot;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/** No book has that id: an HTTP 404, and nothing is cached (an exception is never cached). */
@ResponseStatus(HttpStatus.NOT_FOUND)
public class NoSuchBookException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NoSuchBookException(long id) {
    super("no book with id " + id);
  }
}
