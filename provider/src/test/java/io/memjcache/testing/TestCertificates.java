package io.memjcache.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A throw-away PKI made at test time with the {@code openssl} command (never committed): an EC
 * P-256 CA, a server certificate for {@code IP:127.0.0.1, DNS:localhost}, a client certificate,
 * an expired server certificate, one for another host, and a second CA with its own server and
 * client certificates. Lives in a temporary directory that the memcached user can traverse;
 * {@link #close()} deletes it.
 */
public final class TestCertificates implements AutoCloseable {

  /** A certificate (PEM, with the CA after the leaf) and its PKCS#8 PEM private key. */
  public record Identity(String name, Path certificate, Path key) {}

  private static TestCertificates shared;

  private final Path dir;
  private final AtomicInteger counter = new AtomicInteger();
  private final Path caCertificate;
  private final Path caKey;
  private final Path otherCaCertificate;
  private final Path otherCaKey;
  private final Identity server;
  private final Identity client;
  private final Identity expiredServer;
  private final Identity wrongHostServer;
  private final Identity otherCaServer;
  private final Identity otherCaClient;

  private TestCertificates(Path dir) throws IOException {
    this.dir = dir;
    caKey = newKey("ca");
    caCertificate = selfSigned("ca", "memjcache test CA", caKey);
    otherCaKey = newKey("other-ca");
    otherCaCertificate = selfSigned("other-ca", "memjcache other test CA", otherCaKey);
    server = issue("server", "localhost", caCertificate, caKey, "IP:127.0.0.1,DNS:localhost", "serverAuth", null);
    client = issue("client", "memjcache-client", caCertificate, caKey, null, "clientAuth", null);
    expiredServer = issue("expired-server", "localhost", caCertificate, caKey, "IP:127.0.0.1,DNS:localhost",
        "serverAuth", new String[] {"20200101000000Z", "20200102000000Z"});
    wrongHostServer = issue("otherhost-server", "otherhost", caCertificate, caKey, "DNS:otherhost", "serverAuth", null);
    otherCaServer = issue("other-ca-server", "localhost", otherCaCertificate, otherCaKey,
        "IP:127.0.0.1,DNS:localhost", "serverAuth", null);
    otherCaClient = issue("other-ca-client", "memjcache-other-client", otherCaCertificate, otherCaKey, null,
        "clientAuth", null);
  }

  /** A new PKI in its own directory. */
  public static TestCertificates create() {
    Path dir = null;
    try {
      dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "memjcache-pki-");
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      return new TestCertificates(dir);
    } catch (IOException e) {
      if (dir != null) {
        ProcessBackend.deleteTree(dir);
      }
      throw new IllegalStateException("cannot make test certificates: " + e.getMessage()
          + " (the openssl command is needed: apt-get install openssl)", e);
    }
  }

  /** One PKI for the whole test JVM, deleted when it exits. */
  public static synchronized TestCertificates shared() {
    if (shared == null) {
      TestCertificates created = create();
      Runtime.getRuntime().addShutdownHook(new Thread(created::close, "delete-test-certificates"));
      shared = created;
    }
    return shared;
  }

  public Path dir() {
    return dir;
  }

  /** The CA that signed {@link #server()}, {@link #client()} and the expired and wrong-host certificates. */
  public Path caCertificate() {
    return caCertificate;
  }

  /** Another CA, trusted by nobody unless a test says so. */
  public Path otherCaCertificate() {
    return otherCaCertificate;
  }

  /** Server certificate for IP:127.0.0.1 and DNS:localhost (serverAuth). */
  public Identity server() {
    return server;
  }

  /** Client certificate (clientAuth). */
  public Identity client() {
    return client;
  }

  /** Valid only on 2020-01-01: expired. */
  public Identity expiredServer() {
    return expiredServer;
  }

  /** Names only DNS:otherhost. */
  public Identity wrongHostServer() {
    return wrongHostServer;
  }

  /** Server certificate for 127.0.0.1 and localhost, signed by {@link #otherCaCertificate()}. */
  public Identity otherCaServer() {
    return otherCaServer;
  }

  /** Client certificate signed by {@link #otherCaCertificate()}. */
  public Identity otherCaClient() {
    return otherCaClient;
  }

  /** A fresh client certificate from the main CA, with its own key, e.g. for rotation. */
  public Identity issueClient(String commonName) {
    try {
      return issue("client-" + counter.incrementAndGet(), commonName, caCertificate, caKey, null, "clientAuth", null);
    } catch (IOException e) {
      throw new IllegalStateException("cannot issue a client certificate: " + e.getMessage(), e);
    }
  }

  /** The identity's key as encrypted PKCS#8 (PBES2, AES-256), as {@code openssl pkcs8 -topk8} writes it. */
  public Path encryptedKey(Identity identity, String password) {
    Path out = dir.resolve(identity.name() + "-" + counter.incrementAndGet() + ".enc.key");
    openssl("pkcs8", "-topk8", "-in", identity.key().toString(), "-out", out.toString(),
        "-passout", "pass:" + password);
    return secret(out);
  }

  /** The identity's key in the traditional ("BEGIN EC PRIVATE KEY") format. */
  public Path traditionalKey(Identity identity) {
    Path out = dir.resolve(identity.name() + "-" + counter.incrementAndGet() + ".trad.key");
    openssl("ec", "-in", identity.key().toString(), "-out", out.toString());
    return secret(out);
  }

  /** A PKCS#12 key store with the identity's key and chain, as {@code openssl pkcs12 -export} writes it. */
  public Path keyStore(Identity identity, String password) {
    Path out = dir.resolve(identity.name() + "-" + counter.incrementAndGet() + ".p12");
    openssl("pkcs12", "-export", "-in", identity.certificate().toString(), "-inkey", identity.key().toString(),
        "-name", identity.name(), "-out", out.toString(), "-passout", "pass:" + password);
    return secret(out);
  }

  /** A PKCS#12 trust store holding {@code ca}, written by keytool (with Java's trust attribute). */
  public Path trustStore(Path ca, String password) {
    Path out = dir.resolve("truststore-" + counter.incrementAndGet() + ".p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    run(List.of(keytool, "-importcert", "-noprompt", "-alias", "ca", "-file", ca.toString(), "-keystore",
        out.toString(), "-storetype", "PKCS12", "-storepass", password));
    return out;
  }

  /** Copies {@code from} over {@code to} in one rename, as a certificate rotation would. */
  public static void replace(Path from, Path to) throws IOException {
    Path tmp = to.resolveSibling(to.getFileName() + ".new");
    Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
    Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public void close() {
    ProcessBackend.deleteTree(dir);
  }

  // ------------------------------------------------------------------ openssl

  private Path newKey(String name) {
    Path key = dir.resolve(name + ".key");
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key.toString());
    return secret(key);
  }

  private Path selfSigned(String name, String commonName, Path key) throws IOException {
    Path cert = dir.resolve(name + ".crt");
    openssl("req", "-x509", "-new", "-key", key.toString(), "-subj", "/CN=" + commonName, "-days", "3",
        "-set_serial", serial(), "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-out", cert.toString());
    return readable(cert);
  }

  /** A leaf certificate; {@code dates} (start, end as YYYYMMDDHHMMSSZ) go through 'openssl ca'. */
  private Identity issue(String name, String commonName, Path caCert, Path caKeyFile, String san, String usage,
      String[] dates) throws IOException {
    Path key = newKey(name);
    Path csr = dir.resolve(name + ".csr");
    openssl("req", "-new", "-key", key.toString(), "-subj", "/CN=" + commonName, "-out", csr.toString());
    StringBuilder ext = new StringBuilder()
        .append("basicConstraints=critical,CA:FALSE\n")
        .append("keyUsage=critical,digitalSignature\n")
        .append("extendedKeyUsage=").append(usage).append('\n');
    if (san != null) {
      ext.append("subjectAltName=").append(san).append('\n');
    }
    Path extFile = dir.resolve(name + ".ext");
    Files.writeString(extFile, ext, StandardCharsets.US_ASCII);
    Path leaf = dir.resolve(name + ".leaf.crt");
    if (dates == null) {
      openssl("x509", "-req", "-in", csr.toString(), "-CA", caCert.toString(), "-CAkey", caKeyFile.toString(),
          "-set_serial", serial(), "-days", "2", "-extfile", extFile.toString(), "-out", leaf.toString());
    } else {
      Path db = Files.createDirectories(dir.resolve(name + "-ca"));
      Files.writeString(db.resolve("index.txt"), "");
      Files.writeString(db.resolve("serial"), serial().substring(2) + "\n");
      Path conf = dir.resolve(name + "-ca.cnf");
      Files.writeString(conf, "[ ca ]\ndefault_ca = test\n[ test ]\ndatabase = " + db.resolve("index.txt")
          + "\nnew_certs_dir = " + db + "\nserial = " + db.resolve("serial")
          + "\ndefault_md = sha256\npolicy = any\nunique_subject = no\n[ any ]\ncommonName = supplied\n");
      openssl("ca", "-batch", "-config", conf.toString(), "-cert", caCert.toString(), "-keyfile", caKeyFile.toString(),
          "-in", csr.toString(), "-out", leaf.toString(), "-startdate", dates[0], "-enddate", dates[1],
          "-extfile", extFile.toString(), "-notext");
    }
    Path chain = dir.resolve(name + ".crt");
    Files.writeString(chain, Files.readString(leaf) + Files.readString(caCert));
    return new Identity(name, readable(chain), key);
  }

  private static String serial() {
    return "0x" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE | (1L << 60));
  }

  private static Path readable(Path file) throws IOException {
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    return file;
  }

  private static Path secret(Path file) {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return file;
  }

  private static void openssl(String... args) {
    String openssl = Posix.findExecutable("openssl")
        .orElseThrow(() -> new IllegalStateException("the openssl command is missing: apt-get install openssl"))
        .toString();
    List<String> cmd = new ArrayList<>();
    cmd.add(openssl);
    cmd.addAll(List.of(args));
    run(cmd);
  }

  private static void run(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", cmd.subList(0, Math.min(3, cmd.size()))) + " failed: " + out);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
