package io.memjcache.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * What the forked benchmark JVMs need for the TLS and encryption scenarios, handed over by
 * {@link Main} in system properties: the TLS server's address, the CA that signed its certificate
 * (made at run time by the project's test PKI), and the file holding the value-encryption key ring
 * (generated at run time). Nothing here is ever committed.
 */
public final class Security {
  /** "host:port" of the memcached that serves TLS. */
  public static final String TLS_SERVERS_PROPERTY = "memjcache.bench.tlsServers";
  /** PEM file of the CA that signed the TLS server's certificate (IP:127.0.0.1, DNS:localhost). */
  public static final String TLS_CA_PROPERTY = "memjcache.bench.tlsCa";
  /** File with the key ring in {@code io.memjcache.config.KeyRing}'s text form. */
  public static final String KEY_RING_FILE_PROPERTY = "memjcache.bench.keyRingFile";

  private Security() {}

  public static String tlsServers() {
    return required(TLS_SERVERS_PROPERTY, "the TLS server (host:port)");
  }

  public static Path tlsCa() {
    return Path.of(required(TLS_CA_PROPERTY, "the TLS server's CA certificate (PEM)"));
  }

  public static Path keyRingFile() {
    return Path.of(required(KEY_RING_FILE_PROPERTY, "the encryption key ring file"));
  }

  /** An SSLContext that trusts only {@link #tlsCa()}, for the peers' TLS. */
  public static SSLContext peerSslContext() throws IOException, GeneralSecurityException {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(tlsCa())) {
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trust.setCertificateEntry("ca-" + i++, c);
      }
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  private static String required(String property, String what) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("-D" + property + " (" + what + ") is not set: run the benchmarks through "
          + Main.class.getName() + " (java -jar benchmarks.jar), which starts the TLS server and makes the keys");
    }
    return value.trim();
  }
}
