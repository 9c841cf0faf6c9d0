package io.memjcache.internal.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.memjcache.config.EncryptionSettings;
import io.memjcache.config.KeyRing;
import io.memjcache.config.KeyRingSource;
import io.memjcache.config.SaslSettings;
import io.memjcache.config.Secret;
import io.memjcache.config.SerializationFormat;
import io.memjcache.config.TlsSettings;
import io.memjcache.internal.client.ClientSettings;
import io.memjcache.internal.cluster.ClusterSettings;
import io.memjcache.internal.cluster.FailurePolicy;
import io.memjcache.serialization.JavaSerializationSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads a configuration file with Jackson, strictly: a duplicate key, an unknown field, a value
 * of the wrong type (no coercion: {@code "8192"} is not a number), a missing required field or an
 * impossible value is an error naming the file and the JSON path. Numbers, booleans and durations
 * may also be written as a string holding a {@code ${...}} reference, whose value must then
 * parse as that type. This is the only class of the package that refers to Jackson.
 */
final class JsonConfigParser {
  static final List<String> ROOT =
      List.of("servers", "connection", "cluster", "tls", "sasl", "encryption", "defaults", "templates", "caches");
  static final List<String> CONNECTION =
      List.of("connectTimeout", "operationTimeout", "connectionsPerNode", "maxInFlight", "maxResponseBodyBytes");
  static final List<String> CLUSTER =
      List.of("failureThreshold", "failurePolicy", "probeInterval", "maxProbeInterval");
  static final List<String> TLS = List.of("trustCertificates", "trustStore", "trustStorePassword",
      "clientCertificate", "clientKey", "clientKeyPassword", "keyStore", "keyStorePassword", "hostnameVerification",
      "minimumProtocol", "cipherSuites", "engine");
  static final List<String> SASL = List.of("username", "password", "mechanisms", "allowPlainWithoutTls");
  static final List<String> ENCRYPTION = List.of("keyRing", "algorithm", "hashKeys", "refreshInterval");
  static final List<String> PKCS12_KEY_RING = List.of("pkcs12", "password");
  static final List<String> DEFAULTS = List.of("expiry", "statistics", "management", "keyFormat", "valueFormat",
      "generationRefresh", "javaSerialization");
  /** A template or declared cache: the defaults' fields plus its own security settings. */
  static final List<String> TEMPLATE =
      Stream.concat(DEFAULTS.stream(), Stream.of("tls", "sasl", "encryption")).toList();
  static final List<String> EXPIRY = List.of("policy", "duration");
  static final List<String> JAVA_SERIALIZATION =
      List.of("allowedPatterns", "maxDepth", "maxReferences", "maxBytes", "maxArrayLength");
  static final List<String> SECRET = List.of("env", "file", "sysprop");

  /** Every block of the format and its fields ("" is the top level), as reference.json documents them. */
  static Map<String, List<String>> schema() {
    Map<String, List<String>> schema = new LinkedHashMap<>();
    schema.put("", ROOT);
    schema.put("connection", CONNECTION);
    schema.put("cluster", CLUSTER);
    schema.put("tls", TLS);
    schema.put("sasl", SASL);
    schema.put("encryption", ENCRYPTION);
    schema.put("defaults", DEFAULTS);
    schema.put("defaults.expiry", EXPIRY);
    schema.put("defaults.javaSerialization", JAVA_SERIALIZATION);
    return schema;
  }

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      // The tree is walked field by field below, which rejects unknown fields with their path;
      // this keeps any data binding strict too.
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private static final Map<String, ExpirySettings.Policy> POLICIES = names(ExpirySettings.Policy.values());
  private static final Map<String, SerializationFormat> FORMATS = names(SerializationFormat.values());
  private static final Map<String, TlsSettings.Engine> ENGINES = names(TlsSettings.Engine.values());
  private static final Map<String, TlsSettings.Protocol> PROTOCOLS = protocols();
  private static final Map<String, EncryptionSettings.Algorithm> ALGORITHMS = algorithms();
  private static final Map<String, FailurePolicy> FAILURE_POLICIES = failurePolicies();
  private static final Pattern SECRET_REFERENCE = Pattern.compile("\\$\\{([^}]*)\\}");

  private final String source;
  private final Environment environment;

  private JsonConfigParser(String source, Environment environment) {
    this.source = source;
    this.environment = environment;
  }

