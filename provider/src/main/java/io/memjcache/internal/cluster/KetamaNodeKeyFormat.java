package io.memjcache.internal.cluster;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * How a server's address becomes the node key that ketama hashes ({@code "<nodeKey>-<i>"}) to place
 * the server's points on the continuum. Two clients send a key to the same server only if they build
 * node keys alike, so this is the compatibility setting of {@link KetamaContinuum} that users see.
 *
 * <p>memjcache uses {@link #LIBMEMCACHED} by default, applied to the host and port exactly as
 * configured ({@link #nodeKey(String, int)}): for the typical list of servers on port 11211 that is
 * the key of most ketama clients. libmemcached and everything built on it (php-memcached with its
 * libketama-compatible option, pylibmc, the Perl and Ruby bindings, the libmemcached tools) drop the
 * default port, and so does twemproxy, on purpose, to agree with libmemcached; spymemcached offers
 * the same keys as its {@code Format.LIBMEMCACHED}. Only spymemcached's default (and the long-retired
 * original libketama) hashes {@code "ip:port"} with the port always present, and for a host name
 * spymemcached even hashes the resolved {@code "name/ip:port"}, which changes with DNS. Use {@link
 * #SPYMEMCACHED} to share a pool with spymemcached left at its default.
 *
 * <p>The node key is only half of the compatibility: libmemcached's ketama-compatible mode and
 * twemproxy always size servers by weight, which {@link KetamaContinuum#weighted} reproduces (with a
 * weight of 1 each where none is configured), while spymemcached without weights uses {@link
 * KetamaContinuum#of}.
 */
public enum KetamaNodeKeyFormat {

  /**
   * {@code "host:port"}, port always present: spymemcached's default ({@code
   * KetamaNodeKeyFormatter.Format.SPYMEMCACHED}) for IP-literal addresses, and libketama's.
   */
  SPYMEMCACHED {
    @Override
    public String nodeKey(String host, int port) {
      return checkedHost(host) + ':' + checkedPort(port);
    }

    /**
     * The text spymemcached hashes for this address on this JDK: {@code address.toString()} less a
     * leading {@code '/'}, so {@code "10.0.0.1:11211"} for an IP literal and {@code "name/ip:port"} for
     * a resolved host name. An unresolved address gives {@code "host:port"}, as JDKs before 14 printed
     * it.
     */
    @Override
    public String nodeKey(InetSocketAddress address) {
      Objects.requireNonNull(address, "address");
      if (address.isUnresolved()) {
        return nodeKey(address.getHostString(), address.getPort());
      }
      String text = address.toString();
      return text.startsWith("/") ? text.substring(1) : text;
    }
  },

  /**
   * {@code "host"} when the port is memcached's default 11211, {@code "host:port"} otherwise: what
   * libmemcached and twemproxy hash (and spymemcached's {@code Format.LIBMEMCACHED}). The default.
   */
  LIBMEMCACHED {
    @Override
    public String nodeKey(String host, int port) {
      String h = checkedHost(host);
      return checkedPort(port) == DEFAULT_PORT ? h : h + ':' + port;
    }

    /** Uses the host text the address was made with (no reverse look-up), as libmemcached does. */
    @Override
    public String nodeKey(InetSocketAddress address) {
      Objects.requireNonNull(address, "address");
      return nodeKey(address.getHostString(), address.getPort());
    }
  };

  /** memcached's default port, which {@link #LIBMEMCACHED} leaves out of node keys. */
  public static final int DEFAULT_PORT = 11211;

  /** The format memjcache uses unless configured otherwise; see the class comment for why. */
  public static final KetamaNodeKeyFormat DEFAULT = LIBMEMCACHED;

  /**
   * The node key of a server given as configured text.
   *
   * @param host a host name or IP literal, used verbatim
   * @param port the TCP port, 1 to 65535
   */
  public abstract String nodeKey(String host, int port);

  /** The node key of a server given as a socket address. */
  public abstract String nodeKey(InetSocketAddress address);

  private static String checkedHost(String host) {
    Objects.requireNonNull(host, "host");
    if (host.isEmpty()) {
      throw new IllegalArgumentException("host must not be empty");
    }
    return host;
  }

  private static int checkedPort(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be in 1..65535, was " + port);
    }
    return port;
  }
}
