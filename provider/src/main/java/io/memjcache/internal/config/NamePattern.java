package io.memjcache.internal.config;

import java.util.Comparator;
import java.util.regex.Pattern;

/**
 * A cache-name pattern of a template: {@code *} stands for any run of characters (dots
 * included, so {@code com.example.domain.*} matches {@code com.example.domain.Order} and
 * {@code com.example.domain.Order.lines}), {@code ?} for exactly one; everything else is literal.
 *
 * <p>When several patterns match a name, the more specific one wins: more literal characters, then
 * fewer {@code *}; between equally specific patterns, the one written first in the file.
 *
 * @param text the pattern as written
 * @param index its position among the file's templates
 */
record NamePattern(String text, int index, Pattern regex, int literals, int stars) {

  /** Most specific last. */
  static final Comparator<NamePattern> LEAST_SPECIFIC_FIRST = Comparator.comparingInt(NamePattern::literals)
      .thenComparing(Comparator.comparingInt(NamePattern::stars).reversed())
      .thenComparing(Comparator.comparingInt(NamePattern::index).reversed());

  /** @throws IllegalArgumentException if {@code text} is not a usable pattern */
  static NamePattern parse(String text, int index) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("a template pattern must not be empty");
    }
    if (!text.equals(text.strip())) {
      throw new IllegalArgumentException("a template pattern must not start or end with white space");
    }
    if (text.contains("**")) {
      throw new IllegalArgumentException("'**' in a template pattern: a single '*' already matches any characters,"
          + " dots included");
    }
    StringBuilder regex = new StringBuilder();
    int literals = 0;
    int stars = 0;
    StringBuilder literal = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '*' || c == '?') {
        if (literal.length() > 0) {
          regex.append(Pattern.quote(literal.toString()));
          literal.setLength(0);
        }
        regex.append(c == '*' ? ".*" : ".");
        stars += c == '*' ? 1 : 0;
      } else {
        literal.append(c);
        literals++;
      }
    }
    if (literal.length() > 0) {
      regex.append(Pattern.quote(literal.toString()));
    }
    return new NamePattern(text, index, Pattern.compile(regex.toString(), Pattern.DOTALL), literals, stars);
  }

  /** Whether {@code text} holds a wildcard. */
  static boolean isPattern(String text) {
    return text.indexOf('*') >= 0 || text.indexOf('?') >= 0;
  }

  boolean matches(String cacheName) {
    return regex.matcher(cacheName).matches();
  }
}
