package io.memjcache.internal.config;

/**
 * The references a string value of the configuration file may hold: {@code ${env:NAME}} (an
 * environment variable), {@code ${sys:name}} (a system property), each with an optional default
 * after {@code :-}, as in {@code ${env:MEMCACHED_SERVERS:-localhost:11211}}. As in a shell, the
 * default also replaces an empty value. {@code $${} writes a literal {@code ${}. A default is
 * literal text (no nested references).
 */
final class Substitution {
  private Substitution() {}

  /** Whether {@code text} holds a reference (so it is substituted, not taken literally). */
  static boolean hasReference(String text) {
    int at = text.indexOf("${");
    while (at >= 0) {
      if (at == 0 || text.charAt(at - 1) != '$') {
        return true;
      }
      at = text.indexOf("${", at + 2);
    }
    return false;
  }

  /**
   * {@code text} with every reference replaced.
   *
   * @throws IllegalArgumentException naming the reference that is malformed or unset
   */
  static String substitute(String text, Environment environment) {
    if (text.indexOf('$') < 0) {
      return text;
    }
    StringBuilder result = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '$' && text.startsWith("$${", i)) {
        result.append("${");
        i += 3;
      } else if (c == '$' && text.startsWith("${", i)) {
        int end = text.indexOf('}', i + 2);
        if (end < 0) {
          throw new IllegalArgumentException("unterminated reference '" + text.substring(i) + "' (missing '}')");
        }
        result.append(resolve(text.substring(i + 2, end), environment));
        i = end + 1;
      } else {
        result.append(c);
        i++;
      }
    }
    return result.toString();
  }

  /** A parsed reference: kind "env" or "sys", the name, and the default (null: none). */
  record Reference(String kind, String name, String fallback) {}

  /** Parses the inside of {@code ${...}}. */
  static Reference parse(String inner) {
    int colon = inner.indexOf(':');
    String kind = colon < 0 ? "" : inner.substring(0, colon);
    if (!kind.equals("env") && !kind.equals("sys")) {
      throw new IllegalArgumentException("unknown reference '${" + inner
          + "}': write ${env:NAME} or ${sys:name}, optionally with a default as ${env:NAME:-default}");
    }
    String rest = inner.substring(colon + 1);
    String fallback = null;
    int dash = rest.indexOf(":-");
    if (dash >= 0) {
      fallback = rest.substring(dash + 2);
      rest = rest.substring(0, dash);
      if (fallback.contains("${")) {
        throw new IllegalArgumentException("the default of '${" + inner + "}' holds a reference; defaults are literal text");
      }
    }
    if (rest.isEmpty() || !rest.equals(rest.strip()) || rest.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("the reference '${" + inner + "}' names no valid "
          + (kind.equals("env") ? "environment variable" : "system property"));
    }
    return new Reference(kind, rest, fallback);
  }

  private static String resolve(String inner, Environment environment) {
    Reference reference = parse(inner);
    boolean env = reference.kind().equals("env");
    String value = env ? environment.getenv(reference.name()) : environment.getProperty(reference.name());
    if (value == null || value.isEmpty()) {
      if (reference.fallback() != null) {
        return reference.fallback();
      }
      if (value == null) {
        throw new IllegalArgumentException((env ? "environment variable " : "system property ") + reference.name()
            + " is not set (a default can follow ':-', as in ${" + reference.kind() + ":" + reference.name()
            + ":-default})");
      }
    }
    return value;
  }
}
