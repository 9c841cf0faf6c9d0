package io.memjcache.benchmarks.clients;

import com.spotify.folsom.MemcacheClient;
import com.spotify.folsom.MemcacheClientBuilder;
import com.spotify.folsom.MemcacheStatus;
import io.memjcache.benchmarks.BenchClient;
import io.memjcache.benchmarks.KeySpace;
import io.memjcache.benchmarks.Security;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * Folsom 1.21.0, a byte-array client from {@link MemcacheClientBuilder} with default settings,
 * connected with the ASCII protocol ("folsom", as Folsom's README does) or the binary one
 * ("folsom-binary"). Its asynchronous API is the only API it has; synchronous calls wait on it.
 * The "-tls" variants add {@code withSSLEngineFactory}: a JDK {@link SSLEngine} from a context that
 * trusts the run's CA, with hostname verification turned on (Folsom's own
 * {@code DefaultSSLEngineFactory} leaves it off), as memjcache and the ElastiCache client have it.
 */
public final class FolsomClient implements BenchClient {
  private final MemcacheClient<byte[]> client;
  private final boolean binary;
  private final boolean tls;
  private final String[] keys;
  private final List<String>[] batches;

  public FolsomClient(String servers, int valueSize, boolean binary) throws Exception {
    this(servers, valueSize, binary, false);
  }

  @SuppressWarnings("unchecked")
  public FolsomClient(String servers, int valueSize, boolean binary, boolean tls) throws Exception {
    this.binary = binary;
    this.tls = tls;
    int colon = servers.lastIndexOf(':');
    MemcacheClientBuilder<byte[]> builder = MemcacheClientBuilder.newByteArrayClient()
        .withAddress(servers.substring(0, colon), Integer.parseInt(servers.substring(colon + 1)));
    if (tls) {
      SSLContext context = Security.peerSslContext();
      builder.withSSLEngineFactory((host, port) -> {
        SSLEngine engine = context.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(parameters);
        return engine;
      });
    }
    client = binary ? builder.connectBinary() : builder.connectAscii();
    client.awaitConnected(10, TimeUnit.SECONDS);
    keys = KeySpace.keys((binary ? "folb:" : "fol:") + valueSize + ":");
    batches = new List[KeySpace.BATCHES];
    for (int b = 0; b < KeySpace.BATCHES; b++) {
      batches[b] = KeySpace.batch(keys, b);
    }
  }

  @Override
  public String name() {
    return (binary ? "folsom-binary" : "folsom") + (tls ? "-tls" : "");
  }

  @Override
  public byte[] get(int index) throws Exception {
    return client.get(keys[index]).toCompletableFuture().get();
  }

  @Override
  public void put(int index, byte[] value) throws Exception {
    MemcacheStatus status = client.set(keys[index], value, 0).toCompletableFuture().get();
    if (status != MemcacheStatus.OK) {
      throw new IllegalStateException(name() + ": set answered " + status);
    }
  }

  @Override
  public int getAllChecked(int batch, int valueSize) throws Exception {
    List<byte[]> got = client.get(batches[batch]).toCompletableFuture().get();
    if (got.size() != KeySpace.BATCH) {
      throw new IllegalStateException(name() + ": get(keys) returned " + got.size() + " of " + KeySpace.BATCH + " values");
    }
    int base = batch * KeySpace.BATCH;
    for (int i = 0; i < KeySpace.BATCH; i++) {
      KeySpace.check(got.get(i), base + i, valueSize, name());
    }
    return KeySpace.BATCH;
  }

  @Override
  public boolean hasAsync() {
    return true;
  }

  @Override
  public Future<?> getAsync(int index) {
    return client.get(keys[index]).toCompletableFuture();
  }

  @Override
  public void populate(byte[][] values) throws Exception {
    List<CompletableFuture<MemcacheStatus>> pending = new ArrayList<>();
    // Over TLS one set at a time: memcached before 1.6.39 can stall pipelined sets over TLS.
    int window = tls ? 1 : 500;
    for (int i = 0; i < values.length; i++) {
      pending.add(client.set(keys[i], values[i], 0).toCompletableFuture());
      if (pending.size() == window || i == values.length - 1) {
        for (CompletableFuture<MemcacheStatus> f : pending) {
          MemcacheStatus status = f.get(30, TimeUnit.SECONDS);
          if (status != MemcacheStatus.OK) {
            throw new IllegalStateException(name() + ": populate: set answered " + status);
          }
        }
        pending.clear();
      }
    }
  }


  @Override
  public void close() throws Exception {
    client.shutdown();
    client.awaitDisconnected(10, TimeUnit.SECONDS);
  }
}
