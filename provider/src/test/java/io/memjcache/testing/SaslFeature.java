package io.memjcache.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * SASL authentication ({@code -S}): writes memcached.conf and a sasldb with the given users, and
 * refuses a server that offers other mechanisms than configured (notably ANONYMOUS).
 */
public final class SaslFeature implements ServerFeature {

  private final List<String> mechanisms;
  private final Map<String, String> users;

  private SaslFeature(List<String> mechanisms, Map<String, String> users) {
    this.mechanisms = List.copyOf(mechanisms);
    this.users = Map.copyOf(users);
  }

  /** PLAIN with one user. */
  public static SaslFeature plain(String user, String password) {
    return builder().mechanisms("PLAIN").user(user, password).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public List<String> mechanisms() {
    return mechanisms;
  }

  /** User name to password. */
  public Map<String, String> users() {
    return users;
  }

  @Override
  public void configure(LaunchSpec spec) throws IOException {
    Path db = spec.workDir().resolve("sasl").resolve("sasldb2");
    Path conf = spec.writeFile("sasl/memcached.conf",
        "mech_list: " + String.join(" ", mechanisms) + "\nsasldb_path: " + db + "\n");
    String saslpasswd2 = Posix.findExecutable("saslpasswd2")
        .orElseThrow(() -> new IOException("saslpasswd2 not found: apt-get install sasl2-bin"))
        .toString();
    for (Map.Entry<String, String> user : users.entrySet()) {
      run(List.of(saslpasswd2, "-a", "memcached", "-c", "-p", "-f", db.toString(), user.getKey()),
          user.getValue());
    }
    spec.grantServerRead(db);
    spec.putEnv("SASL_CONF_PATH", conf.getParent().toString());
    spec.addArgs("-S");
  }

  private static void run(List<String> cmd, String stdin) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try (var in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException(cmd.get(0) + " failed for user " + cmd.get(cmd.size() - 1) + ": " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  @Override
  public void verify(MemcachedServer server) throws IOException {
    List<String> offered;
    // the raw client speaks plaintext: on a TLS server, check through its notls: listener
    java.net.InetSocketAddress address = server.address();
    java.util.Optional<TlsFeature> tls = server.feature(TlsFeature.class);
    if (tls.isPresent()) {
      address = new java.net.InetSocketAddress(server.host(), server.port(tls.get().plaintextListener()));
    }
    try (RawBinaryClient client = RawBinaryClient.connect(address, Duration.ofSeconds(5))) {
      offered = client.saslMechanisms();
    }
    TreeSet<String> expected = new TreeSet<>(mechanisms);
    if (offered.contains("ANONYMOUS") || !new TreeSet<>(offered).equals(expected)) {
      throw new IOException("memcached offers SASL mechanisms " + offered + " instead of " + expected
          + ": its SASL configuration was not read (see " + server.logFile() + ")");
    }
  }

  @Override
  public String toString() {
    return "SASL" + mechanisms + users.keySet();
  }

  /** Mechanisms (default PLAIN) and users. */
  public static final class Builder {
    private final List<String> mechanisms = new ArrayList<>();
    private final Map<String, String> users = new LinkedHashMap<>();

    private Builder() {}

    public Builder mechanisms(String... names) {
      for (String name : names) {
        mechanisms.add(name.toUpperCase(Locale.ROOT));
      }
      return this;
    }

    public Builder user(String name, String password) {
      if (name.isEmpty() || name.contains("@") || name.contains(":")) {
        throw new IllegalArgumentException("bad SASL user name: " + name);
      }
      users.put(name, password);
      return this;
    }

    public SaslFeature build() {
      if (mechanisms.contains("ANONYMOUS")) {
        throw new IllegalArgumentException("ANONYMOUS is not authentication");
      }
      if (users.isEmpty()) {
        throw new IllegalArgumentException("SASL needs at least one user");
      }
      return new SaslFeature(mechanisms.isEmpty() ? List.of("PLAIN") : mechanisms, users);
    }
  }
}
