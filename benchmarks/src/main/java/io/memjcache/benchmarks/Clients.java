package io.memjcache.benchmarks;

import io.memjcache.benchmarks.clients.FolsomClient;
import io.memjcache.benchmarks.clients.JCacheClient;
import io.memjcache.benchmarks.clients.MemjcacheInternalClient;
import io.memjcache.benchmarks.clients.SpyClient;
import io.memjcache.benchmarks.clients.XmemcachedClient;
import java.util.List;

/**
 * The clients by the names used in {@code -p client=...} and in the results. New variants (memjcache
 * over TLS, with value encryption; peers over TLS) are added here and in {@link Main}'s scenarios.
 */
public final class Clients {
  /** The system property naming the memcached server ("host:port") the forked benchmark JVMs use. */
  public static final String SERVERS_PROPERTY = "memjcache.bench.servers";

  /** Every name {@link #open} knows. */
  public static final List<String> ALL = List.of(
      "memjcache", "memjcache-client",
      "spymemcached", "spymemcached-binary",
      "xmemcached", "xmemcached-binary",
      "folsom", "folsom-binary");

  /** Every setting of each client that is not the library's default, next to the API used. */
  public static final java.util.Map<String, String> SETTINGS = java.util.Map.of(
      "memjcache", "JCache API: Caching.getCachingProvider(\"io.memjcache.spi.MemcachedCachingProvider\")"
          + ".getCacheManager(URI memcached://host:port, no properties), MutableConfiguration<String, byte[]>"
          + " with default settings (eternal, no listeners/loader/writer, statistics and management off)",
      "memjcache-client", "memjcache's internal async client (not a public API), ClientSettings.of(servers)"
          + " defaults, binary protocol; keys encoded to UTF-8 per call",
      "spymemcached", "new MemcachedClient(new DefaultConnectionFactory(), addrs): defaults, text protocol",
      "spymemcached-binary", "new MemcachedClient(new BinaryConnectionFactory(), addrs): binary protocol, else defaults",
      "xmemcached", "new XMemcachedClientBuilder(addrs).build(): defaults, text protocol, 1 connection, get merging on",
      "xmemcached-binary", "XMemcachedClientBuilder with setCommandFactory(new BinaryCommandFactory()), else defaults",
      "folsom", "MemcacheClientBuilder.newByteArrayClient().withAddress(..).connectAscii(): defaults, text protocol",
      "folsom-binary", "MemcacheClientBuilder.newByteArrayClient().withAddress(..).connectBinary(): defaults, binary protocol");

  private Clients() {}

  public static String servers() {
    String servers = System.getProperty(SERVERS_PROPERTY);
    if (servers == null || servers.isBlank()) {
      throw new IllegalStateException("-D" + SERVERS_PROPERTY + "=host:port is not set: run the benchmarks through "
          + Main.class.getName() + " (java -jar benchmarks.jar), which starts memcached");
    }
    return servers.trim();
  }

  /**
   * Opens client {@code name} on the key space for {@code valueSize}-byte values, writes every key
   * and reads them all back (checked) before returning.
   */
  public static BenchClient openPopulated(String name, int valueSize) throws Exception {
    BenchClient client = open(name, servers(), valueSize);
    try {
      if (!allPresent(client, valueSize)) { // an earlier fork of the same run may have written them
        client.populate(KeySpace.values(valueSize));
        for (int b = 0; b < KeySpace.BATCHES; b++) {
          client.getAllChecked(b, valueSize);
        }
      }
      return client;
    } catch (Exception | Error e) {
      client.close();
      throw e;
    }
  }

  private static boolean allPresent(BenchClient client, int valueSize) {
    try {
      for (int b = 0; b < KeySpace.BATCHES; b++) {
        client.getAllChecked(b, valueSize);
      }
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  public static BenchClient open(String name, String servers, int valueSize) throws Exception {
    switch (name) {
      case "memjcache": return new JCacheClient(servers, valueSize);
      case "memjcache-client": return new MemjcacheInternalClient(servers, valueSize);
      case "spymemcached": return new SpyClient(servers, valueSize, false);
      case "spymemcached-binary": return new SpyClient(servers, valueSize, true);
      case "xmemcached": return new XmemcachedClient(servers, valueSize, false);
      case "xmemcached-binary": return new XmemcachedClient(servers, valueSize, true);
      case "folsom": return new FolsomClient(servers, valueSize, false);
      case "folsom-binary": return new FolsomClient(servers, valueSize, true);
      default: throw new IllegalArgumentException("unknown client '" + name + "', known: " + ALL);
    }
  }
}
