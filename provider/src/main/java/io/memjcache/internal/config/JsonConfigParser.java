package io.memjcache.internal.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.memjcache.config.EncryptionSettings;
import io.memjcache.config.KeyRing;
import io.memjcache.config.KeyRingSource;
import io.memjcache.config.SaslSettings;
import io.memjcache.config.SerializationFormat;
import io.memjcache.config.TlsSettings;
import io.memjcache.internal.client.ClientSettings;
import io.memjcache.internal.config.JsonValues.Value;
import io.memjcache.internal.cluster.ClusterSettings;
import io.memjcache.internal.cluster.FailurePolicy;
import io.memjcache.serialization.JavaSerializationSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads a configuration file with Jackson, strictly: a duplicate key, an unknown field, a value
 * of the wrong type (no coercion: {@code "8192"} is not a number), a missing required field or an
 * impossible value is an error naming the file and the JSON path. Numbers, booleans and durations
 * may also be written as a string holding a {@code ${...}} reference, whose value must then
 * parse as that type ({@link JsonValues} reads the typed values). With JsonValues, the only class of
 * the package that refers to Jackson.
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

  private final String source;
  private final JsonValues values;

  private JsonConfigParser(String source, Environment environment) {
    this.source = source;
    this.values = new JsonValues(source, environment);
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


  private ConfigFile configuration(Value root) {
    Map<String, Value> fields = values.object(root, ROOT);
    List<InetSocketAddress> servers = fields.containsKey("servers") ? servers(fields.get("servers")) : null;
    Duration connectTimeout = null;
    Duration operationTimeout = null;
    Integer connectionsPerNode = null;
    Integer maxInFlight = null;
    Integer maxResponseBodyBytes = null;
    if (fields.containsKey("connection")) {
      Map<String, Value> connection = values.object(fields.get("connection"), CONNECTION);
      connectTimeout = connection.containsKey("connectTimeout") ? values.duration(connection.get("connectTimeout"), true) : null;
      operationTimeout =
          connection.containsKey("operationTimeout") ? values.duration(connection.get("operationTimeout"), true) : null;
      connectionsPerNode = connection.containsKey("connectionsPerNode")
          ? (int) values.integer(connection.get("connectionsPerNode"), 1, Integer.MAX_VALUE) : null;
      maxInFlight =
          connection.containsKey("maxInFlight") ? (int) values.integer(connection.get("maxInFlight"), 1, Integer.MAX_VALUE) : null;
      maxResponseBodyBytes = connection.containsKey("maxResponseBodyBytes")
          ? (int) values.integer(connection.get("maxResponseBodyBytes"), 1024, Integer.MAX_VALUE) : null;
    }
    ClusterSettings cluster = fields.containsKey("cluster") ? cluster(fields.get("cluster")) : null;
    TlsSettings tls = fields.containsKey("tls") ? tls(fields.get("tls")) : null;
    SaslSettings sasl = fields.containsKey("sasl") ? sasl(fields.get("sasl")) : null;
    EncryptionSettings encryption = fields.containsKey("encryption") ? encryption(fields.get("encryption")) : null;
    CacheTemplate defaults = fields.containsKey("defaults") ? template(fields.get("defaults"), DEFAULTS) : null;

    List<CacheTemplates.Template> templates = new ArrayList<>();
    if (fields.containsKey("templates")) {
      int index = 0;
      for (Map.Entry<String, Value> entry : values.entries(fields.get("templates")).entrySet()) {
        NamePattern pattern;
        try {
          pattern = NamePattern.parse(entry.getKey(), index++);
        } catch (IllegalArgumentException e) {
          throw values.error(entry.getValue().path(), e.getMessage());
        }
        templates.add(new CacheTemplates.Template(pattern, template(entry.getValue(), TEMPLATE)));
      }
    }
    Map<String, CacheTemplate> caches = new LinkedHashMap<>();
    if (fields.containsKey("caches")) {
      for (Map.Entry<String, Value> entry : values.entries(fields.get("caches")).entrySet()) {
        String name = entry.getKey();
        if (name.isEmpty()) {
          throw values.error(entry.getValue().path(), "a cache name must not be empty");
        }
        if (NamePattern.isPattern(name)) {
          throw values.error(entry.getValue().path(),
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
          throw values.error(item.path(), "expected a \"host:port\" string, got " + values.describe(element));
        }
        servers.addAll(serverList(item));
      }
      if (servers.isEmpty()) {
        throw values.error(value.path(), "names no server: at least one is required");
      }
    } else {
      throw values.error(value.path(), "expected an array of \"host:port\" strings (or one string of them separated by"
          + " commas), got " + values.describe(value.node()));
    }
    return servers;
  }

  private List<InetSocketAddress> serverList(Value value) {
    String text = values.text(value);
    try {
      return ClientSettings.parseServers(text);
    } catch (IllegalArgumentException e) {
      throw values.error(value.path(), e.getMessage());
    }
  }

  /** The cluster block: the fields it leaves out keep {@link ClusterSettings#DEFAULTS}. */
  private ClusterSettings cluster(Value value) {
    Map<String, Value> fields = values.object(value, CLUSTER);
    ClusterSettings defaults = ClusterSettings.DEFAULTS;
    int threshold = fields.containsKey("failureThreshold")
        ? (int) values.integer(fields.get("failureThreshold"), 1, Integer.MAX_VALUE) : defaults.failureThreshold();
    FailurePolicy policy = fields.containsKey("failurePolicy")
        ? values.choice(fields.get("failurePolicy"), FAILURE_POLICIES) : defaults.failurePolicy();
    Duration probe = fields.containsKey("probeInterval")
        ? values.duration(fields.get("probeInterval"), true) : defaults.probeInterval();
    Duration maxProbe = fields.containsKey("maxProbeInterval")
        ? values.duration(fields.get("maxProbeInterval"), true) : defaults.maxProbeInterval();
    try {
      return new ClusterSettings(threshold, policy, probe, maxProbe);
    } catch (IllegalArgumentException e) {
      throw values.error(value.path(), e.getMessage());
    }
  }

  private TlsSettings tls(Value value) {
    Map<String, Value> fields = values.object(value, TLS);
    TlsSettings.Builder builder = TlsSettings.builder();
    if (fields.containsKey("trustCertificates")) {
      builder.trustCertificates(values.file(fields.get("trustCertificates")));
    }
    values.requireWith(fields, "trustStorePassword", "trustStore");
    if (fields.containsKey("trustStore")) {
      builder.trustStore(values.file(fields.get("trustStore")), values.optionalSecret(fields.get("trustStorePassword")));
    }
    if (fields.containsKey("clientCertificate") != fields.containsKey("clientKey")) {
      throw values.error(value.path(), "clientCertificate and clientKey go together: set both or neither");
    }
    values.requireWith(fields, "clientKeyPassword", "clientKey");
    if (fields.containsKey("clientCertificate")) {
      builder.clientCertificate(values.file(fields.get("clientCertificate")), values.file(fields.get("clientKey")));
      builder.clientKeyPassword(values.optionalSecret(fields.get("clientKeyPassword")));
    }
    values.requireWith(fields, "keyStorePassword", "keyStore");
    if (fields.containsKey("keyStore")) {
      builder.keyStore(values.file(fields.get("keyStore")), values.optionalSecret(fields.get("keyStorePassword")));
    }
    if (fields.containsKey("hostnameVerification")) {
      builder.hostnameVerification(values.bool(fields.get("hostnameVerification")));
    }
    if (fields.containsKey("minimumProtocol")) {
      builder.minimumProtocol(values.choice(fields.get("minimumProtocol"), PROTOCOLS));
    }
    if (fields.containsKey("cipherSuites")) {
      Value suites = fields.get("cipherSuites");
      try {
        builder.cipherSuites(values.texts(suites));
      } catch (IllegalArgumentException e) {
        throw values.error(suites.path(), e.getMessage());
      }
    }
    if (fields.containsKey("engine")) {
      builder.engine(values.choice(fields.get("engine"), ENGINES));
    }
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw values.error(value.path(), e.getMessage());
    }
  }

  private SaslSettings sasl(Value value) {
    Map<String, Value> fields = values.object(value, SASL);
    SaslSettings.Builder builder = SaslSettings.builder();
    Value username = values.required(value, fields, "username");
    try {
      builder.username(values.text(username));
    } catch (IllegalArgumentException e) {
      throw values.error(username.path(), e.getMessage());
    }
    builder.password(values.secret(values.required(value, fields, "password")));
    if (fields.containsKey("mechanisms")) {
      Value mechanisms = fields.get("mechanisms");
      try {
        builder.mechanisms(values.texts(mechanisms));
      } catch (IllegalArgumentException e) {
        throw values.error(mechanisms.path(), e.getMessage());
      }
    }
    if (fields.containsKey("allowPlainWithoutTls")) {
      builder.allowPlainWithoutTls(values.bool(fields.get("allowPlainWithoutTls")));
    }
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw values.error(value.path(), e.getMessage());
    }
  }

  private EncryptionSettings encryption(Value value) {
    Map<String, Value> fields = values.object(value, ENCRYPTION);
    EncryptionSettings.Builder builder = EncryptionSettings.builder();
    builder.keyRing(keyRing(values.required(value, fields, "keyRing")));
    if (fields.containsKey("algorithm")) {
      builder.algorithm(values.choice(fields.get("algorithm"), ALGORITHMS));
    }
    if (fields.containsKey("hashKeys")) {
      builder.hashKeys(values.bool(fields.get("hashKeys")));
    }
    if (fields.containsKey("refreshInterval")) {
      Value interval = fields.get("refreshInterval");
      Duration refresh = values.duration(interval, true);
      try {
        builder.refreshInterval(refresh);
      } catch (IllegalArgumentException e) {
        throw values.error(interval.path(), e.getMessage());
      }
    }
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw values.error(value.path(), e.getMessage());
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
      Map<String, Value> fields = values.object(value, PKCS12_KEY_RING);
      return KeyRingSource.fromPkcs12(values.file(values.required(value, fields, "pkcs12")), values.secret(values.required(value, fields, "password")));
    }
    return KeyRingSource.fromText(values.secret(value));
  }

  private CacheTemplate template(Value value, List<String> allowed) {
    Map<String, Value> fields = values.object(value, allowed);
    ExpirySettings expiry = fields.containsKey("expiry") ? expiry(fields.get("expiry")) : null;
    Boolean statistics = fields.containsKey("statistics") ? values.bool(fields.get("statistics")) : null;
    Boolean management = fields.containsKey("management") ? values.bool(fields.get("management")) : null;
    SerializationFormat keyFormat = fields.containsKey("keyFormat") ? values.choice(fields.get("keyFormat"), FORMATS) : null;
    SerializationFormat valueFormat =
        fields.containsKey("valueFormat") ? values.choice(fields.get("valueFormat"), FORMATS) : null;
    Duration refresh = fields.containsKey("generationRefresh") ? values.duration(fields.get("generationRefresh"), false) : null;
    List<String> allowedPatterns = null;
    Integer maxDepth = null;
    Long maxReferences = null;
    Long maxBytes = null;
    Integer maxArrayLength = null;
    if (fields.containsKey("javaSerialization")) {
      Map<String, Value> java = values.object(fields.get("javaSerialization"), JAVA_SERIALIZATION);
      if (java.containsKey("allowedPatterns")) {
        allowedPatterns = allowedPatterns(java.get("allowedPatterns"));
      }
      maxDepth = java.containsKey("maxDepth") ? (int) values.integer(java.get("maxDepth"), 1, Integer.MAX_VALUE) : null;
      maxReferences = java.containsKey("maxReferences") ? values.integer(java.get("maxReferences"), 1, Long.MAX_VALUE) : null;
      maxBytes = java.containsKey("maxBytes") ? values.integer(java.get("maxBytes"), 1, Long.MAX_VALUE) : null;
      maxArrayLength =
          java.containsKey("maxArrayLength") ? (int) values.integer(java.get("maxArrayLength"), 0, Integer.MAX_VALUE) : null;
    }
    TlsSettings tls = fields.containsKey("tls") ? tls(fields.get("tls")) : null;
    SaslSettings sasl = fields.containsKey("sasl") ? sasl(fields.get("sasl")) : null;
    EncryptionSettings encryption = fields.containsKey("encryption") ? encryption(fields.get("encryption")) : null;
    return new CacheTemplate(expiry, statistics, management, keyFormat, valueFormat, refresh, allowedPatterns,
        maxDepth, maxReferences, maxBytes, maxArrayLength, tls, sasl, encryption);
  }

  private ExpirySettings expiry(Value value) {
    Map<String, Value> fields = values.object(value, EXPIRY);
    ExpirySettings.Policy policy = values.choice(values.required(value, fields, "policy"), POLICIES);
    if (policy == ExpirySettings.Policy.ETERNAL) {
      if (fields.containsKey("duration")) {
        throw values.error(fields.get("duration").path(), "the eternal policy takes no duration");
      }
      return ExpirySettings.ETERNAL;
    }
    return new ExpirySettings(policy, values.duration(values.required(value, fields, "duration"), false));
  }

  private List<String> allowedPatterns(Value value) {
    List<String> patterns = values.texts(value);
    for (int i = 0; i < patterns.size(); i++) {
      try {
        JavaSerializationSettings.DEFAULTS.withAllowedPatterns(patterns.get(i));
      } catch (IllegalArgumentException e) {
        throw values.error(value.path() + "[" + i + "]", e.getMessage());
      }
    }
    return patterns;
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
