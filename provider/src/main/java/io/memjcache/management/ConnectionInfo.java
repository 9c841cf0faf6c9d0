package io.memjcache.management;

import java.util.Date;
import javax.management.ConstructorParameters;

/**
 * One memcached server as one of the manager's clients sees it: its health, the connection open to
 * it now (TLS session, SASL login) and what has happened to it. A manager has one client per
 * distinct TLS/SASL configuration of its caches, so a server can appear once per configuration
 * ({@link #getSecurity}). JMX consoles show it as composite data; no field holds a secret.
 */
public final class ConnectionInfo {
  private final String node;
  private final String security;
  private final String state;
  private final boolean connected;
  private final Date connectedSince;
  private final String serverVersion;
  private final String tlsProtocol;
  private final String tlsCipherSuite;
  private final String peerCertificateSubject;
  private final Date peerCertificateNotAfter;
  private final String clientCertificateSubject;
  private final String saslMechanism;
  private final String saslUser;
  private final int inFlight;
  private final int consecutiveFailures;
  private final String lastError;
  private final long timeouts;
  private final long reconnects;
  private final long connectFailures;
  private final long authenticationFailures;
  private final long connectionsLost;

  /** All values as the getters return them; null stands for "not applicable" or "not known yet". */
  @ConstructorParameters({"node", "security", "state", "connected", "connectedSince", "serverVersion", "tlsProtocol",
      "tlsCipherSuite", "peerCertificateSubject", "peerCertificateNotAfter", "clientCertificateSubject",
      "saslMechanism", "saslUser", "inFlight", "consecutiveFailures", "lastError", "timeouts", "reconnects",
      "connectFailures", "authenticationFailures", "connectionsLost"})
  public ConnectionInfo(String node, String security, String state, boolean connected, Date connectedSince,
      String serverVersion, String tlsProtocol, String tlsCipherSuite, String peerCertificateSubject,
      Date peerCertificateNotAfter, String clientCertificateSubject, String saslMechanism, String saslUser,
      int inFlight, int consecutiveFailures, String lastError, long timeouts, long reconnects, long connectFailures,
      long authenticationFailures, long connectionsLost) {
    this.node = node;
    this.security = security;
    this.state = state;
    this.connected = connected;
    this.connectedSince = copy(connectedSince);
    this.serverVersion = serverVersion;
    this.tlsProtocol = tlsProtocol;
    this.tlsCipherSuite = tlsCipherSuite;
    this.peerCertificateSubject = peerCertificateSubject;
    this.peerCertificateNotAfter = copy(peerCertificateNotAfter);
    this.clientCertificateSubject = clientCertificateSubject;
    this.saslMechanism = saslMechanism;
    this.saslUser = saslUser;
    this.inFlight = inFlight;
    this.consecutiveFailures = consecutiveFailures;
    this.lastError = lastError;
    this.timeouts = timeouts;
    this.reconnects = reconnects;
    this.connectFailures = connectFailures;
    this.authenticationFailures = authenticationFailures;
    this.connectionsLost = connectionsLost;
  }

  private static Date copy(Date date) {
    return date == null ? null : new Date(date.getTime());
  }

  /** The server, {@code host:port} as configured. */
  public String getNode() {
    return node;
  }

  /** The security every connection of this client is configured with: {@code plain}, {@code tls}, {@code sasl} or {@code tls+sasl}. */
  public String getSecurity() {
    return security;
  }

  /** {@code UP}, or {@code DOWN} after consecutive failures (then probed in the background until it answers). */
  public String getState() {
    return state;
  }

  /** Whether a connection to the server is open now (connections open on first use). */
  public boolean isConnected() {
    return connected;
  }

  /** When the open connection became ready (after TLS and SASL); null if none is open. */
  public Date getConnectedSince() {
    return copy(connectedSince);
  }

  /** The server's answer to VERSION on the open connection, e.g. {@code 1.6.18}; null if none is open. */
  public String getServerVersion() {
    return serverVersion;
  }

  /** The TLS protocol of the open connection, e.g. {@code TLSv1.3}; null without TLS or connection. */
  public String getTlsProtocol() {
    return tlsProtocol;
  }

  /** The TLS cipher suite of the open connection, e.g. {@code TLS_AES_256_GCM_SHA384}; null without TLS or connection. */
  public String getTlsCipherSuite() {
    return tlsCipherSuite;
  }

  /** The subject (RFC 2253) of the certificate the server presented; null without TLS or connection. */
  public String getPeerCertificateSubject() {
    return peerCertificateSubject;
  }

  /** When the server's certificate expires (its notAfter); null without TLS or connection. Alert well before it. */
  public Date getPeerCertificateNotAfter() {
    return copy(peerCertificateNotAfter);
  }

  /** The subject of the client certificate this connection presented (mutual TLS); null if none. */
  public String getClientCertificateSubject() {
    return clientCertificateSubject;
  }

  /** The SASL mechanism the open connection authenticated with, e.g. {@code SCRAM-SHA-256}; null without SASL or connection. */
  public String getSaslMechanism() {
    return saslMechanism;
  }

  /** The SASL user name the open connection authenticated as; null without SASL or connection. */
  public String getSaslUser() {
    return saslUser;
  }

  /** Commands sent on the open connection and not answered yet. */
  public int getInFlight() {
    return inFlight;
  }

  /** Failures since the server last answered; at the failure threshold the node goes down. */
  public int getConsecutiveFailures() {
    return consecutiveFailures;
  }

  /** The text of the last failure (connect, timeout or lost connection); null if there was none. */
  public String getLastError() {
    return lastError;
  }

  /** Requests to this server that got no answer within the operation timeout, since the client started. */
  public long getTimeouts() {
    return timeouts;
  }

  /** Connections re-established after an earlier one was lost or closed (the first connection is not counted). */
  public long getReconnects() {
    return reconnects;
  }

  /** Attempts to open a connection (TCP connect, TLS handshake or SASL) that failed. */
  public long getConnectFailures() {
    return connectFailures;
  }

  /** Of the connect failures: SASL authentications the server refused, or that found no acceptable mechanism. */
  public long getAuthenticationFailures() {
    return authenticationFailures;
  }

  /** Open connections that closed without the client closing them (server restart, network, no answer). */
  public long getConnectionsLost() {
    return connectionsLost;
  }

  @Override
  public String toString() {
    return node + " " + state + " " + security + (connected ? " connected" : " not connected")
        + (tlsProtocol == null ? "" : " " + tlsProtocol + " " + tlsCipherSuite)
        + (saslMechanism == null ? "" : " sasl=" + saslMechanism)
        + " timeouts=" + timeouts + " reconnects=" + reconnects + " connectFailures=" + connectFailures
        + " authenticationFailures=" + authenticationFailures + " connectionsLost=" + connectionsLost;
  }
}
