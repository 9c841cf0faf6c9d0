package io.memjcache.tck;

import io.memjcache.testing.SaslFeature;
import io.memjcache.testing.ServerOptions;
import io.memjcache.testing.TestCertificates;
import io.memjcache.testing.TlsFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The security modes the TCK runs in. Each mode starts memcached with the matching server options
 * and writes a memjcache configuration file whose manager-wide defaults select the mode, since the
 * TCK creates every cache with a plain {@code MutableConfiguration}. Certificates, the SASL
 * password and the encryption keys are made at run time and never leave the build directory.
 *
 * <ul>
 *   <li>{@code plain}: no security (no configuration file);
 *   <li>{@code tls}: TLS with the server verified against a throw-away CA;
 *   <li>{@code mtls-sasl}: mutual TLS plus SASL (SCRAM-SHA-256);
 *   <li>{@code encryption}: authenticated value encryption (AES-256-GCM, hashed keys);
 *   <li>{@code all}: mutual TLS, SASL and encryption together, over three connections per server
 *       (each with its own TLS handshake and SASL exchange; every key on one of them).
 * </ul>
 */
final class TckModes {
  private static final String USER = "tck";
  private static final String PASSWORD = randomText(18);

  private TckModes() {}

  static ServerOptions serverOptions(String mode) {
    ServerOptions.Builder options = ServerOptions.defaults().toBuilder();
    switch (mode) {
      case "plain":
      case "encryption":
        break;
      case "tls":
        options.feature(TlsFeature.of(certificates().server()));
        break;
      case "mtls-sasl":
      case "all":
        // the notls: listener only serves the harness's SASL check; the TCK uses the TLS listener
        options.feature(TlsFeature.builder(certificates().server())
            .requireClientCertificate(certificates().caCertificate()).plaintextListener(true).build());
        options.feature(SaslFeature.builder().mechanisms("SCRAM-SHA-256").user(USER, PASSWORD).build());
        break;
      default:
        throw new IllegalArgumentException("unknown TCK mode '" + mode + "'; use plain, tls, mtls-sasl, encryption or all");
    }
    return options.build();
  }

  /** Writes the configuration file of {@code mode}; null for the plain mode, which needs none. */
  static Path writeConfiguration(String mode, String servers) throws IOException {
    if (mode.equals("plain")) {
      return null;
    }
    Path dir = Files.createTempDirectory("memjcache-tck-");
    StringBuilder json = new StringBuilder("{\n  \"servers\": [\"" + servers + "\"]");
    boolean tls = !mode.equals("encryption");
    boolean mutual = mode.equals("mtls-sasl") || mode.equals("all");
    if (tls) {
      TestCertificates certificates = certificates();
      json.append(",\n  \"tls\": {\"trustCertificates\": \"").append(certificates.caCertificate()).append('"');
      if (mutual) {
        json.append(", \"clientCertificate\": \"").append(certificates.client().certificate())
            .append("\", \"clientKey\": \"").append(certificates.client().key()).append('"');
      }
      json.append('}');
    }
    if (mutual) {
      Path password = secretFile(dir, "sasl-password", PASSWORD);
      json.append(",\n  \"sasl\": {\"username\": \"").append(USER)
          .append("\", \"password\": {\"file\": \"").append(password).append("\"}}");
    }
    if (mode.equals("encryption") || mode.equals("all")) {
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      Path ring = secretFile(dir, "key-ring", "1:" + Base64.getEncoder().encodeToString(key) + ";primary=1");
      json.append(",\n  \"encryption\": {\"keyRing\": {\"file\": \"").append(ring).append("\"}}");
    }
    if (mode.equals("all")) {
      json.append(",\n  \"connection\": {\"connectionsPerNode\": 3}");
    }
    // the TCK stores its own classes in caches typed Object
    json.append(",\n  \"defaults\": {\"javaSerialization\": {\"allowedPatterns\": [\"org.jsr107.tck.**\", \"domain.**\"]}}");
    json.append("\n}\n");
    Path file = dir.resolve("memjcache-" + mode + ".json");
    Files.writeString(file, json);
    return file;
  }

  private static TestCertificates certificates() {
    return TestCertificates.shared();
  }

  private static Path secretFile(Path dir, String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  private static String randomText(int bytes) {
    byte[] random = new byte[bytes];
    new SecureRandom().nextBytes(random);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }
}
