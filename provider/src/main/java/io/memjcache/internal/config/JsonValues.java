package io.memjcache.internal.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.memjcache.config.Secret;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed values read from a configuration file's JSON tree for {@link JsonConfigParser}, strictly:
 * no coercion ({@code "8192"} is not a number) except through a {@code ${...}} reference, whose
 * value must then parse as the type; every problem is a {@link ConfigException} naming the file
 * and the JSON path; secrets are references to where they live, never literals.
 */
final class JsonValues {
  private static final Pattern SECRET_REFERENCE = Pattern.compile("\\$\\{([^}]*)\\}");
  private static final ObjectMapper QUOTER = new ObjectMapper();

  /** A node and its JSON path. */
  record Value(JsonNode node, String path) {}

  private final String source;
  private final Environment environment;

  JsonValues(String source, Environment environment) {
    this.source = source;
    this.environment = environment;
  }

  /** The fields of an object, each checked against {@code allowed}. */
  Map<String, Value> object(Value value, List<String> allowed) {
    if (!value.node().isObject()) {
      throw error(value.path(), "expected an object, got " + describe(value.node()));
    }
    Map<String, Value> fields = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> member : value.node().properties()) {
      String name = member.getKey();
      Value field = new Value(member.getValue(), value.path() + "." + name);
      if (!allowed.contains(name)) {
        throw error(value.path() + member(name), "unknown field; the fields here are " + String.join(", ", allowed));
      }
      fields.put(name, field);
    }
    return fields;
  }

  /** The members of an object whose keys are names chosen by the user. */
  Map<String, Value> entries(Value value) {
    if (!value.node().isObject()) {
      throw error(value.path(), "expected an object, got " + describe(value.node()));
    }
    Map<String, Value> entries = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : value.node().properties()) {
      entries.put(field.getKey(), new Value(field.getValue(), value.path() + "[" + quote(field.getKey()) + "]"));
    }
    return entries;
  }

  Value required(Value object, Map<String, Value> fields, String name) {
    Value value = fields.get(name);
    if (value == null) {
      throw error(object.path(), "the required field \"" + name + "\" is missing");
    }
    return value;
  }

  void requireWith(Map<String, Value> fields, String name, String needed) {
    if (fields.containsKey(name) && !fields.containsKey(needed)) {
      throw error(fields.get(name).path(), "needs \"" + needed + "\" beside it");
    }
  }

  /** A string, with its references substituted. */
  String text(Value value) {
    if (!value.node().isTextual()) {
      throw error(value.path(), "expected a string, got " + describe(value.node()));
    }
    return substitute(value);
  }

  private String substitute(Value value) {
    try {
      return Substitution.substitute(value.node().textValue(), environment);
    } catch (IllegalArgumentException e) {
      throw error(value.path(), e.getMessage());
    }
  }

  List<String> texts(Value value) {
    if (!value.node().isArray()) {
      throw error(value.path(), "expected an array of strings, got " + describe(value.node()));
    }
    List<String> texts = new ArrayList<>();
    int i = 0;
    for (JsonNode element : value.node()) {
      texts.add(text(new Value(element, value.path() + "[" + i++ + "]")));
    }
    return texts;
  }

  /** A string holding a reference, substituted; null if the value is not such a string. */
  private String reference(Value value) {
    if (value.node().isTextual() && Substitution.hasReference(value.node().textValue())) {
      return substitute(value).strip();
    }
    return null;
  }

  long integer(Value value, long min, long max) {
    long result;
    JsonNode node = value.node();
    String referenced = reference(value);
    if (node.isIntegralNumber()) {
      if (!node.canConvertToLong()) {
        throw error(value.path(), "the number " + node + " is too large");
      }
      result = node.longValue();
    } else if (referenced != null) {
      try {
        result = Long.parseLong(referenced);
      } catch (NumberFormatException e) {
        throw error(value.path(), "expected an integer, got " + quote(referenced) + " from " + node.textValue());
      }
    } else {
      throw error(value.path(), "expected an integer, got " + describe(node));
    }
    if (result < min) {
      throw error(value.path(), "must be at least " + min + ", got " + result);
    }
    if (result > max) {
      throw error(value.path(), "must be at most " + max + ", got " + result);
    }
    return result;
  }

  boolean bool(Value value) {
    JsonNode node = value.node();
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    String referenced = reference(value);
    if (referenced != null && (referenced.equals("true") || referenced.equals("false"))) {
      return Boolean.parseBoolean(referenced);
    }
    throw error(value.path(), "expected true or false, got "
        + (referenced != null ? quote(referenced) + " from " + node.textValue() : describe(node)));
  }

  /**
   * An ISO-8601 duration ({@code "PT10M"}) or whole milliseconds (a number, or a reference that
   * yields digits); never negative, never a fraction of a millisecond.
   */
  Duration duration(Value value, boolean positive) {
    JsonNode node = value.node();
    Duration result;
    String referenced = reference(value);
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      result = Duration.ofMillis(node.longValue());
    } else if (node.isTextual()) {
      String text = referenced != null ? referenced : node.textValue();
      if (referenced != null && text.matches("-?[0-9]+")) {
        try {
          result = Duration.ofMillis(Long.parseLong(text));
        } catch (NumberFormatException e) {
          throw error(value.path(), "the number " + text + " is too large");
        }
      } else {
        try {
          result = Duration.parse(text);
        } catch (DateTimeParseException e) {
          throw error(value.path(), "expected an ISO-8601 duration such as \"PT10M\" or whole milliseconds, got "
              + quote(text) + (referenced != null ? " from " + node.textValue() : ""));
        }
      }
    } else {
      throw error(value.path(), "expected an ISO-8601 duration such as \"PT10M\" or whole milliseconds, got "
          + describe(node));
    }
    if (result.isNegative()) {
      throw error(value.path(), "must not be negative, got " + result);
    }
    if (positive && result.isZero()) {
      throw error(value.path(), "must be positive, got " + result);
    }
    if (result.getNano() % 1_000_000 != 0) {
      throw error(value.path(), "must be whole milliseconds, got " + result);
    }
    return result;
  }

  <E> E choice(Value value, Map<String, E> options) {
    if (!value.node().isTextual()) {
      throw error(value.path(), "expected one of " + optionList(options) + ", got " + describe(value.node()));
    }
    String text = substitute(value);
    for (Map.Entry<String, E> option : options.entrySet()) {
      if (option.getKey().equalsIgnoreCase(text)) {
        return option.getValue();
      }
    }
    throw error(value.path(), "expected one of " + optionList(options) + ", got " + quote(text));
  }

  /** A readable file (certificates, keys, stores). */
  Path file(Value value) {
    String text = text(value);
    Path path;
    try {
      path = Path.of(text);
    } catch (InvalidPathException e) {
      throw error(value.path(), "not a valid path: " + e.getMessage());
    }
    if (!Files.isRegularFile(path)) {
      throw error(value.path(), "file not found: " + path.toAbsolutePath());
    }
    if (!Files.isReadable(path)) {
      throw error(value.path(), "file not readable: " + path.toAbsolutePath());
    }
    return path;
  }

  Secret optionalSecret(Value value) {
    return value == null ? null : secret(value);
  }

  /**
   * A secret: {@code {"env": "NAME"}}, {@code {"sysprop": "name"}}, {@code {"file": "/path"}}, or the
   * string {@code "${env:NAME}"} or {@code "${sys:name}"}. Never a literal: a secret does not belong
   * in a file. Its source is checked now and read each time the secret is needed. No message shows
   * the value written.
   */
  Secret secret(Value value) {
    JsonNode node = value.node();
    if (node.isTextual()) {
      Matcher matcher = SECRET_REFERENCE.matcher(node.textValue());
      if (!matcher.matches()) {
        throw error(value.path(), "a secret is written as {\"env\": \"NAME\"}, {\"sysprop\": \"name\"},"
            + " {\"file\": \"/path\"} or \"${env:NAME}\"; a literal secret is not accepted in a file");
      }
      Substitution.Reference reference;
      try {
        reference = Substitution.parse(matcher.group(1));
      } catch (IllegalArgumentException e) {
        throw error(value.path(), e.getMessage());
      }
      if (reference.fallback() != null) {
        throw error(value.path(), "a secret reference takes no default (the default would be a secret in the file)");
      }
      return reference.kind().equals("env") ? environmentSecret(value, reference.name())
          : propertySecret(value, reference.name());
    }
    if (!node.isObject()) {
      throw error(value.path(), "a secret is written as {\"env\": \"NAME\"}, {\"sysprop\": \"name\"},"
          + " {\"file\": \"/path\"} or \"${env:NAME}\", not " + describe(node));
    }
    Map<String, Value> fields = object(value, JsonConfigParser.SECRET);
    if (fields.size() != 1) {
      throw error(value.path(), "a secret names exactly one source: env, sysprop or file");
    }
    Map.Entry<String, Value> only = fields.entrySet().iterator().next();
    switch (only.getKey()) {
      case "env":
        return environmentSecret(only.getValue(), text(only.getValue()));
      case "sysprop":
        return propertySecret(only.getValue(), text(only.getValue()));
      default:
        return Secret.fromFile(file(only.getValue()));
    }
  }

  private Secret environmentSecret(Value value, String name) {
    if (name.isBlank()) {
      throw error(value.path(), "names no environment variable");
    }
    if (environment.getenv(name) == null) {
      throw error(value.path(), "environment variable " + name + " is not set");
    }
    return Secret.fromEnvironment(name);
  }

  private Secret propertySecret(Value value, String name) {
    if (name.isBlank()) {
      throw error(value.path(), "names no system property");
    }
    if (environment.getProperty(name) == null) {
      throw error(value.path(), "system property " + name + " is not set");
    }
    return Secret.fromSystemProperty(name);
  }

  // ------------------------------------------------------------------ messages

  ConfigException error(String path, String problem) {
    return ConfigException.at(source, path, problem);
  }

  private static String member(String name) {
    return name.matches("[A-Za-z_][A-Za-z0-9_]*") ? "." + name : "[" + quote(name) + "]";
  }

  static String quote(String text) {
    try {
      return QUOTER.writeValueAsString(new TextNode(text));
    } catch (JsonProcessingException e) {
      return '"' + text + '"';
    }
  }

  /** A short description of a value that was not what the schema expects. */
  static String describe(JsonNode node) {
    if (node.isTextual()) {
      String text = node.textValue();
      return "the string " + quote(text.length() > 60 ? text.substring(0, 57) + "..." : text);
    }
    if (node.isObject()) {
      return "an object";
    }
    if (node.isArray()) {
      return "an array";
    }
    if (node.isNull()) {
      return "null (leave the field out instead)";
    }
    return node.toString();
  }

  private static String optionList(Map<String, ?> options) {
    return String.join(", ", options.keySet().stream().map(JsonValues::quote).toList());
  }
}
