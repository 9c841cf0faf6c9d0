package io.memjcache.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Where a secret (a password, a key) comes from: the environment, a system property, a file, the
 * application's callback, or a value in memory. The value is read each time it is needed, so a
 * rotated secret is picked up on the next connection or key-ring refresh. A secret never shows its
 * value: {@link #toString()} names only its source.
 */
public final class Secret {
  private final String source;
  private final Supplier<char[]> reader;

  private Secret(String source, Supplier<char[]> reader) {
    this.source = source;
    this.reader = reader;
  }

  /** A secret held in memory (a copy of {@code value}). */
  public static Secret of(char[] value) {
    Objects.requireNonNull(value, "value");
    char[] copy = value.clone();
    return new Secret("value", copy::clone);
  }

  /** A secret held in memory. Prefer a source that keeps it out of code and files. */
  public static Secret of(String value) {
    Objects.requireNonNull(value, "value");
    return of(value.toCharArray());
  }

  /** The value of an environment variable, read when needed. */
  public static Secret fromEnvironment(String variable) {
    requireName(variable, "environment variable");
    return new Secret("env:" + variable, () -> {
      String value = System.getenv(variable);
      if (value == null) {
        throw new IllegalStateException("environment variable " + variable + " is not set");
      }
      return value.toCharArray();
    });
  }

  /** The value of a system property, read when needed. */
  public static Secret fromSystemProperty(String name) {
    requireName(name, "system property");
    return new Secret("sysprop:" + name, () -> {
      String value = System.getProperty(name);
      if (value == null) {
        throw new IllegalStateException("system property " + name + " is not set");
      }
      return value.toCharArray();
    });
  }

  /** The content of a file (UTF-8, one trailing line break removed), read when needed. */
  public static Secret fromFile(Path file) {
    Objects.requireNonNull(file, "file");
    return new Secret("file:" + file, () -> {
      try {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (text.endsWith("\r\n")) {
          text = text.substring(0, text.length() - 2);
        } else if (text.endsWith("\n")) {
          text = text.substring(0, text.length() - 1);
        }
        return text.toCharArray();
      } catch (IOException e) {
        throw new IllegalStateException("cannot read the secret file " + file + ": " + e.getClass().getSimpleName());
      }
    });
  }

  /**
   * A secret supplied by the application each time it is needed (a secret manager, rotation).
   * {@code description} names it in messages; it must not contain the secret.
   */
  public static Secret from(String description, Supplier<char[]> callback) {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(callback, "callback");
    return new Secret("callback:" + description, () -> {
      char[] value = callback.get();
      if (value == null) {
        throw new IllegalStateException("the secret callback " + description + " returned null");
      }
      return value;
    });
  }

  /** Reads the secret now. The caller owns the array and should wipe it after use. */
  public char[] reveal() {
    return reader.get();
  }

  /** Reads the secret now as UTF-8 bytes; the caller should wipe them after use. */
  public byte[] revealUtf8() {
    char[] chars = reveal();
    try {
      java.nio.ByteBuffer buffer = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(chars));
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      if (buffer.hasArray()) {
        Arrays.fill(buffer.array(), (byte) 0);
      }
      return bytes;
    } finally {
      Arrays.fill(chars, '\0');
    }
  }

  /** Where the secret comes from, e.g. {@code env:MEMJCACHE_PASSWORD}; never the value. */
  public String source() {
    return source;
  }

  @Override
  public String toString() {
    return "Secret[" + source + "]";
  }

  /** Secrets from the same variable, property or file are equal; others only to themselves. */
  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof Secret)) {
      return false;
    }
    Secret that = (Secret) other;
    return named() && that.named() && source.equals(that.source);
  }

  @Override
  public int hashCode() {
    return named() ? source.hashCode() : System.identityHashCode(this);
  }

  private boolean named() {
    return source.startsWith("env:") || source.startsWith("sysprop:") || source.startsWith("file:");
  }

  private static void requireName(String name, String what) {
    Objects.requireNonNull(name, what);
    if (name.isBlank()) {
      throw new IllegalArgumentException("the " + what + " name is blank");
    }
  }
}
