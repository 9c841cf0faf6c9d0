package io.memjcache.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * TLS for the connections to memcached: trust, an optional client certificate for mutual TLS,
 * protocol floor, cipher suites and the TLS engine. Immutable; build with {@link #builder()}.
 * Hostname verification is on unless explicitly turned off, and checks each server's own name or
 * IP address. Certificate and key files are re-read when a connection is opened after they change.
 *
 * <p>Trust: a PEM file of CA certificates, or a PKCS#12 trust store, or (neither) the JDK's default
 * trust. Client identity (mutual TLS): a PEM certificate chain plus a PEM PKCS#8 private key, or a
 * PKCS#12 key store.
 */
public final class TlsSettings {
  /** Which TLS implementation to use. */
  public enum Engine {
    /** OpenSSL (netty-tcnative-boringssl-static) when it is on the class path, else the JDK's. */
    AUTO,
    /** OpenSSL through netty-tcnative; fails if it is not available. */
    OPENSSL,
    /** The JDK's own TLS engine. */
    JDK
  }

  /** TLS protocol versions memjcache accepts as a floor; nothing older than TLS 1.2. */
  public enum Protocol {
    TLS_1_2("TLSv1.2"),
    TLS_1_3("TLSv1.3");

    private final String jdkName;

    Protocol(String jdkName) {
      this.jdkName = jdkName;
    }

    /** The JSSE protocol name, e.g. {@code TLSv1.3}. */
    public String jdkName() {
      return jdkName;
    }
  }

  private final Path trustCertificates;
  private final Path trustStore;
  private final Secret trustStorePassword;
  private final Path clientCertificate;
  private final Path clientKey;
  private final Secret clientKeyPassword;
  private final Path keyStore;
  private final Secret keyStorePassword;
  private final boolean hostnameVerification;
  private final Protocol minimumProtocol;
  private final List<String> cipherSuites;
  private final Engine engine;

  private TlsSettings(Builder b) {
    this.trustCertificates = b.trustCertificates;
    this.trustStore = b.trustStore;
    this.trustStorePassword = b.trustStorePassword;
    this.clientCertificate = b.clientCertificate;
    this.clientKey = b.clientKey;
    this.clientKeyPassword = b.clientKeyPassword;
    this.keyStore = b.keyStore;
    this.keyStorePassword = b.keyStorePassword;
    this.hostnameVerification = b.hostnameVerification;
    this.minimumProtocol = b.minimumProtocol;
    this.cipherSuites = List.copyOf(b.cipherSuites);
    this.engine = b.engine;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this instance's settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.trustCertificates = trustCertificates;
    b.trustStore = trustStore;
    b.trustStorePassword = trustStorePassword;
    b.clientCertificate = clientCertificate;
    b.clientKey = clientKey;
    b.clientKeyPassword = clientKeyPassword;
    b.keyStore = keyStore;
    b.keyStorePassword = keyStorePassword;
    b.hostnameVerification = hostnameVerification;
    b.minimumProtocol = minimumProtocol;
    b.cipherSuites = cipherSuites;
    b.engine = engine;
    return b;
  }

  /** PEM file of trusted CA certificates. */
  public Optional<Path> trustCertificates() {
    return Optional.ofNullable(trustCertificates);
  }

  /** PKCS#12 trust store. */
  public Optional<Path> trustStore() {
    return Optional.ofNullable(trustStore);
  }

  public Optional<Secret> trustStorePassword() {
    return Optional.ofNullable(trustStorePassword);
  }

  /** PEM client certificate chain, for mutual TLS. */
  public Optional<Path> clientCertificate() {
    return Optional.ofNullable(clientCertificate);
  }

  /** PEM PKCS#8 private key of the client certificate. */
  public Optional<Path> clientKey() {
    return Optional.ofNullable(clientKey);
  }

  /** Password of an encrypted PEM client key. */
  public Optional<Secret> clientKeyPassword() {
    return Optional.ofNullable(clientKeyPassword);
  }

  /** PKCS#12 key store holding the client certificate and key, for mutual TLS. */
  public Optional<Path> keyStore() {
    return Optional.ofNullable(keyStore);
  }

  public Optional<Secret> keyStorePassword() {
    return Optional.ofNullable(keyStorePassword);
  }

  /** Whether each server's certificate must name that server (default true). */
  public boolean hostnameVerification() {
    return hostnameVerification;
  }

  /** The oldest protocol accepted (default TLS 1.2). */
  public Protocol minimumProtocol() {
    return minimumProtocol;
  }

  /** Cipher suites to offer, in order; empty means the engine's secure defaults. */
  public List<String> cipherSuites() {
    return cipherSuites;
  }

  public Engine engine() {
    return engine;
  }

  /** Whether a client certificate is configured. */
  public boolean mutual() {
    return clientCertificate != null || keyStore != null;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof TlsSettings)) {
      return false;
    }
    TlsSettings t = (TlsSettings) o;
    return hostnameVerification == t.hostnameVerification
        && Objects.equals(trustCertificates, t.trustCertificates)
        && Objects.equals(trustStore, t.trustStore)
        && Objects.equals(trustStorePassword, t.trustStorePassword)
        && Objects.equals(clientCertificate, t.clientCertificate)
        && Objects.equals(clientKey, t.clientKey)
        && Objects.equals(clientKeyPassword, t.clientKeyPassword)
        && Objects.equals(keyStore, t.keyStore)
        && Objects.equals(keyStorePassword, t.keyStorePassword)
        && minimumProtocol == t.minimumProtocol
        && cipherSuites.equals(t.cipherSuites)
        && engine == t.engine;
  }

  @Override
  public int hashCode() {
    return Objects.hash(trustCertificates, trustStore, clientCertificate, clientKey, keyStore, hostnameVerification,
        minimumProtocol, cipherSuites, engine);
  }

  @Override
  public String toString() {
    return "TlsSettings{trust=" + (trustCertificates != null ? trustCertificates
        : trustStore != null ? trustStore : "jdk-default")
        + ", clientCertificate=" + (clientCertificate != null ? clientCertificate : keyStore)
        + ", hostnameVerification=" + hostnameVerification + ", minimumProtocol=" + minimumProtocol.jdkName()
        + ", cipherSuites=" + cipherSuites + ", engine=" + engine + "}";
  }

  /** Builds {@link TlsSettings}; every setter validates its argument. */
  public static final class Builder {
    private Path trustCertificates;
    private Path trustStore;
    private Secret trustStorePassword;
    private Path clientCertificate;
    private Path clientKey;
    private Secret clientKeyPassword;
    private Path keyStore;
    private Secret keyStorePassword;
    private boolean hostnameVerification = true;
    private Protocol minimumProtocol = Protocol.TLS_1_2;
    private List<String> cipherSuites = List.of();
    private Engine engine = Engine.AUTO;

    private Builder() {}

    /** Trust the CA certificates in a PEM file (instead of the JDK default). */
    public Builder trustCertificates(Path pemFile) {
      this.trustCertificates = Objects.requireNonNull(pemFile, "pemFile");
      return this;
    }

    /** Trust the certificates of a PKCS#12 trust store (instead of the JDK default). */
    public Builder trustStore(Path pkcs12File, Secret password) {
      this.trustStore = Objects.requireNonNull(pkcs12File, "pkcs12File");
      this.trustStorePassword = password;
      return this;
    }

    /** Present this PEM certificate chain and PKCS#8 key (mutual TLS). */
    public Builder clientCertificate(Path certificateChainPem, Path privateKeyPem) {
      this.clientCertificate = Objects.requireNonNull(certificateChainPem, "certificateChainPem");
      this.clientKey = Objects.requireNonNull(privateKeyPem, "privateKeyPem");
      return this;
    }

    /** The password of an encrypted PEM private key. */
    public Builder clientKeyPassword(Secret password) {
      this.clientKeyPassword = password;
      return this;
    }

    /** Present the certificate and key of a PKCS#12 key store (mutual TLS). */
    public Builder keyStore(Path pkcs12File, Secret password) {
      this.keyStore = Objects.requireNonNull(pkcs12File, "pkcs12File");
      this.keyStorePassword = password;
      return this;
    }

    /** Turning this off accepts any certificate the trust anchors signed, for any server: avoid. */
    public Builder hostnameVerification(boolean enabled) {
      this.hostnameVerification = enabled;
      return this;
    }

    public Builder minimumProtocol(Protocol protocol) {
      this.minimumProtocol = Objects.requireNonNull(protocol, "protocol");
      return this;
    }

    public Builder cipherSuites(List<String> suites) {
      Objects.requireNonNull(suites, "suites");
      for (String suite : suites) {
        if (suite == null || suite.isBlank()) {
          throw new IllegalArgumentException("cipher suite names must not be blank");
        }
      }
      this.cipherSuites = List.copyOf(suites);
      return this;
    }

    public Builder engine(Engine engine) {
      this.engine = Objects.requireNonNull(engine, "engine");
      return this;
    }

    /** @throws IllegalArgumentException if both a PEM CA file and a trust store, or both client identities, are set */
    public TlsSettings build() {
      if (trustCertificates != null && trustStore != null) {
        throw new IllegalArgumentException("set either trustCertificates (PEM) or trustStore (PKCS#12), not both");
      }
      if (clientCertificate != null && keyStore != null) {
        throw new IllegalArgumentException("set either clientCertificate (PEM) or keyStore (PKCS#12), not both");
      }
      return new TlsSettings(this);
    }
  }
}
