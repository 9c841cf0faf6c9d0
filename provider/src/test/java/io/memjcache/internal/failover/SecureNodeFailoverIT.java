package io.memjcache.internal.failover;

import static io.memjcache.internal.failover.Failovers.millis;
import static io.memjcache.internal.failover.Failovers.nanos;
import static io.memjcache.internal.failover.Failovers.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.config.EncryptionSettings;
import io.memjcache.config.KeyRing;
import io.memjcache.config.KeyRingSource;
import io.memjcache.config.MemcachedConfiguration;
import io.memjcache.config.SaslSettings;
import io.memjcache.config.Secret;
import io.memjcache.config.TlsSettings;
import io.memjcache.spi.MemcachedCachingProvider;
import io.memjcache.testing.MemcachedCluster;
import io.memjcache.testing.SaslFeature;
import io.memjcache.testing.ServerOptions;
import io.memjcache.testing.TestCertificates;
import io.memjcache.testing.TlsFeature;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The kill -9 scenario of {@link NodeFailoverIT}, through the JCache API, with mutual TLS, SASL
 * (SCRAM-SHA-256) and value encryption on every connection and value: four threads put and get
 * values that carry their own key and sequence number, node 1 of three is killed, the manager
 * (REDISTRIBUTE, the default) takes it off the ring, every key is served again, the node is
 * restarted (its TLS and SASL set up again by the harness) and the client's probe (TLS handshake
 * plus SASL) brings it back. No wrong value is ever read; operations fail only until the death is
 * detected. Prints detection, errors and rejoin figures.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SecureNodeFailoverIT {
  private static final String USER = "failover";
  private static final String PASSWORD = randomText(18);
  private static final int DEAD = 1;
  private static final int THREADS = 4;
  private static final int KEYS_PER_THREAD = 100;
  /** Operations that started this long after the node was seen down must not fail. */
  private static final long GRACE_MILLIS = 500;

  private static ServerOptions options() {
    TestCertificates certificates = TestCertificates.shared();
    return ServerOptions.defaults().toBuilder()
        // the notls: listener only serves the harness's SASL check; the client uses the TLS listener
        .feature(TlsFeature.builder(certificates.server())
            .requireClientCertificate(certificates.caCertificate()).plaintextListener(true).build())
        .feature(SaslFeature.builder().mechanisms("SCRAM-SHA-256").user(USER, PASSWORD).build())
        .build();
  }

  private static MemcachedConfiguration<String, String> configuration() {
    TestCertificates certificates = TestCertificates.shared();
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    KeyRing ring = KeyRing.parse("1:" + Base64.getEncoder().encodeToString(key) + ";primary=1");
    return new MemcachedConfiguration<String, String>().setTypes(String.class, String.class)
        .setTls(TlsSettings.builder().trustCertificates(certificates.caCertificate())
            .clientCertificate(certificates.client().certificate(), certificates.client().key()).build())
        .setSasl(SaslSettings.builder().username(USER).password(Secret.of(PASSWORD))
            .mechanisms(List.of("SCRAM-SHA-256")).build())
        .setEncryption(EncryptionSettings.builder().keyRing(KeyRingSource.of(ring)).build());
  }

  private static Properties properties() {
    Properties properties = new Properties();
    properties.setProperty("memjcache.operationTimeoutMillis", "1000");
    // TLS + SCRAM handshakes on a loaded 2-core machine can pass 1 s; a killed node refuses at once.
    properties.setProperty("memjcache.connectTimeoutMillis", "5000");
    properties.setProperty("memjcache.generationRefreshMillis", "100");
    return properties;
  }

  /** A value that names its key and its write. */
  private static String value(String key, long sequence) {
    return key + "|" + sequence + "|" + "v".repeat(64);
  }

  /** The sequence number of {@code value} if it is intact and belongs to {@code key}, else -1. */
  private static long sequence(String key, String value) {
    String prefix = key + "|";
    if (!value.startsWith(prefix) || !value.endsWith("|" + "v".repeat(64))) {
      return -1;
    }
    try {
      return Long.parseLong(value.substring(prefix.length(), value.length() - 65));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Four threads of put / get on keys of their own, checking every value read. */
  private static final class Load implements AutoCloseable {
    final Cache<String, String> cache;
    final String[][] keys = new String[THREADS][KEYS_PER_THREAD];
    final long[][] issued = new long[THREADS][KEYS_PER_THREAD];
    final AtomicLong ok = new AtomicLong();
    final AtomicLong reads = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    final AtomicLong wrong = new AtomicLong();
    final AtomicLong firstFailureStart = new AtomicLong(Long.MAX_VALUE);
    final AtomicLong lastFailureStart = new AtomicLong(Long.MIN_VALUE);
    /** When each failed operation started and ended. */
    final java.util.Queue<long[]> failureLog = new java.util.concurrent.ConcurrentLinkedQueue<>();
    final List<String> problems = new CopyOnWriteArrayList<>();
    final Map<String, Boolean> errorSamples = new ConcurrentHashMap<>();
    final List<Thread> threads = new ArrayList<>();
    volatile boolean running = true;

    Load(Cache<String, String> cache, String prefix) {
      this.cache = cache;
      for (int t = 0; t < THREADS; t++) {
        for (int k = 0; k < KEYS_PER_THREAD; k++) {
          keys[t][k] = prefix + "-t" + t + "-k" + k;
        }
      }
    }

    void start() {
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        Thread worker = new Thread(() -> run(thread), "secure-failover-" + t);
        worker.setDaemon(true);
        threads.add(worker);
        worker.start();
      }
    }

    private void run(int t) {
      SplittableRandom random = new SplittableRandom(t * 7919L + System.nanoTime());
      while (running) {
        int k = random.nextInt(KEYS_PER_THREAD);
        String key = keys[t][k];
        long t0 = System.nanoTime();
        try {
          if (random.nextBoolean()) {
            String read = cache.get(key);
            reads.incrementAndGet();
            if (read != null) {
              check(key, read, issued[t][k]);
            }
          } else {
            long sequence = ++issued[t][k];
            cache.put(key, value(key, sequence));
          }
          ok.incrementAndGet();
        } catch (RuntimeException e) {
          failures.incrementAndGet();
          firstFailureStart.accumulateAndGet(t0, Math::min);
          lastFailureStart.accumulateAndGet(t0, Math::max);
          failureLog.add(new long[] {t0, System.nanoTime()});
          if (errorSamples.size() < 20) {
            errorSamples.putIfAbsent(e.getClass().getSimpleName() + ": "
                + String.valueOf(e.getMessage()).replaceAll("[0-9]+ ms", "N ms"), Boolean.TRUE);
          }
          sleep(1); // a failing request can return at once: do not spin
        }
      }
    }

    private void check(String key, String read, long issuedSoFar) {
      long sequence = sequence(key, read);
      if (sequence < 0 || sequence > issuedSoFar) {
        wrong.incrementAndGet();
        if (problems.size() < 20) {
          problems.add("wrong value for " + key + ": " + read + " (issued " + issuedSoFar + ")");
        }
      }
    }

    long failuresStartedAfter(long nanos) {
      return failureLog.stream().filter(entry -> entry[0] > nanos).count();
    }

    long failuresEndedBefore(long nanos) {
      return failureLog.stream().filter(entry -> entry[1] < nanos).count();
    }

    /** Whether every key of the workload can be read now (a miss is fine, a failure is not). */
    boolean allKeysServed() {
      for (String[] row : keys) {
        for (String key : row) {
          try {
            String read = cache.get(key);
            if (read != null && sequence(key, read) < 0) {
              wrong.incrementAndGet();
              problems.add("wrong value in a sweep for " + key + ": " + read);
            }
          } catch (RuntimeException e) {
            return false;
          }
        }
      }
      return true;
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      for (Thread thread : threads) {
        thread.join(15_000);
        if (thread.isAlive()) {
          throw new AssertionError(thread.getName() + " did not stop");
        }
      }
    }
  }

  /** The manager bean's node lines, e.g. "127.0.0.1:port UP tls sasl failures=0 reconnects=0". */
  private static String[] nodes(CacheManager manager) {
    try {
      ObjectName name = new ObjectName("io.memjcache:type=CacheManager,uri="
          + ObjectName.quote(manager.getURI().toString()));
      return (String[]) ManagementFactory.getPlatformMBeanServer().getAttribute(name, "Nodes");
    } catch (javax.management.JMException e) {
      throw new AssertionError("reading Nodes failed: " + e, e);
    }
  }

  private static String nodeLine(CacheManager manager, String hostAndPort) {
    for (String line : nodes(manager)) {
      if (line.startsWith(hostAndPort + " ")) {
        return line;
      }
    }
    throw new AssertionError("no node " + hostAndPort + " in " + Arrays.toString(nodes(manager)));
  }

  /** Polls the manager bean until the node's line shows {@code state}; returns when it was first seen so. */
  private static long awaitNode(CacheManager manager, String hostAndPort, String state, long timeoutMillis) {
    long deadline = System.nanoTime() + nanos(timeoutMillis);
    while (!nodeLine(manager, hostAndPort).startsWith(hostAndPort + " " + state + " ")) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("node " + hostAndPort + " not " + state + " within " + timeoutMillis + " ms: "
            + Arrays.toString(nodes(manager)));
      }
      sleep(2);
    }
    return System.nanoTime();
  }

  @Test
  void killOneOfThree_withMutualTlsSaslAndEncryption_noWrongValue_failuresOnlyUntilDetected_andItRejoins()
      throws Exception {
    try (MemcachedCluster servers = MemcachedCluster.start(3, options())) {
      MemcachedCachingProvider provider = new MemcachedCachingProvider();
      try {
        URI uri = URI.create("memcached://" + servers.serverList() + "/secure-failover-"
            + Long.toHexString(System.nanoTime()));
        CacheManager manager = provider.getCacheManager(uri, SecureNodeFailoverIT.class.getClassLoader(), properties());
        Cache<String, String> cache = manager.createCache("secure-failover-" + Long.toHexString(System.nanoTime()),
            configuration());
        cache.put("probe", value("probe", 1));
        assertEquals(value("probe", 1), cache.get("probe"), "the cache works over TLS + SASL with encryption");
        String dead = servers.node(DEAD).hostAndPort();
        for (String line : nodes(manager)) {
          assertTrue(line.contains(" UP ") && line.contains("tls") && line.contains("sasl"), line);
        }

        long start;
        long kill;
        long down;
        long served;
        long restart;
        long up;
        long end;
        Load load = new Load(cache, "secure-" + Long.toHexString(System.nanoTime()));
        try (load) {
          start = System.nanoTime();
          load.start();
          sleep(1_500);
          kill = System.nanoTime();
          servers.node(DEAD).kill();
          down = awaitNode(manager, dead, "DOWN", 15_000);
          long deadline = System.nanoTime() + nanos(15_000);
          while (!load.allKeysServed()) {
            assertTrue(System.nanoTime() - deadline < 0, "every key served again within 15 s of the kill");
            sleep(10);
          }
          served = System.nanoTime();
          sleep(2_000);
          restart = System.nanoTime();
          servers.node(DEAD).restart();
          up = awaitNode(manager, dead, "UP", 30_000);
          sleep(1_500);
          assertTrue(load.allKeysServed(), "every key served after the rejoin");
          end = System.nanoTime();
        }

        long detection = Math.max(down, served);
        long afterDetection = load.failuresStartedAfter(down + nanos(GRACE_MILLIS));
        long lastFailure = load.lastFailureStart.get();
        System.out.printf("SecureNodeFailoverIT (mTLS+SASL+encryption, REDISTRIBUTE): kill -9 -> node down in %d ms,"
            + " all keys served %d ms after the kill; %d failed of %d operations (%d after detection + %d ms),"
            + " last failing op started %d ms after the kill; wrong values %d; restart -> rejoin in %d ms;"
            + " %d ops in %d ms%n",
            millis(down - kill), millis(served - kill), load.failures.get(), load.ok.get() + load.failures.get(),
            afterDetection, GRACE_MILLIS, lastFailure == Long.MIN_VALUE ? -1 : millis(lastFailure - kill),
            load.wrong.get(), millis(up - restart), load.ok.get(), millis(end - start));
        System.out.println("SecureNodeFailoverIT: nodes " + Arrays.toString(nodes(manager)));
        load.errorSamples.keySet().stream().sorted()
            .forEach(sample -> System.out.println("SecureNodeFailoverIT:   error: " + sample));

        assertEquals(0, load.wrong.get(), "wrong values: " + load.problems);
        assertEquals(0, load.failuresEndedBefore(kill), "failures before the kill: " + load.errorSamples.keySet());
        assertTrue(load.failures.get() > 0, "the kill was noticed");
        assertEquals(0, afterDetection, "failures after the node was seen down: " + load.errorSamples.keySet());
        assertTrue(lastFailure < detection + nanos(GRACE_MILLIS), "errors only until detection finished");
        assertTrue(load.reads.get() > 0 && load.ok.get() > 1_000, "the workload ran: " + load.ok.get());
        assertTrue(nodeLine(manager, dead).startsWith(dead + " UP "), nodeLine(manager, dead));
        assertTrue(nodeLine(manager, dead).contains("tls sasl"), nodeLine(manager, dead));
      } finally {
        provider.close();
      }
    }
  }

  private static String randomText(int bytes) {
    byte[] random = new byte[bytes];
    new SecureRandom().nextBytes(random);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }
}
