package io.memjcache.internal.config;

import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Where environment variables and system properties are read: the process's own, or (in tests,
 * which cannot set environment variables in-JVM) any lookup.
 */
public interface Environment {
  /** The JVM's environment variables and system properties. */
  Environment SYSTEM = of(System::getenv, System::getProperty);

  /** The value of an environment variable, or null. */
  String getenv(String name);

  /** The value of a system property, or null. */
  String getProperty(String name);

  /** An environment made of two lookups (each returns null for an unset name). */
  static Environment of(Function<String, String> variables, Function<String, String> properties) {
    Objects.requireNonNull(variables, "variables");
    Objects.requireNonNull(properties, "properties");
    return new Environment() {
      @Override
      public String getenv(String name) {
        return variables.apply(name);
      }

      @Override
      public String getProperty(String name) {
        return properties.apply(name);
      }
    };
  }

  /** These environment variables, and the JVM's system properties. */
  static Environment withVariables(Map<String, String> variables) {
    return of(Map.copyOf(variables)::get, System::getProperty);
  }
}
