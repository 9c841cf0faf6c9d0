package io.memjcache.benchmarks.clients;

import io.memjcache.benchmarks.BenchClient;
import io.memjcache.benchmarks.KeySpace;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.spy.memcached.AddrUtil;
import net.spy.memcached.BinaryConnectionFactory;
import net.spy.memcached.DefaultConnectionFactory;
import net.spy.memcached.MemcachedClient;
import net.spy.memcached.internal.OperationFuture;

/**
 * spymemcached 2.12.3 with its default connection factory (text protocol) or, as
 * "spymemcached-binary", its {@link BinaryConnectionFactory}; default transcoder, timeouts and queues.
 */
public final class SpyClient implements BenchClient {
  static {
    // spymemcached logs every connection at INFO to stderr by default; route it to java.util.logging.
    System.setProperty("net.spy.log.LoggerImpl", "net.spy.memcached.compat.log.SunLogger");
  }

  private static final java.util.logging.Logger SPY_LOG = java.util.logging.Logger.getLogger("net.spy.memcached");

  private final MemcachedClient client;
  private final boolean binary;
  private final String[] keys;
  private final List<String>[] batches;

  @SuppressWarnings("unchecked")
  public SpyClient(String servers, int valueSize, boolean binary) throws Exception {
    this.binary = binary;
    SPY_LOG.setLevel(java.util.logging.Level.WARNING);
    List<InetSocketAddress> addresses = AddrUtil.getAddresses(servers);
    client = new MemcachedClient(binary ? new BinaryConnectionFactory() : new DefaultConnectionFactory(), addresses);
    keys = KeySpace.keys((binary ? "spyb:" : "spy:") + valueSize + ":");
    batches = new List[KeySpace.BATCHES];
    for (int b = 0; b < KeySpace.BATCHES; b++) {
      batches[b] = KeySpace.batch(keys, b);
    }
  }

  @Override
  public String name() {
    return binary ? "spymemcached-binary" : "spymemcached";
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

  @Override
  public void populate(byte[][] values) throws Exception {
    List<OperationFuture<Boolean>> pending = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      pending.add(client.set(keys[i], 0, values[i]));
      if (pending.size() == 1000 || i == values.length - 1) {
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
