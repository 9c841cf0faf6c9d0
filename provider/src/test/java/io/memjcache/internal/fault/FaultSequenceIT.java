package io.memjcache.internal.fault;

import static io.memjcache.internal.fault.CheckedValues.isValueOf;
import static io.memjcache.internal.fault.CheckedValues.key;
import static io.memjcache.internal.fault.CheckedValues.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memjcache.internal.client.ClientSettings;
import io.memjcache.internal.client.Item;
import io.memjcache.internal.client.MemcachedClient;
import io.memjcache.internal.transport.ConnectionSettings;
import io.memjcache.internal.transport.MemcachedException;
import io.memjcache.testing.FaultProxy;
import io.memjcache.testing.FaultProxy.AfterCut;
import io.memjcache.testing.FaultProxy.Direction;
import io.memjcache.testing.MemcachedServer;
import io.memjcache.testing.MemcachedTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A seeded sequence of every fault the proxy knows, each held a few hundred milliseconds, while
 * several threads run sets, gets and multi-gets of self-checking values. Operations may fail while a
 * fault lasts, but only with the client's own errors; no value is ever wrong, and once the faults
 * stop every thread is served again within the recovery bound. The seed is printed; set
 * {@code -Dfault.seed=N} to replay a run.
 */
@MemcachedTest(nodes = 1)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class FaultSequenceIT {
  private static final int KEYS = 200;
  private static final int WORKERS = 4;
  private static final int FAULTS = 24;
  private static final long RECOVERY_MILLIS = 6_000;

  @Test
  void seededFaultSequence_concurrentWorkload_noWrongValueAndFullRecovery(MemcachedServer server) throws Exception {
    long seed = Long.getLong("fault.seed", 0x5eedL);
    Random random = new Random(seed);
    FaultLedger ledger = new FaultLedger("FaultSequenceIT(seed=" + seed + ")");
    String prefix = "sequence-" + Long.toHexString(System.nanoTime()) + ":";
    byte[][] keys = new byte[KEYS][];
    try (MemcachedClient direct = new MemcachedClient(ClientSettings.of(List.of(server.address())))) {
      for (int i = 0; i < KEYS; i++) {
        keys[i] = key(prefix + i);
        assertTrue(MemcachedClient.await(direct.set(keys[i], value(keys[i], 0, 64 + 97 * i), 0, 0)).stored());
      }
    }

    try (FaultProxy proxy = FaultProxy.start(server.address(), Duration.ofSeconds(80));
        MemcachedClient client = new MemcachedClient(ClientSettings.of(List.of(proxy.address())).withConnection(
            ConnectionSettings.DEFAULTS.withOperationTimeout(Duration.ofMillis(400))
                .withConnectTimeout(Duration.ofMillis(1000))))) {
      AtomicBoolean stop = new AtomicBoolean();
      LongAdder ok = new LongAdder();
      LongAdder failed = new LongAdder();
      Map<String, LongAdder> errorKinds = new ConcurrentHashMap<>();
      List<Throwable> unexpected = new java.util.concurrent.CopyOnWriteArrayList<>();
      AtomicLong[] lastSuccess = new AtomicLong[WORKERS];
      List<Thread> threads = new ArrayList<>();
      for (int w = 0; w < WORKERS; w++) {
        AtomicLong last = lastSuccess[w] = new AtomicLong();
        Random own = new Random(seed * 31 + w);
        Thread thread = new Thread(() -> {
          long version = 1;
          while (!stop.get()) {
            int i = own.nextInt(KEYS);
            try {
              int op = own.nextInt(10);
              if (op < 4) {
                MemcachedClient.await(client.set(keys[i], value(keys[i], version++, 64 + own.nextInt(20_000)), 0, 0), 10_000);
              } else if (op < 9) {
                Item item = MemcachedClient.await(client.get(keys[i]), 10_000);
                if (item == null || !isValueOf(keys[i], item.value())) {
                  ledger.wrongValue();
                }
              } else {
                byte[][] batch = new byte[10][];
                for (int b = 0; b < batch.length; b++) {
                  batch[b] = keys[(i + b * 7) % KEYS];
                }
                Item[] items = MemcachedClient.await(client.getAll(batch), 10_000);
                for (int b = 0; b < batch.length; b++) {
                  if (items[b] == null || !isValueOf(batch[b], items[b].value())) {
                    ledger.wrongValue();
                  }
                }
              }
              ok.increment();
              last.set(System.nanoTime());
            } catch (MemcachedException e) {
              failed.increment();
              errorKinds.computeIfAbsent(e.getClass().getSimpleName(), k -> new LongAdder()).increment();
              sleepQuietly(5);
            } catch (Throwable e) {
              unexpected.add(e);
              sleepQuietly(5);
            }
          }
        }, "fault-sequence-worker-" + w);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
      }

      Thread.sleep(300);
      List<String> plan = new ArrayList<>();
      for (int f = 0; f < FAULTS; f++) {
        String kind = inject(proxy, random);
        plan.add(kind);
        ledger.injected(kind);
        Thread.sleep(150 + random.nextInt(350));
        proxy.passThrough();
        Thread.sleep(200 + random.nextInt(200));
      }
      proxy.passThrough();
      long clear = System.nanoTime();
      long deadline = clear + TimeUnit.MILLISECONDS.toNanos(RECOVERY_MILLIS);
      long worst = 0;
      for (AtomicLong last : lastSuccess) {
        while (last.get() - clear <= 0 && System.nanoTime() - deadline < 0) {
          Thread.sleep(5);
        }
        assertTrue(last.get() - clear > 0, "a worker was not served again within " + RECOVERY_MILLIS + " ms");
        worst = Math.max(worst, TimeUnit.NANOSECONDS.toMillis(last.get() - clear));
      }
      ledger.recovery(worst);
      Thread.sleep(300); // some clean traffic after recovery
      stop.set(true);
      for (Thread thread : threads) {
        thread.join(15_000);
      }
      // The faults all passed: every key is readable, and holds a value of its own.
      for (byte[] key : keys) {
        Item item = MemcachedClient.await(client.get(key), 5_000);
        assertNotNull(item);
        if (!isValueOf(key, item.value())) {
          ledger.wrongValue();
        }
      }
      ledger.operations(ok.sum(), failed.sum());
      if (unexpected.isEmpty() && ledger.wrongValues() == 0) {
        plan.forEach(ledger::survived); // every thread was served again, with right values only
      }
      System.out.println("fault sequence (seed " + seed + "): " + String.join(" ", plan));
      System.out.println("errors while faults lasted, by type: " + errorKinds);
      System.out.println(ledger.summary());
      assertTrue(unexpected.isEmpty(), "errors other than MemcachedException: " + unexpected);
      assertEquals(0, ledger.wrongValues(), "wrong values seen");
      assertTrue(ok.sum() > 100, "too little work got done: " + ok.sum());
      assertTrue(proxy.faultsInjected() >= FAULTS / 2, "faults injected by the proxy: " + proxy.faultsInjected());
    }
  }

  private static String inject(FaultProxy proxy, Random random) {
    switch (random.nextInt(8)) {
      case 0:
        proxy.latency(Duration.ofMillis(50 + random.nextInt(300)));
        return "latency";
      case 1:
        proxy.stall();
        return "stall";
      case 2:
        proxy.reset();
        return "reset";
      case 3: {
        Direction direction = random.nextBoolean() ? Direction.TO_CLIENT : Direction.TO_SERVER;
        proxy.halfOpen(direction);
        return "half-open-" + direction;
      }
      case 4: {
        Direction direction = random.nextBoolean() ? Direction.TO_CLIENT : Direction.TO_SERVER;
        proxy.closeDirection(direction);
        return "fin-" + direction;
      }
      default: {
        AfterCut then = AfterCut.values()[random.nextInt(AfterCut.values().length)];
        proxy.resumeAfter(Duration.ofMillis(100 + random.nextInt(600)));
        proxy.cutNextResponse(then);
        return "cut-" + then;
      }
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
