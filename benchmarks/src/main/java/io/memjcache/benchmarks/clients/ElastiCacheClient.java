package io.memjcache.benchmarks.clients;

import io.memjcache.benchmarks.BenchClient;
import io.memjcache.benchmarks.KeySpace;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import net.spy.memcached.AddrUtil;
import net.spy.memcached.ConnectionFactoryBuilder;
import net.spy.memcached.MemcachedClient;
import net.spy.memcached.internal.OperationFuture;

/**
 * The AWS ElastiCache Java cluster client 1.2.2 (a fork of spymemcached), text protocol, as
 * "elasticache" (plaintext) and "elasticache-tls". Its classes have spymemcached's names, so this
 * class is compiled against spymemcached 2.12.3's API (the calls used here are the same in both)
 * and is loaded by {@link ElastiCacheLoader} in a class loader where {@code net.spy.memcached}
 * comes from the ElastiCache jar only. Only its TLS setters, which spymemcached lacks, are called
 * reflectively, once, while the client is built. Do not create it directly: use
 * {@link ElastiCacheLoader#open}.
 */
public final class ElastiCacheClient implements BenchClient {
  static {
    System.setProperty("net.spy.log.LoggerImpl", "net.spy.memcached.compat.log.SunLogger");
    java.util.logging.Logger.getLogger("net.spy.memcached").setLevel(java.util.logging.Level.WARNING);
  }

  private final MemcachedClient client;
  private final boolean tls;
  private final String[] keys;
  private final List<String>[] batches;

  /**
   * {@code sslContext} null: plaintext; otherwise TLS with that context, hostname verification on
   * for {@code tlsHostname} (the client requires a name or an explicit opt-out).
   */
  @SuppressWarnings("unchecked")
  public ElastiCacheClient(String servers, int valueSize, SSLContext sslContext, String tlsHostname) throws Exception {
    if (ConnectionFactoryBuilder.class.getClassLoader() != getClass().getClassLoader()) {
      throw new IllegalStateException("ElastiCacheClient must be loaded through ElastiCacheLoader, not next to spymemcached");
    }
    this.tls = sslContext != null;
    ConnectionFactoryBuilder builder = new ConnectionFactoryBuilder();
    // ClientMode.Static: a fixed list of servers (Dynamic discovers them from an ElastiCache configuration endpoint).
    @SuppressWarnings({"rawtypes"})
    Class<? extends Enum> mode = (Class<? extends Enum>) Class.forName("net.spy.memcached.ClientMode", true,
        getClass().getClassLoader());
    call(builder, "setClientMode", mode, Enum.valueOf(mode, "Static"));
    if (tls) {
      call(builder, "setSSLContext", SSLContext.class, sslContext);
      call(builder, "setHostnameForTlsVerification", String.class, tlsHostname);
    }
    List<InetSocketAddress> addresses = AddrUtil.getAddresses(servers);
    client = new MemcachedClient(builder.build(), addresses);
    keys = KeySpace.keys("ec:" + valueSize + ":");
    batches = new List[KeySpace.BATCHES];
    for (int b = 0; b < KeySpace.BATCHES; b++) {
      batches[b] = KeySpace.batch(keys, b);
    }
  }

  private static void call(Object target, String method, Class<?> type, Object argument) throws Exception {
    Method m = target.getClass().getMethod(method, type);
    m.invoke(target, argument);
  }

  @Override
  public String name() {
    return tls ? "elasticache-tls" : "elasticache";
  }

  @Override
  public byte[] get(int index) {
    return (byte[]) client.get(keys[index]);
  }

  @Override
  public void put(int index, byte[] value) throws Exception {
    if (!client.set(keys[index], 0, value).get()) {
      throw new IllegalStateException(name() + ": set not stored");
    }
  }

  @Override
  public int getAllChecked(int batch, int valueSize) {
    Map<String, Object> got = client.getBulk(batches[batch]);
    if (got.size() != KeySpace.BATCH) {
      throw new IllegalStateException(name() + ": getBulk returned " + got.size() + " of " + KeySpace.BATCH + " keys");
    }
    int base = batch * KeySpace.BATCH;
    for (int i = 0; i < KeySpace.BATCH; i++) {
      KeySpace.check((byte[]) got.get(keys[base + i]), base + i, valueSize, name());
    }
    return KeySpace.BATCH;
  }

  @Override
  public boolean hasAsync() {
    return true;
  }

  @Override
  public Future<?> getAsync(int index) {
    return client.asyncGet(keys[index]);
  }

  /**
   * Sets one key at a time and waits for each: memcached before 1.6.39 can stall pipelined sets
   * over TLS (see /work/shared/MEMCACHED.md), and the key space is written once per run.
   */
  @Override
  public void populate(byte[][] values) throws Exception {
    List<OperationFuture<Boolean>> pending = new ArrayList<>();
    int window = tls ? 1 : 1000;
    for (int i = 0; i < values.length; i++) {
      pending.add(client.set(keys[i], 0, values[i]));
      if (pending.size() == window || i == values.length - 1) {
        for (OperationFuture<Boolean> f : pending) {
          if (!f.get(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name() + ": populate: set not stored");
          }
        }
        pending.clear();
      }
    }
  }

  @Override
  public void close() {
    client.shutdown(5, TimeUnit.SECONDS);
  }
}
