package io.memjcache.internal.jcache;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;

/**
 * The other JVM of {@link SecondJvmIT}: opens its own cache manager on the given servers and,
 * driven line by line through stdin, reads what the parent wrote, writes entries of its own, runs
 * increments concurrently with the parent, and reports on stdout.
 *
 * <pre>
 *   args: servers cacheName parentEntries childEntries threads incrementsPerThread
 *   out READY            in GO
 *   out PARENT-GET n     out PARENT-ITER n     out DONE
 *   in FINAL             out COUNTER n         (exits 0)
 * </pre>
 */
public final class SecondJvmClient {
  private SecondJvmClient() {}

  public static void main(String[] args) throws Exception {
    String servers = args[0];
    String cacheName = args[1];
    int parentEntries = Integer.parseInt(args[2]);
    int childEntries = Integer.parseInt(args[3]);
    int threads = Integer.parseInt(args[4]);
    int increments = Integer.parseInt(args[5]);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    CacheManager manager = Managers.open(servers);
    try {
      Cache<String, Integer> cache = manager.createCache(cacheName,
          new MutableConfiguration<String, Integer>().setTypes(String.class, Integer.class));
      say("READY");
      expect(in, "GO");

      int got = 0;
      for (int i = 0; i < parentEntries; i++) {
        Integer value = cache.get("parent-" + i);
        if (value != null && value == i) {
          got++;
        }
      }
      say("PARENT-GET " + got);
      int iterated = 0;
      for (Cache.Entry<String, Integer> entry : cache) {
        if (entry.getKey().startsWith("parent-")
            && entry.getValue() == Integer.parseInt(entry.getKey().substring("parent-".length()))) {
          iterated++;
        }
      }
      say("PARENT-ITER " + iterated);

      for (int i = 0; i < childEntries; i++) {
        cache.put("child-" + i, i);
      }
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<?>> running = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        running.add(pool.submit(() -> {
          for (int i = 0; i < increments; i++) {
            cache.invoke("counter", AtomicOperationsContract.INCREMENT);
          }
        }));
      }
      for (Future<?> future : running) {
        future.get(60, TimeUnit.SECONDS);
      }
      pool.shutdown();
      say("DONE");

      expect(in, "FINAL");
      say("COUNTER " + cache.get("counter"));
    } finally {
      manager.getCachingProvider().close();
    }
  }

  private static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }

  private static void expect(BufferedReader in, String word) throws Exception {
    String line = in.readLine();
    if (!word.equals(line)) {
      throw new IllegalStateException("expected " + word + " from the parent, got " + line);
    }
  }
}
