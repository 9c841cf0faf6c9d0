package io.memjcache.benchmarks;

import io.memjcache.benchmarks.clients.ElastiCacheLoader;
import io.memjcache.benchmarks.clients.FolsomClient;
import io.memjcache.benchmarks.clients.JCacheClient;
import io.memjcache.benchmarks.clients.MemjcacheInternalClient;
import io.memjcache.benchmarks.clients.SpyClient;
import io.memjcache.benchmarks.clients.XmemcachedClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The clients by the names used in {@code -p client=...} and in the results. A name ending in
 * "-tls" talks to the run's TLS server ({@link Security#tlsServers()}), every other one to the
 * plaintext server; "memjcache-encrypted" uses the run's key ring.
 */
public final class Clients {
  /** The system property naming the memcached server ("host:port") the forked benchmark JVMs use. */
  public static final String SERVERS_PROPERTY = "memjcache.bench.servers";

  /** Every name {@link #open} knows. */
  public static final List<String> ALL = List.of(
      "memjcache", "memjcache-tls", "memjcache-encrypted", "memjcache-client", "memjcache-client-tls",
      "spymemcached", "spymemcached-binary",
      "xmemcached", "xmemcached-binary",
      "folsom", "folsom-binary", "folsom-tls", "folsom-binary-tls",
      "elasticache", "elasticache-tls");

  private static final String PEER_TLS = "an SSLContext (TLS, the JDK's provider) trusting only the run's CA;"
      + " hostname verification on";

  /** Every setting of each client that is not the library's default, next to the API used. */
  public static final Map<String, String> SETTINGS = settings();

  private static Map<String, String> settings() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("memjcache", "JCache API: Caching.getCachingProvider(\"io.memjcache.spi.MemcachedCachingProvider\")"
        + ".getCacheManager(URI memcached://host:port, no properties), MutableConfiguration<String, byte[]>"
        + " with default settings (eternal, no listeners/loader/writer, statistics and management off);"
        + " asynchronous gets through cache.unwrap(AsyncCache.class).getAsync(key)");
    m.put("memjcache-tls", "as memjcache, on the TLS server, with MemcachedConfiguration<String, byte[]>"
        + ".setTls(TlsSettings.builder().trustCertificates(the run's CA PEM).build()): hostname verification on,"
        + " TLSv1.2 minimum, default cipher suites, engine auto (= the JDK's: netty-tcnative is not on the class path)");
    m.put("memjcache-encrypted", "as memjcache, on the plaintext server, cache bench-enc-SIZE (the paired encryption"
        + " benchmark holds it and memjcache's bench-SIZE in one JVM, on one manager) with"
        + " MemcachedConfiguration<String, byte[]>.setEncryption(EncryptionSettings.builder().keyRing("
        + "KeyRingSource.fromFile(a key ring of one random 256-bit key, made for the run)).build()): AES-256-GCM,"
        + " hashKeys on (memcached sees HMACs of the keys), refresh 30 s (all defaults)");
    m.put("memjcache-client", "memjcache's internal async client (not a public API), ClientSettings.of(servers)"
        + " defaults, binary protocol; keys encoded to UTF-8 per call");
    m.put("memjcache-client-tls", "as memjcache-client, on the TLS server, with .withTls(the TlsSettings of memjcache-tls)");
    m.put("spymemcached", "new MemcachedClient(new DefaultConnectionFactory(), addrs): defaults, text protocol");
    m.put("spymemcached-binary", "new MemcachedClient(new BinaryConnectionFactory(), addrs): binary protocol, else defaults");
    m.put("xmemcached", "new XMemcachedClientBuilder(addrs).build(): defaults, text protocol, 1 connection, get merging on");
    m.put("xmemcached-binary", "XMemcachedClientBuilder with setCommandFactory(new BinaryCommandFactory()), else defaults");
    m.put("folsom", "MemcacheClientBuilder.newByteArrayClient().withAddress(..).connectAscii(): defaults, text protocol");
    m.put("folsom-binary", "MemcacheClientBuilder.newByteArrayClient().withAddress(..).connectBinary(): defaults, binary protocol");
    m.put("folsom-tls", "as folsom, on the TLS server, with .withSSLEngineFactory(JDK SSLEngine from " + PEER_TLS
        + " (Folsom's DefaultSSLEngineFactory has it off))");
    m.put("folsom-binary-tls", "as folsom-binary, on the TLS server, with the SSLEngineFactory of folsom-tls");
    m.put("elasticache", "AWS elasticache-java-cluster-client 1.2.2 (a spymemcached fork, in its own class loader):"
        + " new MemcachedClient(new ConnectionFactoryBuilder().setClientMode(ClientMode.Static).build(), addrs):"
        + " text protocol, else defaults");
    m.put("elasticache-tls", "as elasticache, on the TLS server, with .setSSLContext(" + PEER_TLS
        + ").setHostnameForTlsVerification(\"127.0.0.1\") (the client requires a name or an explicit opt-out)");
    return java.util.Collections.unmodifiableMap(m);
  }

  /** Whether client {@code name} talks to the TLS server. */
  public static boolean usesTls(String name) {
    return name.endsWith("-tls");
  }

  /**
   * Whether client {@code name} has a future-based get (XMemcached has none; memjcache's JCache API
   * has no public asynchronous API): the asynchronous scenario skips the others.
   */
  public static boolean hasAsync(String name) {
    return !name.startsWith("xmemcached"); // memjcache's JCache caches through AsyncCache
  }

  /** Whether client {@code name} needs the encryption key ring. */
  public static boolean usesKeyRing(String name) {
    return name.equals("memjcache-encrypted");
  }

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
    BenchClient client = open(name, usesTls(name) ? Security.tlsServers() : servers(), valueSize);
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
      case "memjcache-tls": return new JCacheClient(servers, valueSize, JCacheClient.Variant.TLS);
      case "memjcache-encrypted": return new JCacheClient(servers, valueSize, JCacheClient.Variant.ENCRYPTED);
      case "memjcache-client": return new MemjcacheInternalClient(servers, valueSize);
      case "memjcache-client-tls": return new MemjcacheInternalClient(servers, valueSize, true);
      case "spymemcached": return new SpyClient(servers, valueSize, false);
      case "spymemcached-binary": return new SpyClient(servers, valueSize, true);
      case "xmemcached": return new XmemcachedClient(servers, valueSize, false);
      case "xmemcached-binary": return new XmemcachedClient(servers, valueSize, true);
      case "folsom": return new FolsomClient(servers, valueSize, false);
      case "folsom-binary": return new FolsomClient(servers, valueSize, true);
      case "folsom-tls": return new FolsomClient(servers, valueSize, false, true);
      case "folsom-binary-tls": return new FolsomClient(servers, valueSize, true, true);
      case "elasticache": return ElastiCacheLoader.open(servers, valueSize, null, null);
      case "elasticache-tls": return ElastiCacheLoader.open(servers, valueSize, Security.peerSslContext(),
          servers.substring(0, servers.lastIndexOf(':')));
      default: throw new IllegalArgumentException("unknown client '" + name + "', known: " + ALL);
    }
  }
}
