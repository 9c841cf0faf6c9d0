package io.memjcache.cdi.readme;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's example is the compiled {@link BookService} (from its first annotation on). */
class ReadmeExampleTest {

  @Test
  void readme_example_sameTextAsTheCompiledBookService() throws Exception {
    String source = Files.readString(Path.of("src/test/java/io/memjcache/cdi/readme/BookService.java"));
    String example = source.substring(source.indexOf("@ApplicationScoped")).strip();
    String readme = Files.readString(Path.of("README.md"));
    assertTrue(readme.contains("```java\n" + example + "\n```"),
        "cdi/README.md's example differs from BookService.java:\n" + example);
  }
}