  /**
   * Parses one configuration file.
   *
   * @param source how messages name the file
   * @throws ConfigException for any problem, naming {@code source} and the JSON path
   */
  static ConfigFile parse(InputStream in, String source, Environment environment) {
    JsonNode root;
    try (in) {
      root = MAPPER.readTree(in);
    } catch (JsonProcessingException e) {
      JsonLocation where = e.getLocation();
      throw new ConfigException(source + ": "
          + (where == null ? "" : "line " + where.getLineNr() + ", column " + where.getColumnNr() + ": ")
          + "not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new ConfigException(source + ": cannot read the configuration file: " + e, e);
    }
    if (root == null || root.isMissingNode()) {
      throw new ConfigException(source + ": the configuration file is empty; write {} for all defaults");
    }
    return new JsonConfigParser(source, environment).configuration(new Value(root, "$"));
  }

  /** A node and its JSON path. */
  private record Value(JsonNode node, String path) {}

  private ConfigFile configuration(Value root) {
    Map<String, Value> fields = object(root, ROOT);
    List<InetSocketAddress> servers = fields.containsKey("servers") ? servers(fields.get("servers")) : null;
    Duration connectTimeout = null;
    Duration operationTimeout = null;
    Integer connectionsPerNode = null;
    Integer maxInFlight = null;
    Integer maxResponseBodyBytes = null;
    if (fields.containsKey("connection")) {
      Map<String, Value> connection = object(fields.get("connection"), CONNECTION);
      connectTimeout = connection.containsKey("connectTimeout") ? duration(connection.get("connectTimeout"), true) : null;
      operationTimeout =
          connection.containsKey("operationTimeout") ? duration(connection.get("operationTimeout"), true) : null;
      connectionsPerNode = connection.containsKey("connectionsPerNode")
          ? (int) integer(connection.get("connectionsPerNode"), 1, Integer.MAX_VALUE) : null;
      maxInFlight =
          connection.containsKey("maxInFlight") ? (int) integer(connection.get("maxInFlight"), 1, Integer.MAX_VALUE) : null;
      maxResponseBodyBytes = connection.containsKey("maxResponseBodyBytes")
          ? (int) integer(connection.get("maxResponseBodyBytes"), 1024, Integer.MAX_VALUE) : null;
    }
    ClusterSettings cluster = fields.containsKey("cluster") ? cluster(fields.get("cluster")) : null;
    TlsSettings tls = fields.containsKey("tls") ? tls(fields.get("tls")) : null;
    SaslSettings sasl = fields.containsKey("sasl") ? sasl(fields.get("sasl")) : null;
    EncryptionSettings encryption = fields.containsKey("encryption") ? encryption(fields.get("encryption")) : null;
    CacheTemplate defaults = fields.containsKey("defaults") ? template(fields.get("defaults"), DEFAULTS) : null;

    List<CacheTemplates.Template> templates = new ArrayList<>();
    if (fields.containsKey("templates")) {
      int index = 0;
      for (Map.Entry<String, Value> entry : entries(fields.get("templates")).entrySet()) {
        NamePattern pattern;
        try {
          pattern = NamePattern.parse(entry.getKey(), index++);
        } catch (IllegalArgumentException e) {
          throw error(entry.getValue().path(), e.getMessage());
        }
        templates.add(new CacheTemplates.Template(pattern, template(entry.getValue(), TEMPLATE)));
      }
    }
    Map<String, CacheTemplate> caches = new LinkedHashMap<>();
    if (fields.containsKey("caches")) {
      for (Map.Entry<String, Value> entry : entries(fields.get("caches")).entrySet()) {
        String name = entry.getKey();
        if (name.isEmpty()) {
          throw error(entry.getValue().path(), "a cache name must not be empty");
        }
        if (NamePattern.isPattern(name)) {
          throw error(entry.getValue().path(),
              "a declared cache name cannot hold '*' or '?': put name patterns under \"templates\"");
        }
        caches.put(name, template(entry.getValue(), TEMPLATE));
      }
    }
    return new ConfigFile(source, servers, connectTimeout, operationTimeout, connectionsPerNode, maxInFlight,
        maxResponseBodyBytes, cluster, tls, sasl, encryption, defaults, templates, caches);
  }

  // ------------------------------------------------------------------ blocks

  private List<InetSocketAddress> servers(Value value) {
    List<InetSocketAddress> servers = new ArrayList<>();
    if (value.node().isTextual()) {
      servers.addAll(serverList(value));
    } else if (value.node().isArray()) {
      int i = 0;
      for (JsonNode element : value.node()) {
        Value item = new Value(element, value.path() + "[" + i++ + "]");
        if (!element.isTextual()) {
          throw error(item.path(), "expected a \"host:port\" string, got " + describe(element));
        }
        servers.addAll(serverList(item));
      }
      if (servers.isEmpty()) {
        throw error(value.path(), "names no server: at least one is required");
      }
    } else {
      throw error(value.path(), "expected an array of \"host:port\" strings (or one string of them separated by"
          + " commas), got " + describe(value.node()));
    }
    return servers;
  }

  private List<InetSocketAddress> serverList(Value value) {
    String text = text(value);
    try {
      return ClientSettings.parseServers(text);
    } catch (IllegalArgumentException e) {
      throw error(value.path(), e.getMessage());
    }
  }

  /** The cluster block: the fields it leaves out keep {@link ClusterSettings#DEFAULTS}. */
  private ClusterSettings cluster(Value value) {
    Map<String, Value> fields = object(value, CLUSTER);
    ClusterSettings defaults = ClusterSettings.DEFAULTS;
    int threshold = fields.containsKey("failureThreshold")
        ? (int) integer(fields.get("failureThreshold"), 1, Integer.MAX_VALUE) : defaults.failureThreshold();
    FailurePolicy policy = fields.containsKey("failurePolicy")
        ? choice(fields.get("failurePolicy"), FAILURE_POLICIES) : defaults.failurePolicy();
    Duration probe = fields.containsKey("probeInterval")
        ? duration(fields.get("probeInterval"), true) : defaults.probeInterval();
    Duration maxProbe = fields.containsKey("maxProbeInterval")
        ? duration(fields.get("maxProbeInterval"), true) : defaults.maxProbeInterval();
    try {
      return new ClusterSettings(threshold, policy, probe, maxProbe);
    } catch (IllegalArgumentException e) {
      throw error(value.path(), e.getMessage());
    }
  }

  private TlsSettings tls(Value value) {
    Map<String, Value> fields = object(value, TLS);
    TlsSettings.Builder builder = TlsSettings.builder();
    if (fields.containsKey("trustCertificates")) {
      builder.trustCertificates(file(fields.get("trustCertificates")));
    }
    requireWith(fields, "trustStorePassword", "trustStore");
    if (fields.containsKey("trustStore")) {
      builder.trustStore(file(fields.get("trustStore")), optionalSecret(fields.get("trustStorePassword")));
    }
    if (fields.containsKey("clientCertificate") != fields.containsKey("clientKey")) {
      throw error(value.path(), "clientCertificate and clientKey go together: set both or neither");
    }
    requireWith(fields, "clientKeyPassword", "clientKey");
    if (fields.containsKey("clientCertificate")) {
      builder.clientCertificate(file(fields.get("clientCertificate")), file(fields.get("clientKey")));
      builder.clientKeyPassword(optionalSecret(fields.get("clientKeyPassword")));
    }
    requireWith(fields, "keyStorePassword", "keyStore");
    if (fields.containsKey("keyStore")) {
      builder.keyStore(file(fields.get("keyStore")), optionalSecret(fields.get("keyStorePassword")));
    }
    if (fields.containsKey("hostnameVerification")) {
      builder.hostnameVerification(bool(fields.get("hostnameVerification")));
    }
    if (fields.containsKey("minimumProtocol")) {
      builder.minimumProtocol(choice(fields.get("minimumProtocol"), PROTOCOLS));
    }
    if (fields.containsKey("cipherSuites")) {
      Value suites = fields.get("cipherSuites");
      try {
        builder.cipherSuites(texts(suites));
      } catch (IllegalArgumentException e) {
        throw error(suites.path(), e.getMessage());
      }
    }
    if (fields.containsKey("engine")) {
      builder.engine(choice(fields.get("engine"), ENGINES));
    }
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw error(value.path(), e.getMessage());
    }
  }

