package io.memjcache.internal.client;

import io.memjcache.config.TlsSettings;
import io.memjcache.internal.tls.TlsSecurity;
import io.memjcache.internal.transport.ConnectionSettings;
import io.memjcache.internal.transport.ConnectionStage;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * Everything a {@link MemcachedClient} needs: the servers, transport settings, and the security
 * applied to every connection, including reconnects: TLS in the pipeline ({@code pipelineSecurity},
 * null for plaintext; see {@link #withTls}) and connection stages such as SASL; and how many
 * connections to open to each server ({@link #withConnectionsPerNode}, 1 unless set).
 */
public record ClientSettings(
    List<InetSocketAddress> servers,
    ConnectionSettings connection,
    TlsSecurity pipelineSecurity,
    List<ConnectionStage> connectionStages,
    int connectionsPerNode) {

  /** One connection per server. */
  public ClientSettings(List<InetSocketAddress> servers, ConnectionSettings connection, TlsSecurity pipelineSecurity,
      List<ConnectionStage> connectionStages) {
    this(servers, connection, pipelineSecurity, connectionStages, 1);
  }

  public ClientSettings {
    if (connectionsPerNode < 1) {
      throw new IllegalArgumentException("connectionsPerNode must be at least 1, was " + connectionsPerNode);
    }
    Objects.requireNonNull(servers, "servers");
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("at least one memcached server is required");
    }
    servers = List.copyOf(servers);
    Objects.requireNonNull(connection, "connection");
    connectionStages = List.copyOf(connectionStages == null ? List.of() : connectionStages);
  }

  /** Plain connections to {@code servers} with default transport settings. */
  public static ClientSettings of(List<InetSocketAddress> servers) {
    return new ClientSettings(servers, ConnectionSettings.DEFAULTS, null, List.of());
  }

  public ClientSettings withConnection(ConnectionSettings settings) {
    return new ClientSettings(servers, settings, pipelineSecurity, connectionStages, connectionsPerNode);
  }

  /**
   * {@code count} connections to each server: a key always travels on the same one, and a
   * multi-key request is split over them (see {@code Node}).
   */
  public ClientSettings withConnectionsPerNode(int count) {
    return new ClientSettings(servers, connection, pipelineSecurity, connectionStages, count);
  }

  /**
   * TLS on every connection (null: plaintext). Reads the certificate files now, so a bad TLS
   * configuration fails here with an IllegalArgumentException or IllegalStateException.
   */
  public ClientSettings withTls(TlsSettings tls) {
    return withTlsSecurity(tls == null ? null : TlsSecurity.of(tls));
  }

  /** TLS on every connection, sharing an already built {@link TlsSecurity} (null: plaintext). */
  public ClientSettings withTlsSecurity(TlsSecurity tls) {
    return new ClientSettings(servers, connection, tls, connectionStages, connectionsPerNode);
  }

  /** Parses "host:port,host:port" (IPv6 as "[::1]:11211"; the port defaults to 11211). */
  public static List<InetSocketAddress> parseServers(String list) {
    Objects.requireNonNull(list, "server list");
    java.util.ArrayList<InetSocketAddress> result = new java.util.ArrayList<>();
    for (String part : list.split("[,\\s]+")) {
      if (part.isEmpty()) {
        continue;
      }
      String host;
      int port = 11211;
      if (part.startsWith("[")) {
        int end = part.indexOf(']');
        if (end < 0) {
          throw new IllegalArgumentException("bad server address '" + part + "': missing ']'");
        }
        host = part.substring(1, end);
        if (end + 1 < part.length()) {
          if (part.charAt(end + 1) != ':') {
            throw new IllegalArgumentException("bad server address '" + part + "'");
          }
          port = parsePort(part, part.substring(end + 2));
        }
      } else {
        int colon = part.lastIndexOf(':');
        if (colon >= 0 && part.indexOf(':') != colon) {
          throw new IllegalArgumentException("bad server address '" + part + "': write IPv6 addresses as [addr]:port");
        }
        host = colon < 0 ? part : part.substring(0, colon);
        if (colon >= 0) {
          port = parsePort(part, part.substring(colon + 1));
        }
      }
      if (host.isEmpty()) {
        throw new IllegalArgumentException("bad server address '" + part + "': empty host");
      }
      result.add(InetSocketAddress.createUnresolved(host, port));
    }
    if (result.isEmpty()) {
      throw new IllegalArgumentException("the server list '" + list + "' names no server");
    }
    return result;
  }

  private static int parsePort(String part, String text) {
    try {
      int port = Integer.parseInt(text);
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("bad server address '" + part + "': port out of range");
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad server address '" + part + "': port is not a number");
    }
  }
}
