package io.memjcache.cdi.readme;

/** What a search for an unknown title throws; the example caches it. */
public class BookNotFoundException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BookNotFoundException(String title) {
    super("no book titled " + title);
  }
}