  private SaslSettings sasl(Value value) {
    Map<String, Value> fields = object(value, SASL);
    SaslSettings.Builder builder = SaslSettings.builder();
    Value username = required(value, fields, "username");
    try {
      builder.username(text(username));
    } catch (IllegalArgumentException e) {
      throw error(username.path(), e.getMessage());
    }
    builder.password(secret(required(value, fields, "password")));
    if (fields.containsKey("mechanisms")) {
      Value mechanisms = fields.get("mechanisms");
      try {
        builder.mechanisms(texts(mechanisms));
      } catch (IllegalArgumentException e) {
        throw error(mechanisms.path(), e.getMessage());
      }
    }
    if (fields.containsKey("allowPlainWithoutTls")) {
      builder.allowPlainWithoutTls(bool(fields.get("allowPlainWithoutTls")));
    }
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw error(value.path(), e.getMessage());
    }
  }

  private EncryptionSettings encryption(Value value) {
    Map<String, Value> fields = object(value, ENCRYPTION);
    EncryptionSettings.Builder builder = EncryptionSettings.builder();
    builder.keyRing(keyRing(required(value, fields, "keyRing")));
    if (fields.containsKey("algorithm")) {
      builder.algorithm(choice(fields.get("algorithm"), ALGORITHMS));
    }
    if (fields.containsKey("hashKeys")) {
      builder.hashKeys(bool(fields.get("hashKeys")));
    }
    if (fields.containsKey("refreshInterval")) {
      Value interval = fields.get("refreshInterval");
      Duration refresh = duration(interval, true);
      try {
        builder.refreshInterval(refresh);
      } catch (IllegalArgumentException e) {
        throw error(interval.path(), e.getMessage());
      }
    }
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw error(value.path(), e.getMessage());
    }
  }

  /**
   * Where the encryption keys come from: the text form of {@link KeyRing#parse} in a secret
   * ({@code {"env": "NAME"}}, {@code {"file": "/path"}}, {@code {"sysprop": "name"}},
   * {@code "${env:NAME}"}), or a PKCS#12 key store {@code {"pkcs12": "/path", "password": secret}}.
   * The source is checked now and read when the manager starts and at every refresh.
   */
  private KeyRingSource keyRing(Value value) {
    if (value.node().isObject() && (value.node().has("pkcs12") || value.node().has("password"))) {
      Map<String, Value> fields = object(value, PKCS12_KEY_RING);
      return KeyRingSource.fromPkcs12(file(required(value, fields, "pkcs12")), secret(required(value, fields, "password")));
    }
    return KeyRingSource.fromText(secret(value));
  }

  private CacheTemplate template(Value value, List<String> allowed) {
    Map<String, Value> fields = object(value, allowed);
    ExpirySettings expiry = fields.containsKey("expiry") ? expiry(fields.get("expiry")) : null;
    Boolean statistics = fields.containsKey("statistics") ? bool(fields.get("statistics")) : null;
    Boolean management = fields.containsKey("management") ? bool(fields.get("management")) : null;
    SerializationFormat keyFormat = fields.containsKey("keyFormat") ? choice(fields.get("keyFormat"), FORMATS) : null;
    SerializationFormat valueFormat =
        fields.containsKey("valueFormat") ? choice(fields.get("valueFormat"), FORMATS) : null;
    Duration refresh = fields.containsKey("generationRefresh") ? duration(fields.get("generationRefresh"), false) : null;
    List<String> allowedPatterns = null;
    Integer maxDepth = null;
    Long maxReferences = null;
    Long maxBytes = null;
    Integer maxArrayLength = null;
    if (fields.containsKey("javaSerialization")) {
      Map<String, Value> java = object(fields.get("javaSerialization"), JAVA_SERIALIZATION);
      if (java.containsKey("allowedPatterns")) {
        allowedPatterns = allowedPatterns(java.get("allowedPatterns"));
      }
      maxDepth = java.containsKey("maxDepth") ? (int) integer(java.get("maxDepth"), 1, Integer.MAX_VALUE) : null;
      maxReferences = java.containsKey("maxReferences") ? integer(java.get("maxReferences"), 1, Long.MAX_VALUE) : null;
      maxBytes = java.containsKey("maxBytes") ? integer(java.get("maxBytes"), 1, Long.MAX_VALUE) : null;
      maxArrayLength =
          java.containsKey("maxArrayLength") ? (int) integer(java.get("maxArrayLength"), 0, Integer.MAX_VALUE) : null;
    }
    TlsSettings tls = fields.containsKey("tls") ? tls(fields.get("tls")) : null;
    SaslSettings sasl = fields.containsKey("sasl") ? sasl(fields.get("sasl")) : null;
    EncryptionSettings encryption = fields.containsKey("encryption") ? encryption(fields.get("encryption")) : null;
    return new CacheTemplate(expiry, statistics, management, keyFormat, valueFormat, refresh, allowedPatterns,
        maxDepth, maxReferences, maxBytes, maxArrayLength, tls, sasl, encryption);
  }

  private ExpirySettings expiry(Value value) {
    Map<String, Value> fields = object(value, EXPIRY);
    ExpirySettings.Policy policy = choice(required(value, fields, "policy"), POLICIES);
    if (policy == ExpirySettings.Policy.ETERNAL) {
      if (fields.containsKey("duration")) {
        throw error(fields.get("duration").path(), "the eternal policy takes no duration");
      }
      return ExpirySettings.ETERNAL;
    }
    return new ExpirySettings(policy, duration(required(value, fields, "duration"), false));
  }

  private List<String> allowedPatterns(Value value) {
    List<String> patterns = texts(value);
    for (int i = 0; i < patterns.size(); i++) {
      try {
        JavaSerializationSettings.DEFAULTS.withAllowedPatterns(patterns.get(i));
      } catch (IllegalArgumentException e) {
        throw error(value.path() + "[" + i + "]", e.getMessage());
      }
    }
    return patterns;
  }

  // ------------------------------------------------------------------ values

  /** The fields of an object, each checked against {@code allowed}. */
  private Map<String, Value> object(Value value, List<String> allowed) {
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
  private Map<String, Value> entries(Value value) {
    if (!value.node().isObject()) {
      throw error(value.path(), "expected an object, got " + describe(value.node()));
    }
    Map<String, Value> entries = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : value.node().properties()) {
      entries.put(field.getKey(), new Value(field.getValue(), value.path() + "[" + quote(field.getKey()) + "]"));
    }
    return entries;
  }

  private Value required(Value object, Map<String, Value> fields, String name) {
    Value value = fields.get(name);
    if (value == null) {
      throw error(object.path(), "the required field \"" + name + "\" is missing");
    }
    return value;
  }

  private void requireWith(Map<String, Value> fields, String name, String needed) {
    if (fields.containsKey(name) && !fields.containsKey(needed)) {
      throw error(fields.get(name).path(), "needs \"" + needed + "\" beside it");
    }
  }

  /** A string, with its references substituted. */
  private String text(Value value) {
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

  private List<String> texts(Value value) {
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

  private long integer(Value value, long min, long max) {
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

  private boolean bool(Value value) {
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
  private Duration duration(Value value, boolean positive) {
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

  private <E> E choice(Value value, Map<String, E> options) {
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
  private Path file(Value value) {
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

  private Secret optionalSecret(Value value) {
    return value == null ? null : secret(value);
  }

  /**
   * A secret: {@code {"env": "NAME"}}, {@code {"sysprop": "name"}}, {@code {"file": "/path"}}, or the
   * string {@code "${env:NAME}"} or {@code "${sys:name}"}. Never a literal: a secret does not belong
   * in a file. Its source is checked now and read each time the secret is needed. No message shows
   * the value written.
   */
  private Secret secret(Value value) {
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
    Map<String, Value> fields = object(value, SECRET);
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

  private ConfigException error(String path, String problem) {
    return ConfigException.at(source, path, problem);
  }

  private static String member(String name) {
    return name.matches("[A-Za-z_][A-Za-z0-9_]*") ? "." + name : "[" + quote(name) + "]";
  }

  private static String quote(String text) {
    try {
      return MAPPER.writeValueAsString(new TextNode(text));
    } catch (JsonProcessingException e) {
      return '"' + text + '"';
    }
  }

  /** A short description of a value that was not what the schema expects. */
  private static String describe(JsonNode node) {
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
    return String.join(", ", options.keySet().stream().map(JsonConfigParser::quote).toList());
  }

  private static <E extends Enum<E>> Map<String, E> names(E[] values) {
    Map<String, E> names = new LinkedHashMap<>();
    for (E value : values) {
      names.put(value.name().toLowerCase(Locale.ROOT), value);
    }
    return names;
  }

  private static Map<String, TlsSettings.Protocol> protocols() {
    Map<String, TlsSettings.Protocol> names = new LinkedHashMap<>();
    for (TlsSettings.Protocol protocol : TlsSettings.Protocol.values()) {
      names.put(protocol.jdkName(), protocol);
    }
    return names;
  }

  private static Map<String, FailurePolicy> failurePolicies() {
    Map<String, FailurePolicy> names = new LinkedHashMap<>();
    names.put("redistribute", FailurePolicy.REDISTRIBUTE);
    names.put("failFast", FailurePolicy.FAIL_FAST);
    return names;
  }

  private static Map<String, EncryptionSettings.Algorithm> algorithms() {
    Map<String, EncryptionSettings.Algorithm> names = new LinkedHashMap<>();
    for (EncryptionSettings.Algorithm algorithm : EncryptionSettings.Algorithm.values()) {
      names.put(algorithm.name().replace('_', '-'), algorithm);
    }
    return names;
  }
}
