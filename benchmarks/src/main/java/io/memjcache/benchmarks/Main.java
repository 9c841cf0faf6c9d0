package io.memjcache.benchmarks;

import io.memjcache.testing.MemcachedServer;
import io.memjcache.testing.ServerOptions;
import io.memjcache.testing.TestCertificates;
import io.memjcache.testing.TlsFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the benchmark suite: starts one memcached (or uses {@code --servers}), runs every scenario
 * through JMH against it, and writes {@code results.json} (JMH's JSON) and {@code run.json} (date,
 * machine, memcached version and settings, client settings, JMH settings) to {@code --out}.
 *
 * <pre>
 * java -jar benchmarks.jar [--out DIR] [--scenarios sync,async,getall,encryption] [--clients a,b] [--sizes 100,4096]
 *     [--threads 1,4,128] [--methods get,put] [--warmup 2] [--warmup-time 1s] [--iterations 3]
 *     [--time 1s] [--prof NAME[:OPTIONS]]... [--no-gc] [--servers host:port] [--memcached-threads 2]
 *     [--memcached-memory-mb 1024] [--jvm-args "-Xms2g -Xmx2g -Xmn256m"] [--commit ID]
 *     [--budget-minutes 14] [--max-foreign-cores 0.2] [--min-speed 0.8] [--wait-quiet-start SECONDS]
 *     [--no-speed-probe] [--tls-servers host:port --tls-ca ca.pem] [--dry-run]
 * </pre>
 *
 * <p>Clients whose name ends in "-tls" use a second memcached, started with TLS ({@code -Z}, a
 * certificate for 127.0.0.1 from a CA made for the run, never kept) unless {@code --tls-servers}
 * names one; "memjcache-encrypted" uses a key ring of one random key, made for the run. Without
 * {@code --clients} each scenario runs its default clients, trimmed by {@link #inDefaultRun}.
 *
 * <p>Each benchmark runs in its own JMH fork. Before each one the runner waits (within the time
 * budget) until other processes leave the cores alone; a benchmark during whose measurement other
 * processes used more than {@code --max-foreign-cores} is run once more if the budget allows, and
 * the less disturbed of the two runs is kept and marked.
 */
public final class Main {

  /**
   * The forks' JVM options, the same for every client. The young generation is fixed at 256 MB
   * because G1, left to size it, grew eden from about 100 MB to 1.2 GB some 2 s into each fork, and
   * the next gigabyte allocated then landed on pages the process had never touched: a page fault
   * and the kernel zeroing 4 KiB for every 4 KiB allocated, through the last warmup and the first
   * measurement iterations (a 4 KiB asynchronous get measured 44k, 44k and 208k gets/s in its three
   * iterations, and about 300k once warm). With a fixed eden every page is touched in the first
   * warmup iteration. Pre-touching the whole heap (-XX:+AlwaysPreTouch) does the same but costs
   * 2 s per fork here.
   */
  static final String DEFAULT_JVM_ARGS = "-Xms2g -Xmx2g -Xmn256m";

  /** One group of benchmarks and the clients it runs by default. */
  record Scenario(String name, String description, String methodClass, List<String> methods,
      List<String> defaultClients, boolean usesThreads) {}

  /**
   * Each scenario's default clients, in the order they run within one configuration: a variant
   * (TLS, encrypted) right after its plaintext twin, so a drift of the machine hits both alike.
   */
  static final List<Scenario> SCENARIOS = List.of(
      new Scenario("sync", "synchronous get and put, 1/4/128 threads (put: 1/4)", "SyncBenchmark", List.of("get", "put"),
          List.of("memjcache", "memjcache-tls", "memjcache-client", "spymemcached", "xmemcached",
              "folsom", "folsom-tls", "elasticache", "elasticache-tls"), true),
      new Scenario("async", "asynchronous get, " + AsyncBenchmark.IN_FLIGHT + " in flight from one thread",
          "AsyncBenchmark", List.of("get"),
          List.of("memjcache", "memjcache-tls", "memjcache-client", "memjcache-client-tls", "spymemcached", "folsom",
              "folsom-tls", "folsom-binary", "elasticache", "elasticache-tls"), false),
      new Scenario("getall", "getAll of " + KeySpace.BATCH + " keys, one thread", "GetAllBenchmark", List.of("getAll"),
          List.of("memjcache", "memjcache-tls", "spymemcached", "xmemcached", "folsom",
              "folsom-tls", "folsom-binary", "elasticache", "elasticache-tls"), false),
      new Scenario("encryption", "value encryption and the same cache without it, paired in one fork (get and put"
          + " at 1/4 threads, getAll at 1)", "EncryptionPairBenchmark", List.of("get", "put", "getAll"),
          List.of("memjcache-encrypted"), true));

  /**
   * The trimmed default run (about 110 benchmarks, to stay under 15 minutes on 2 cores): put only
   * at 1 and 4 threads; over TLS only get (memcached before 1.6.39 stalls pipelined sets over
   * TLS); the ElastiCache client only where its TLS twin runs; encryption at 1 and 4 threads; the
   * internal client's synchronous get only at 128 threads (its asynchronous figure is the point).
   * With {@code --clients} every combination asked for runs.
   */
  static boolean inDefaultRun(Scenario scenario, String method, String client, int threads) {
    if (!scenario.usesThreads()) {
      return true;
    }
    if (scenario.methodClass().equals("EncryptionPairBenchmark")) {
      return method.equals("getAll") ? threads == 1 : threads <= 4;
    }
    if (method.equals("put") && (threads > 4 || Clients.usesTls(client) || client.startsWith("memjcache-client")
        || client.startsWith("elasticache"))) {
      return false;
    }
    if (client.equals("memjcache-encrypted") && threads > 4) {
      return false;
    }
    return !client.equals("memjcache-client") || threads == 128;
  }

  private Main() {}

  public static void main(String[] argv) throws Exception {
    Args args = Args.parse(argv);
    Path out = Path.of(args.get("out", "results"));
    Files.createDirectories(out);
    List<Scenario> scenarios = new ArrayList<>();
    for (String name : args.list("scenarios", "sync,async,getall,encryption")) {
      scenarios.add(SCENARIOS.stream().filter(s -> s.name().equals(name)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("unknown scenario " + name)));
    }

    MemcachedServer server = null;
    MemcachedServer tlsServer = null;
    TestCertificates certificates = null;
    Path secrets = null;
    ServerOptions serverOptions = null;
    String servers = args.get("servers", null);
    Instant started = Instant.now();
    boolean anyFailed = false;
    try {
      List<Job> jobs = jobs(args, scenarios);
      boolean needTls = jobs.stream().anyMatch(j -> Clients.usesTls(j.client()));
      boolean needKeys = jobs.stream().anyMatch(j -> Clients.usesKeyRing(j.client()));
      if (args.has("dry-run")) {
        jobs.forEach(j -> System.out.println("  " + j));
        System.out.println(jobs.size() + " benchmarks");
        return;
      }
      if (servers == null) {
        serverOptions = ServerOptions.builder()
            .memoryMb(Integer.parseInt(args.get("memcached-memory-mb", "1024")))
            .threads(Integer.parseInt(args.get("memcached-threads", "2")))
            .build();
        server = MemcachedServer.start(serverOptions);
        servers = server.hostAndPort();
      }
      String tlsServers = args.get("tls-servers", null);
      String tlsCa = args.get("tls-ca", null);
      String tlsStatsServer = null;
      if (needTls && tlsServers == null) {
        // A second memcached, the same settings plus -Z, its certificate for IP:127.0.0.1 and
        // DNS:localhost from a CA made now (the test PKI; deleted at the end). Its notls: listener
        // serves only the runner's stats reads.
        certificates = TestCertificates.create();
        TlsFeature tls = TlsFeature.builder(certificates.server()).plaintextListener(true).build();
        tlsServer = MemcachedServer.start(serverOptions != null ? serverOptions.toBuilder().feature(tls).build()
            : ServerOptions.builder().memoryMb(Integer.parseInt(args.get("memcached-memory-mb", "1024")))
                .threads(Integer.parseInt(args.get("memcached-threads", "2"))).feature(tls).build());
        tlsServers = tlsServer.hostAndPort();
        tlsCa = certificates.caCertificate().toString();
        tlsStatsServer = tlsServer.host() + ":" + tlsServer.port(tls.plaintextListener());
      } else if (needTls && tlsCa == null) {
        throw new IllegalArgumentException("--tls-servers needs --tls-ca (the PEM of the CA that signed its certificate)");
      }
      String keyRingFile = null;
      if (needKeys) {
        secrets = Files.createTempDirectory("memjcache-bench-keys-", PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rwx------")));
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Path file = secrets.resolve("keyring");
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, "1:" + Base64.getEncoder().encodeToString(key) + "; primary=1\n");
        keyRingFile = file.toString();
      }
      String host = servers.substring(0, servers.lastIndexOf(':'));
      int port = Integer.parseInt(servers.substring(servers.lastIndexOf(':') + 1));
      Map<String, String> settings = ServerStats.read(host, port, "settings");
      Map<String, String> statsBefore = ServerStats.read(host, port, "");
      System.out.printf("memcached %s on %s (%s)%n", statsBefore.get("version"), servers,
          serverOptions == null ? "external" : serverOptions);

      Map<String, Object> run = new LinkedHashMap<>();
      run.put("date", started.truncatedTo(ChronoUnit.SECONDS).toString());
      run.put("machine", machine());
      run.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
      run.put("memjcacheCommit", args.get("commit", "unknown"));
      Map<String, Object> memcached = new LinkedHashMap<>();
      memcached.put("version", statsBefore.get("version"));
      memcached.put("launch", serverOptions == null ? "external server " + servers
          : "memcached " + String.join(" ", launchArgs(serverOptions)) + " -l 127.0.0.1:<free port>"
              + " (as root also -u memcache); started by io.memjcache.testing.MemcachedServer");
      memcached.put("settings", pick(settings, "maxbytes", "maxconns", "tcpport", "num_threads",
          "item_size_max", "binding_protocol", "evictions", "cas_enabled", "slab_chunk_max", "lru_segmented",
          "ssl_enabled"));
      run.put("memcached", memcached);
      if (needTls) {
        Map<String, Object> tlsInfo = new LinkedHashMap<>();
        tlsInfo.put("server", tlsServers);
        if (tlsServer != null) {
          String th = tlsStatsServer.substring(0, tlsStatsServer.lastIndexOf(':'));
          int tp = Integer.parseInt(tlsStatsServer.substring(tlsStatsServer.lastIndexOf(':') + 1));
          Map<String, String> tlsSettings = ServerStats.read(th, tp, "settings");
          tlsInfo.put("version", ServerStats.read(th, tp, "").get("version"));
          tlsInfo.put("launch", "a second memcached, the same flags plus -Z -o ssl_chain_cert=server.crt,ssl_key=server.key"
              + " -l 127.0.0.1:<free port> -l notls:127.0.0.1:<free port> (the notls: listener only for the runner's"
              + " stats); an EC P-256 CA and a server certificate for IP:127.0.0.1, DNS:localhost made by"
              + " io.memjcache.testing.TestCertificates at the start of the run and deleted at its end");
          tlsInfo.put("settings", pick(tlsSettings, "maxbytes", "num_threads", "ssl_enabled", "ssl_min_version",
              "ssl_verify_mode", "ssl_session_cache", "ssl_kernel_tls", "ssl_wbuf_size"));
        } else {
          tlsInfo.put("launch", "external TLS server " + tlsServers + ", CA " + tlsCa);
        }
        run.put("tls", tlsInfo);
      }
      if (needKeys) {
        run.put("encryption", "one random 256-bit key (id 1, primary), made for the run in a 0600 file and"
            + " deleted at its end; everything else at memjcache's defaults (AES-256-GCM, hashKeys on)");
      }
      List<String> jvmArgs = Arrays.asList(args.get("jvm-args", DEFAULT_JVM_ARGS).trim().split("\\s+"));
      Map<String, Object> jmh = new LinkedHashMap<>();
      jmh.put("version", "1.37");
      jmh.put("forks", 1);
      jmh.put("warmup", args.get("warmup", "2") + " x " + args.get("warmup-time", "1s"));
      jmh.put("measurement", args.get("iterations", "3") + " x " + args.get("time", "1s"));
      jmh.put("jvmArgs", String.join(" ", jvmArgs));
      jmh.put("profilers", profilers(args));
      run.put("jmh", jmh);
      run.put("keys", KeySpace.KEYS);
      run.put("valueSizes", args.list("sizes", "100,4096"));

      Set<String> usedClients = new LinkedHashSet<>();
      List<Map<String, Object>> scenarioInfo = new ArrayList<>();
      for (Scenario scenario : scenarios) {
        Set<String> clients = new LinkedHashSet<>();
        Set<String> threads = new LinkedHashSet<>();
        for (Job job : jobs) {
          if (job.scenario() == scenario) {
            clients.add(job.client());
            threads.add(Integer.toString(job.threads()));
          }
        }
        usedClients.addAll(clients);
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", scenario.name());
        info.put("description", scenario.description());
        info.put("clients", new ArrayList<>(clients));
        info.put("threads", new ArrayList<>(threads));
        scenarioInfo.add(info);
      }
      double perJob = 2.8 + Integer.parseInt(args.get("warmup", "2")) * TimeValue.fromString(args.get("warmup-time", "1s")).convertTo(java.util.concurrent.TimeUnit.MILLISECONDS) / 1000.0
          + Integer.parseInt(args.get("iterations", "3")) * TimeValue.fromString(args.get("time", "1s")).convertTo(java.util.concurrent.TimeUnit.MILLISECONDS) / 1000.0;
      long budgetMillis = (long) (Double.parseDouble(args.get("budget-minutes", "14")) * 60_000);
      double foreignLimit = Double.parseDouble(args.get("max-foreign-cores", "0.2"));
      double minSpeed = Double.parseDouble(args.get("min-speed", "0.8"));
      System.out.printf(Locale.ROOT, "%d benchmarks, about %.0f s each: about %.1f minutes%n",
          jobs.size(), perJob, jobs.size() * perJob / 60);

      List<String> serverPids = new ArrayList<>();
      for (MemcachedServer s : new MemcachedServer[] {server, tlsServer}) {
        if (s != null && s.pid().isPresent()) {
          serverPids.add(Long.toString(s.pid().getAsLong()));
        }
      }
      String ownPids = ProcessHandle.current().pid() + (serverPids.isEmpty() ? "" : "," + String.join(",", serverPids));
      if (!serverPids.isEmpty()) {
        System.setProperty(CpuSample.OWN_PIDS_PROPERTY, String.join(",", serverPids));
      }
      SpeedProbe.best(20); // compile it
      long speedReference = SpeedProbe.best(30);
      run.put("speedProbeReferenceMicros", speedReference / 1000);
      List<String> forkArgs = new ArrayList<>(jvmArgs);
      if (!args.has("no-speed-probe")) { // profiles leave it out: it would show up in them
        forkArgs.add("-D" + SpeedProbe.REFERENCE_PROPERTY + "=" + speedReference);
      }
      forkArgs.add("-D" + Clients.SERVERS_PROPERTY + "=" + servers);
      if (needTls) {
        forkArgs.add("-D" + Security.TLS_SERVERS_PROPERTY + "=" + tlsServers);
        forkArgs.add("-D" + Security.TLS_CA_PROPERTY + "=" + tlsCa);
      }
      if (keyRingFile != null) {
        forkArgs.add("-D" + Security.KEY_RING_FILE_PROPERTY + "=" + keyRingFile);
      }
      forkArgs.add("-D" + CpuSample.OWN_PIDS_PROPERTY + "=" + ownPids);
      Path logs = out.resolve("logs");
      Files.createDirectories(logs);

      int startWait = Integer.parseInt(args.get("wait-quiet-start", "0"));
      if (startWait > 0) {
        System.out.printf("waiting up to %d s for 3 quiet seconds (other processes under %.2f cores) ...%n",
            startWait, foreignLimit / 2);
        long deadline = System.nanoTime() + startWait * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
          CpuSample a = CpuSample.now();
          Thread.sleep(3000);
          if (!a.available() || a.foreignCores(CpuSample.now()) < foreignLimit / 2) {
            break;
          }
        }
      }
      run.put("loadAverageAtStart", firstMatch(Path.of("/proc/loadavg"), ""));
      // A first run.json, replaced at the end: report.py can then describe a run that dies part-way
      // from its logs/*.json.
      Map<String, Object> early = new LinkedHashMap<>(run);
      Map<String, String> earlyClients = new LinkedHashMap<>();
      for (String client : usedClients) {
        earlyClients.put(client, Clients.SETTINGS.getOrDefault(client, "?"));
      }
      early.put("clients", earlyClients);
      early.put("scenarios", scenarioInfo);
      Files.writeString(out.resolve("run.json"), Json.write(early), StandardCharsets.UTF_8);
      List<RunResult> results = new ArrayList<>();
      List<String> failed = new ArrayList<>();
      Map<String, Object> disturbance = new LinkedHashMap<>();
      int retries = 0;
      int jobsRun = 0;
      double jobSeconds = 0;
      for (int j = 0; j < jobs.size(); j++) {
        Job job = jobs.get(j);
        // Waits and reruns spend only the slack the budget leaves over the expected time of the
        // remaining benchmarks (measured so far, so a slow machine leaves less slack).
        double expected = jobsRun == 0 ? perJob : Math.max(perJob, jobSeconds / jobsRun);
        long spare = budgetMillis - (Instant.now().toEpochMilli() - started.toEpochMilli())
            - (long) ((jobs.size() - j) * expected * 1000);
        double waited = waitQuiet(foreignLimit / 2, (int) Math.min(20, Math.max(0, spare / 1000)));
        long jobStart = System.nanoTime();
        RunResult result = runOne(job, args, forkArgs, logs.resolve(job.fileName() + ".log"));
        jobSeconds += (System.nanoTime() - jobStart) / 1e9;
        jobsRun++;
        if (result != null && disturbed(result, foreignLimit, minSpeed)) {
          expected = Math.max(perJob, jobSeconds / jobsRun);
          spare = budgetMillis - (Instant.now().toEpochMilli() - started.toEpochMilli())
              - (long) ((jobs.size() - j - 1) * expected * 1000);
          if (spare > expected * 1000 + 5000) {
            System.out.printf(Locale.ROOT, "  %s: disturbed (%.2f cores of other work, speed %.2f), running it again%n",
                job, foreign(result), speed(result));
            retries++;
            waited += waitQuiet(foreignLimit / 2, (int) Math.min(10, (spare - expected * 1000) / 1000));
            RunResult again = runOne(job, args, forkArgs, logs.resolve(job.fileName() + "-again.log"));
            if (again != null && disturbance(again, foreignLimit, minSpeed) < disturbance(result, foreignLimit, minSpeed)) {
              result = again;
            }
          }
        }
        if (result == null) {
          failed.add(job.toString());
          System.out.printf("  FAILED %s (see %s)%n", job, logs.resolve(job.fileName() + ".log"));
          continue;
        }
        results.add(result);
        boolean disturbed = disturbed(result, foreignLimit, minSpeed);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("foreignCores", Math.round(foreign(result) * 100) / 100.0);
        d.put("speed", Math.round(speed(result) * 100) / 100.0);
        d.put("waitedForQuietSeconds", Math.round(waited * 10) / 10.0);
        d.put("disturbed", disturbed);
        disturbance.put(job.toString(), d);
        System.out.printf(Locale.ROOT, "  [%d/%d] %-58s %,12.0f ops/s%s%n", j + 1, jobs.size(), job,
            result.getPrimaryResult().getScore(), disturbed ? String.format(Locale.ROOT,
                "  (disturbed: %.2f cores of other work, speed %.2f)", foreign(result), speed(result)) : "");
        // Only this benchmark's result now (a crashed run keeps what it measured, in logs/): rewriting
        // the growing results.json after every benchmark cost up to 8.6 s each, 588 s of a 110-benchmark run.
        writeResults(logs.resolve(job.fileName() + ".json"), List.of(result));
      }
      writeResults(out.resolve("results.json"), results);
      run.put("disturbance", Map.of("limitCores", foreignLimit, "minSpeed", minSpeed, "retries", retries,
          "perBenchmark", disturbance));
      Map<String, String> statsAfter = ServerStats.read(host, port, "");
      Map<String, Object> serverCounters = new TreeMap<>();
      for (String counter : List.of("evictions", "get_misses", "get_hits", "cmd_get", "cmd_set", "total_connections",
          "curr_items", "bytes")) {
        serverCounters.put(counter, delta(statsBefore, statsAfter, counter));
      }
      memcached.put("countersDuringRun", serverCounters);
      if (tlsStatsServer != null) {
        String th = tlsStatsServer.substring(0, tlsStatsServer.lastIndexOf(':'));
        int tp = Integer.parseInt(tlsStatsServer.substring(tlsStatsServer.lastIndexOf(':') + 1));
        Map<String, String> tlsStats = ServerStats.read(th, tp, "");
        Map<String, Object> tlsCounters = new TreeMap<>();
        for (String counter : List.of("evictions", "get_misses", "get_hits", "cmd_get", "cmd_set", "total_connections",
            "curr_items", "bytes", "ssl_handshake_errors")) {
          tlsCounters.put(counter, delta(Map.of(), tlsStats, counter));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> tlsInfo = (Map<String, Object>) run.get("tls");
        tlsInfo.put("countersDuringRun", tlsCounters);
      }
      Map<String, String> clientSettings = new LinkedHashMap<>();
      for (String client : usedClients) {
        clientSettings.put(client, Clients.SETTINGS.getOrDefault(client, "?"));
      }
      run.put("clients", clientSettings);
      run.put("scenarios", scenarioInfo);
      run.put("failed", failed);
      run.put("durationSeconds", (Instant.now().toEpochMilli() - started.toEpochMilli()) / 1000);
      Files.writeString(out.resolve("run.json"), Json.write(run), StandardCharsets.UTF_8);
      System.out.printf("done in %d s; results in %s%n", (Long) run.get("durationSeconds"), out.toAbsolutePath());
      if (!failed.isEmpty()) {
        System.out.println(failed.size() + " benchmark(s) FAILED: " + failed);
        anyFailed = true; // exit 1 once the servers are stopped and the certificates and keys deleted
      }
    } finally {
      for (MemcachedServer s : new MemcachedServer[] {server, tlsServer}) {
        if (s != null) {
          s.close();
        }
      }
      if (certificates != null) {
        certificates.close();
      }
      if (secrets != null) {
        try (var files = Files.list(secrets)) {
          for (Path f : (Iterable<Path>) files::iterator) {
            Files.deleteIfExists(f);
          }
        }
        Files.deleteIfExists(secrets);
      }
    }
    if (anyFailed) {
      System.exit(1);
    }
  }

  /** The benchmarks of this run: clients of one configuration back to back. */
  private static List<Job> jobs(Args args, List<Scenario> scenarios) {
    List<Job> jobs = new ArrayList<>();
    for (Scenario scenario : scenarios) {
      List<String> clients = args.list("clients", String.join(",", scenario.defaultClients()));
      for (String client : clients) {
        if (!Clients.ALL.contains(client)) {
          throw new IllegalArgumentException("unknown client '" + client + "', known: " + Clients.ALL);
        }
      }
      List<String> methods = scenario.usesThreads() ? args.list("methods", String.join(",", scenario.methods()))
          : scenario.methods();
      List<String> threadCounts = scenario.usesThreads() ? args.list("threads", "1,4,128") : List.of("1");
      for (String threads : threadCounts) {
        for (String method : methods) {
          for (String size : args.list("sizes", "100,4096")) {
            for (String client : clients) {
              if (!args.has("clients") && !inDefaultRun(scenario, method, client, Integer.parseInt(threads))) {
                continue;
              }
              if (scenario.methodClass().equals("AsyncBenchmark") && !Clients.hasAsync(client)) {
                continue; // it would fail: no future-based get
              }
              jobs.add(new Job(scenario, method, client, size, Integer.parseInt(threads)));
            }
          }
        }
      }
    }
    return jobs;
  }

  /** One JMH benchmark with one parameter combination, run in its own fork. */
  record Job(Scenario scenario, String method, String client, String valueSize, int threads) {
    @Override
    public String toString() {
      return scenario.methodClass() + "." + method + " client=" + client + " valueSize=" + valueSize + " threads=" + threads;
    }

    String fileName() {
      return scenario.methodClass() + "." + method + "-" + client + "-" + valueSize + "-t" + threads;
    }
  }

  private static RunResult runOne(Job job, Args args, List<String> forkArgs, Path log) throws Exception {
    ChainedOptionsBuilder options = new OptionsBuilder()
        .include("\\." + job.scenario().methodClass() + "\\." + job.method() + "$")
        .param("client", job.client())
        .param("valueSize", job.valueSize())
        .threads(job.threads())
        .forks(1)
        .warmupIterations(Integer.parseInt(args.get("warmup", "2")))
        .warmupTime(TimeValue.fromString(args.get("warmup-time", "1s")))
        .measurementIterations(Integer.parseInt(args.get("iterations", "3")))
        .measurementTime(TimeValue.fromString(args.get("time", "1s")))
        .shouldFailOnError(false)
        .jvmArgsAppend(forkArgs.toArray(new String[0]))
        .addProfiler(LatencyProfiler.class)
        .addProfiler(CpuProfiler.class)
        .output(log.toString());
    if (!args.has("no-gc")) {
      options.addProfiler(GCProfiler.class);
    }
    for (String prof : args.all("prof")) {
      int colon = prof.indexOf(':');
      if (colon < 0) {
        options.addProfiler(prof);
      } else {
        options.addProfiler(prof.substring(0, colon), prof.substring(colon + 1));
      }
    }
    // Another JMH run on the machine holds JMH's lock: wait for it (up to a minute), then count this
    // benchmark as failed rather than abort the whole run. Two runs at once would disturb each other.
    for (int attempt = 0; ; attempt++) {
      try {
        Collection<RunResult> got = new Runner(options.build()).run();
        return got.isEmpty() ? null : got.iterator().next();
      } catch (org.openjdk.jmh.runner.RunnerException e) {
        if (String.valueOf(e.getMessage()).contains("JMH lock") && attempt < 12) {
          System.out.println("  another JMH run holds " + System.getProperty("java.io.tmpdir") + "/jmh.lock; waiting 5 s");
          Thread.sleep(5000);
          continue;
        }
        if (String.valueOf(e.getMessage()).contains("JMH lock")) {
          return null;
        }
        throw e;
      }
    }
  }

  private static double foreign(RunResult result) {
    if (result == null) {
      return 0;
    }
    var r = result.getSecondaryResults().get("cpu.foreign");
    return r == null ? 0 : r.getScore();
  }

  /** The slowest machine speed seen after a measurement iteration (1 = full speed). */
  private static double speed(RunResult result) {
    if (result == null) {
      return 1;
    }
    var r = result.getSecondaryResults().get("cpu.speed");
    return r == null ? 1 : r.getScore();
  }

  /** A measurement is disturbed when other processes took CPU or the machine ran slow. */
  private static boolean disturbed(RunResult result, double foreignLimit, double minSpeed) {
    return foreign(result) > foreignLimit || speed(result) < minSpeed;
  }

  /** Orders runs by how little they were disturbed. */
  private static double disturbance(RunResult result, double foreignLimit, double minSpeed) {
    return foreign(result) / foreignLimit + Math.max(0, minSpeed - speed(result)) / (1 - minSpeed);
  }

  /**
   * Waits (up to {@code maxSeconds}) until other processes use less than {@code limit} cores over
   * 0.3 seconds; returns the seconds waited.
   */
  private static double waitQuiet(double limit, int maxSeconds) throws InterruptedException {
    long start = System.nanoTime();
    while (true) {
      CpuSample a = CpuSample.now();
      Thread.sleep(300);
      CpuSample b = CpuSample.now();
      double waited = (System.nanoTime() - start) / 1e9;
      if (!a.available() || a.foreignCores(b) < limit || waited >= maxSeconds) {
        return Math.max(0, waited - 0.3);
      }
    }
  }

  private static void writeResults(Path file, List<RunResult> results) throws IOException {
    try (PrintStream ps = new PrintStream(Files.newOutputStream(file), true, StandardCharsets.UTF_8)) {
      ResultFormatFactory.getInstance(ResultFormatType.JSON, ps).writeOut(results);
    }
  }

  private static List<String> profilers(Args args) {
    List<String> list = new ArrayList<>();
    list.add("latency (" + LatencyProfiler.class.getSimpleName() + ")");
    list.add("cpu (" + CpuProfiler.class.getSimpleName() + ")");
    if (!args.has("no-gc")) {
      list.add("gc");
    }
    list.addAll(args.all("prof"));
    return list;
  }

  private static Object delta(Map<String, String> before, Map<String, String> after, String name) {
    try {
      long b = Long.parseLong(before.getOrDefault(name, "0"));
      long a = Long.parseLong(after.getOrDefault(name, "0"));
      return name.startsWith("curr_") || name.equals("bytes") ? a : a - b;
    } catch (NumberFormatException e) {
      return after.get(name);
    }
  }

  private static Map<String, String> pick(Map<String, String> all, String... names) {
    Map<String, String> picked = new LinkedHashMap<>();
    for (String name : names) {
      if (all.containsKey(name)) {
        picked.put(name, all.get(name));
      }
    }
    return picked;
  }

  /** The tuning flags the launcher passes (-m, -t, ...), as ServerOptions prints them. */
  private static List<String> launchArgs(ServerOptions options) {
    String text = options.toString();
    int open = text.indexOf('[');
    int close = text.indexOf(']');
    return Arrays.asList(text.substring(open + 1, close).split(",\\s*"));
  }

  private static String[] concat(List<String> list, String more) {
    List<String> all = new ArrayList<>(list);
    all.add(more);
    return all.toArray(new String[0]);
  }

  private static Map<String, Object> machine() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("nproc", Runtime.getRuntime().availableProcessors());
    m.put("cpu", firstMatch(Path.of("/proc/cpuinfo"), "model name"));
    m.put("memory", firstMatch(Path.of("/proc/meminfo"), "MemTotal"));
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    return m;
  }

  private static String firstMatch(Path file, String prefix) {
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith(prefix)) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      // not Linux: leave it unknown
    }
    return "unknown";
  }

  /** {@code --name value} options; repeatable ones keep every value. */
  static final class Args {
    private final Map<String, List<String>> values = new LinkedHashMap<>();

    static Args parse(String[] argv) {
      Args args = new Args();
      for (int i = 0; i < argv.length; i++) {
        String a = argv[i];
        if (!a.startsWith("--")) {
          throw new IllegalArgumentException("unexpected argument " + a + " (options are --name value)");
        }
        String name = a.substring(2);
        if (name.equals("no-gc") || name.equals("no-speed-probe") || name.equals("help") || name.equals("dry-run")) {
          args.values.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
          continue;
        }
        if (i + 1 >= argv.length) {
          throw new IllegalArgumentException(a + " needs a value");
        }
        args.values.computeIfAbsent(name, k -> new ArrayList<>()).add(argv[++i]);
      }
      if (args.has("help")) {
        System.out.println("see the Javadoc of " + Main.class.getName() + " and benchmarks/README.md");
        System.exit(0);
      }
      return args;
    }

    boolean has(String name) {
      return values.containsKey(name);
    }

    String get(String name, String fallback) {
      List<String> v = values.get(name);
      return v == null ? fallback : v.get(v.size() - 1);
    }

    List<String> all(String name) {
      return values.getOrDefault(name, List.of());
    }

    List<String> list(String name, String fallback) {
      List<String> list = new ArrayList<>();
      for (String part : get(name, fallback).split(",")) {
        if (!part.isBlank()) {
          list.add(part.trim());
        }
      }
      return list;
    }
  }
}
