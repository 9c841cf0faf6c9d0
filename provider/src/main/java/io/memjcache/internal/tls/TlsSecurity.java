package io.memjcache.internal.tls;

import io.memjcache.config.TlsSettings;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.NetUtil;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * TLS for the connections of one client. Holds the {@link SslContext} built from
 * {@link TlsSettings}; every new connection first asks for {@link #context()}, which re-reads the
 * certificate, key and trust files and rebuilds the context when their content changed (rotation
 * without restart), then puts {@link #newHandler} first in its pipeline: an SslHandler for that
 * server's own name and port, with SNI for DNS names and hostname verification against that name.
 */
public final class TlsSecurity {
  private final TlsSettings settings;
  private final SslProvider provider;
  private final Object lock = new Object();
  private byte[] fingerprint;
  private SslContext context;

  private TlsSecurity(TlsSettings settings, SslProvider provider) {
    this.settings = settings;
    this.provider = provider;
  }

  /**
   * Reads the files and builds the first context now, so that a bad configuration fails here.
   *
   * @throws IllegalArgumentException for unreadable or invalid files, a wrong password, unsupported cipher suites
   * @throws IllegalStateException if the OPENSSL engine is configured and netty-tcnative is not available
   */
  public static TlsSecurity of(TlsSettings settings) {
    return of(settings, OpenSsl::isAvailable);
  }

  static TlsSecurity of(TlsSettings settings, BooleanSupplier openSslAvailable) {
    Objects.requireNonNull(settings, "settings");
    TlsSecurity tls = new TlsSecurity(settings, SslContexts.provider(settings.engine(), openSslAvailable.getAsBoolean()));
    tls.context();
    return tls;
  }

  public TlsSettings settings() {
    return settings;
  }

  /** "OPENSSL" or "JDK": the engine every connection of this client uses. */
  public String engine() {
    return provider == SslProvider.JDK ? "JDK" : "OPENSSL";
  }

  /**
   * The context for a connection about to be opened: the current one, or a new one when the
   * content of any trust or identity file changed since it was built (compared by SHA-256, so a
   * rewrite within the same second or with the same size is seen too). Reads the files (a few KB)
   * on the calling thread.
   *
   * @throws IllegalArgumentException when the changed files cannot be used, e.g. a certificate
   *     replaced before its key: this connection fails, the next one reads the files again
   */
  public SslContext context() {
    TlsMaterial.FileSnapshot files = TlsMaterial.read(settings);
    synchronized (lock) {
      if (context != null && files.sameAs(fingerprint)) {
        return context;
      }
    }
    SslContext fresh = SslContexts.build(settings, TlsMaterial.load(settings, files), provider);
    synchronized (lock) {
      fingerprint = files.fingerprint();
      context = fresh;
      return fresh;
    }
  }

  /** A peer port of -1: the JDK engine then neither stores nor looks up sessions. */
  private static final int NO_SESSION_CACHE_PORT = -1;

  /**
   * The handler for one connection to {@code host:port}, to be put first in its pipeline. The
   * engine checks the server's certificate against {@code host} (its IP addresses for an IP
   * literal) unless hostname verification is off, and sends {@code host} as SNI if it is a DNS name.
   *
   * <p>Every connection makes a full handshake: the JDK engine is given no peer port, so it neither
   * caches the session nor offers one to resume (the OpenSSL context has its client session cache
   * off, see {@link SslContexts}). memcached verifying client certificates (mutual TLS) has no
   * session id context and answers a resumption with an internal_error alert, which failed every
   * second connection (a reconnect, or another connection per node) to such a server.
   */
  public SslHandler newHandler(SslContext context, ByteBufAllocator alloc, String host, int port) {
    SslHandler handler = context.newHandler(alloc, host, NO_SESSION_CACHE_PORT);
    SSLEngine engine = handler.engine();
    SSLParameters parameters = engine.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm(settings.hostnameVerification() ? "HTTPS" : null);
    parameters.setServerNames(serverNames(host));
    engine.setSSLParameters(parameters);
    handler.setWrapDataSize(PipelinedStorageGuard.MAX_RECORD_PLAINTEXT);
    return handler;
  }

  /**
   * How the command writer must cut its flushes for a server of this version (null: not known
   * yet): the limit of {@link PipelinedStorageGuard}, or 0 for no limit.
   */
  public int recordLimit(String serverVersion) {
    return PipelinedStorageGuard.recordLimit(serverVersion);
  }

  /** SNI for DNS names only: never for IP literals (RFC 6066 forbids it). */
  static List<SNIServerName> serverNames(String host) {
    if (host == null || host.isEmpty() || NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host)) {
      return List.of();
    }
    try {
      return List.of(new SNIHostName(host));
    } catch (IllegalArgumentException notAHostName) {
      return List.of();
    }
  }

  @Override
  public String toString() {
    return "TlsSecurity{" + engine() + ", " + settings + "}";
  }
}
