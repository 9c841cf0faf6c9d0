package io.memjcache.benchmarks.clients;

import io.memjcache.benchmarks.BenchClient;
import io.memjcache.benchmarks.KeySpace;
import io.memjcache.benchmarks.Security;
import io.memjcache.config.TlsSettings;
import io.memjcache.internal.client.ClientSettings;
import io.memjcache.internal.client.Item;
import io.memjcache.internal.client.MemcachedClient;
import io.memjcache.internal.client.StoreResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * memjcache's internal asynchronous client ({@code io.memjcache.internal.client.MemcachedClient}),
 * which is not a public API: reported as "memjcache-client (internal)", to show what the JCache
 * layer costs and what an asynchronous memjcache API could reach. Keys are encoded per call, as a
 * user of a String-keyed API would. "memjcache-client-tls" is the same client with the
 * {@link TlsSettings} that the JCache variant uses (the run's CA, hostname verification on).
 */
public final class MemjcacheInternalClient implements BenchClient {
  private final MemcachedClient client;
  private final String[] keys;
  private final boolean tls;

  public MemjcacheInternalClient(String servers, int valueSize) {
    this(servers, valueSize, false);
  }

  public MemjcacheInternalClient(String servers, int valueSize, boolean tls) {
    this.tls = tls;
    ClientSettings settings = ClientSettings.of(ClientSettings.parseServers(servers));
    if (tls) {
      settings = settings.withTls(TlsSettings.builder().trustCertificates(Security.tlsCa()).build());
    }
    client = new MemcachedClient(settings);
    keys = KeySpace.keys("mc:" + valueSize + ":");
  }

  private byte[] key(int index) {
    return keys[index].getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String name() {
    return tls ? "memjcache-client-tls" : "memjcache-client";
  }

  @Override
  public byte[] get(int index) {
    Item item = MemcachedClient.await(client.get(key(index)));
    return item == null ? null : item.value();
  }

  @Override
  public void put(int index, byte[] value) {
    StoreResult r = MemcachedClient.await(client.set(key(index), value, 0, 0));
    if (!r.stored()) {
      throw new IllegalStateException(name() + ": set not stored: " + r);
    }
  }

  @Override
  public int getAllChecked(int batch, int valueSize) {
    byte[][] k = new byte[KeySpace.BATCH][];
    int base = batch * KeySpace.BATCH;
    for (int i = 0; i < k.length; i++) {
      k[i] = key(base + i);
    }
    Item[] items = MemcachedClient.await(client.getAll(k));
    for (int i = 0; i < items.length; i++) {
      KeySpace.check(items[i] == null ? null : items[i].value(), base + i, valueSize, name());
    }
    return items.length;
  }

  @Override
  public boolean hasAsync() {
    return true;
  }

  @Override
  public Future<?> getAsync(int index) {
    return client.get(key(index));
  }

  @Override
  public byte[] valueOf(Object result) {
    return result == null ? null : ((Item) result).value();
  }

  @Override
  public void populate(byte[][] values) {
    List<CompletableFuture<StoreResult>> pending = new ArrayList<>();
    // Over TLS one set at a time, as the peers do: 1,000 pipelined 4 KiB sets over TLS to
    // memcached 1.6.18 timed out here once (its pipelined-set stall, see MEMCACHED.md, or load).
    int window = tls ? 1 : 1000;
    for (int i = 0; i < values.length; i++) {
      pending.add(client.set(key(i), values[i], 0, 0));
      if (pending.size() == window || i == values.length - 1) {
        for (CompletableFuture<StoreResult> f : pending) {
          if (!MemcachedClient.await(f).stored()) {
            throw new IllegalStateException(name() + ": populate: set not stored");
          }
        }
        pending.clear();
      }
    }
  }


  @Override
  public void close() {
    client.close();
  }
}
