package io.memjcache.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * TLS ({@code -Z}) on the server's main listener with a certificate from {@link TestCertificates};
 * optionally mutual TLS ({@code ssl_ca_cert}, {@code ssl_verify_mode=2}: a client certificate from
 * that CA is required) and a second, plaintext listener ({@code notls:}).
 */
public final class TlsFeature implements ServerFeature {

  private final TestCertificates.Identity serverIdentity;
  private final Path clientCa;
  private final boolean plaintextListener;
  private volatile int plaintextIndex = -1;

  private TlsFeature(Builder b) {
    this.serverIdentity = b.serverIdentity;
    this.clientCa = b.clientCa;
    this.plaintextListener = b.plaintextListener;
  }

  /** TLS with this server certificate. */
  public static TlsFeature of(TestCertificates.Identity serverIdentity) {
    return builder(serverIdentity).build();
  }

  public static Builder builder(TestCertificates.Identity serverIdentity) {
    return new Builder(serverIdentity);
  }

  /** Whether clients must present a certificate. */
  public boolean mutual() {
    return clientCa != null;
  }

  /** The index of the plaintext listener for {@link MemcachedServer#port(int)}. */
  public int plaintextListener() {
    if (plaintextIndex < 0) {
      throw new IllegalStateException("this TlsFeature has no plaintext listener (Builder.plaintextListener)");
    }
    return plaintextIndex;
  }

  @Override
  public void configure(LaunchSpec spec) throws IOException {
    // memcached reads certificate and key as root, before it switches to the -u user.
    Path cert = spec.writeFile("tls/server.crt", Files.readString(serverIdentity.certificate()));
    Path key = spec.writeFile("tls/server.key", Files.readString(serverIdentity.key()));
    spec.grantServerRead(key);
    StringBuilder options = new StringBuilder("ssl_chain_cert=").append(cert).append(",ssl_key=").append(key);
    if (clientCa != null) {
      Path ca = spec.writeFile("tls/client-ca.crt", Files.readString(clientCa));
      options.append(",ssl_ca_cert=").append(ca).append(",ssl_verify_mode=2");
    }
    spec.addArgs("-Z", "-o", options.toString());
    if (plaintextListener) {
      plaintextIndex = spec.addListener("notls:");
    }
  }

  /** Checks that the main listener speaks TLS: a handshake and a VERSION (or, for mutual TLS, the refusal). */
  @Override
  public void verify(MemcachedServer server) throws IOException {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new AcceptingTrustManager()}, new SecureRandom());
      try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(server.host(), server.port())) {
        socket.setSoTimeout(5000);
        socket.startHandshake();
        OutputStream out = socket.getOutputStream();
        ByteBuffer version = ByteBuffer.allocate(24).put(0, (byte) 0x80).put(1, (byte) 0x0b);
        out.write(version.array());
        out.flush();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] header = new byte[24];
        in.readFully(header);
        if ((header[0] & 0xff) != 0x81) {
          throw new IOException("memcached answered VERSION over TLS with magic " + (header[0] & 0xff));
        }
      } catch (SSLException | java.io.EOFException | java.net.SocketException e) {
        if (!mutual() || e instanceof java.net.ConnectException) {
          throw e;
        }
        // mutual TLS refuses a client without a certificate (an alert, or in TLS 1.3 a closed
        // connection on the first write or read after the handshake): that too shows TLS works.
      }
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException(e);
    } catch (IOException e) {
      throw new IOException("memcached does not serve TLS on " + server.hostAndPort() + ": " + e
          + " (see " + server.logFile() + ")", e);
    }
  }

  @Override
  public String toString() {
    return "TLS[" + serverIdentity.name() + (mutual() ? ", mutual" : "") + (plaintextListener ? ", +notls" : "") + "]";
  }

  /** Builds a {@link TlsFeature}. */
  public static final class Builder {
    private final TestCertificates.Identity serverIdentity;
    private Path clientCa;
    private boolean plaintextListener;

    private Builder(TestCertificates.Identity serverIdentity) {
      this.serverIdentity = Objects.requireNonNull(serverIdentity, "serverIdentity");
    }

    /** Mutual TLS: require a client certificate signed by this CA. */
    public Builder requireClientCertificate(Path caCertificate) {
      this.clientCa = Objects.requireNonNull(caCertificate, "caCertificate");
      return this;
    }

    /** Also listen without TLS ({@code notls:}) on another port. */
    public Builder plaintextListener(boolean enabled) {
      this.plaintextListener = enabled;
      return this;
    }

    public TlsFeature build() {
      return new TlsFeature(this);
    }
  }

  /** Trusts anything: {@link #verify} checks that TLS is served, not whom it is served by. */
  private static final class AcceptingTrustManager implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
