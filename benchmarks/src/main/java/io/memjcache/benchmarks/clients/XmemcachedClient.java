package io.memjcache.benchmarks.clients;

import io.memjcache.benchmarks.BenchClient;
import io.memjcache.benchmarks.KeySpace;
import java.util.List;
import java.util.Map;
import net.rubyeye.xmemcached.MemcachedClient;
import net.rubyeye.xmemcached.XMemcachedClientBuilder;
import net.rubyeye.xmemcached.command.BinaryCommandFactory;
import net.rubyeye.xmemcached.utils.AddrUtil;

/**
 * XMemcached 2.4.8 from {@link XMemcachedClientBuilder} with its defaults (text protocol, one
 * connection, get merging on) or, as "xmemcached-binary", its {@link BinaryCommandFactory}. It has
 * no future-based get, so it takes part in the asynchronous scenario only through 128 threads.
 */
public final class XmemcachedClient implements BenchClient {
  private final MemcachedClient client;
  private final boolean binary;
  private final String[] keys;
  private final List<String>[] batches;

  @SuppressWarnings("unchecked")
  public XmemcachedClient(String servers, int valueSize, boolean binary) throws Exception {
    this.binary = binary;
    XMemcachedClientBuilder builder = new XMemcachedClientBuilder(AddrUtil.getAddresses(servers));
    if (binary) {
      builder.setCommandFactory(new BinaryCommandFactory());
    }
    client = builder.build();
    keys = KeySpace.keys((binary ? "xmb:" : "xm:") + valueSize + ":");
    batches = new List[KeySpace.BATCHES];
    for (int b = 0; b < KeySpace.BATCHES; b++) {
      batches[b] = KeySpace.batch(keys, b);
    }
  }

  @Override
  public String name() {
    return binary ? "xmemcached-binary" : "xmemcached";
  }

  @Override
  public byte[] get(int index) throws Exception {
    return client.get(keys[index]);
  }

  @Override
  public void put(int index, byte[] value) throws Exception {
    if (!client.set(keys[index], 0, value)) {
      throw new IllegalStateException(name() + ": set not stored");
    }
  }

  @Override
  public int getAllChecked(int batch, int valueSize) throws Exception {
    Map<String, byte[]> got = client.get(batches[batch]);
    if (got == null || got.size() != KeySpace.BATCH) {
      throw new IllegalStateException(name() + ": get(keys) returned " + (got == null ? 0 : got.size())
          + " of " + KeySpace.BATCH + " keys");
    }
    int base = batch * KeySpace.BATCH;
    for (int i = 0; i < KeySpace.BATCH; i++) {
      KeySpace.check(got.get(keys[base + i]), base + i, valueSize, name());
    }
    return KeySpace.BATCH;
  }

  @Override
  public void populate(byte[][] values) throws Exception {
    for (int i = 0; i < values.length; i++) {
      put(i, values[i]);
    }
  }


  @Override
  public void close() throws Exception {
    client.shutdown();
  }
}
