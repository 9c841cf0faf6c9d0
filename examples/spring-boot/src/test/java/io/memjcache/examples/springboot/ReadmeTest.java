package io.memjcache.examples.springboot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Keeps README.md exact: its application.properties and memjcache.json blocks are those files
 * whole, and each pom.xml or Java block is a run of lines of the pom or of BookService.java.
 */
class ReadmeTest {
  private static final Path MODULE = Path.of(System.getProperty("basedir", "."));
  private static final Map<String, Path> SOURCE_OF = Map.of(
      "properties", Path.of("src/main/resources/application.properties"),
      "json", Path.of("src/main/resources/memjcache.json"),
      "xml", Path.of("pom.xml"),
      "java", Path.of("src/main/java/io/memjcache/examples/springboot/BookService.java"));

  /** One fenced block of the README: its language and its lines. */
  record Snippet(String language, List<String> lines, int startLine) {}

  @Test
  void readme_configurationBlocks_areTheWholeFiles() throws IOException {
    for (String language : List.of("properties", "json")) {
      List<Snippet> blocks = snippets(language);
      assertEquals(1, blocks.size(), "one " + language + " block in README.md");
      assertEquals(lines(SOURCE_OF.get(language)), blocks.get(0).lines(),
          "README.md line " + blocks.get(0).startLine() + " should be " + SOURCE_OF.get(language) + " whole");
    }
  }

  @Test
  void readme_pomAndJavaBlocks_areCopiedFromTheExample() throws IOException {
    int checked = 0;
    for (String language : List.of("xml", "java")) {
      List<String> source = lines(SOURCE_OF.get(language));
      for (Snippet block : snippets(language)) {
        if (Collections.indexOfSubList(source, block.lines()) < 0) {
          fail("README.md line " + block.startLine() + ": this " + language + " block is not a run of lines of "
              + SOURCE_OF.get(language) + ":\n" + String.join("\n", block.lines()));
        }
        checked++;
      }
    }
    assertTrue(checked >= 3, "the pom and service blocks were found: " + checked);
  }

  private static List<Snippet> snippets(String language) throws IOException {
    List<String> readme = lines(Path.of("README.md"));
    List<Snippet> found = new ArrayList<>();
    for (int i = 0; i < readme.size(); i++) {
      if (readme.get(i).equals("```" + language)) {
        int end = readme.subList(i + 1, readme.size()).indexOf("```");
        assertTrue(end >= 0, "README.md line " + (i + 1) + ": unterminated block");
        found.add(new Snippet(language, List.copyOf(readme.subList(i + 1, i + 1 + end)), i + 2));
        i += end + 1;
      }
    }
    return found;
  }

  private static List<String> lines(Path relative) throws IOException {
    return Files.readAllLines(MODULE.resolve(relative), StandardCharsets.UTF_8);
  }
}
