package io.memjcache.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A snapshot of Linux CPU counters (jiffies): the whole machine's busy and total time from
 * {@code /proc/stat}, and the time used by the benchmark's own processes (this JVM plus the pids
 * in {@value #OWN_PIDS_PROPERTY}: memcached and the runner). The difference between two snapshots
 * tells how much CPU the benchmark used and how much other processes took from it. Off Linux every
 * value is 0 and {@link #available()} is false.
 */
final class CpuSample {
  /** Comma-separated pids whose CPU counts as the benchmark's own (memcached, the runner JVM). */
  static final String OWN_PIDS_PROPERTY = "memjcache.bench.ownPids";

  final long busy;
  final long total;
  final long steal;
  final long self;
  final long others;
  final boolean available;

  private CpuSample(long busy, long total, long steal, long self, long others, boolean available) {
    this.busy = busy;
    this.total = total;
    this.steal = steal;
    this.self = self;
    this.others = others;
    this.available = available;
  }

  boolean available() {
    return available;
  }

  static CpuSample now() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long user = Long.parseLong(f[1]);
      long nice = Long.parseLong(f[2]);
      long system = Long.parseLong(f[3]);
      long idle = Long.parseLong(f[4]);
      long iowait = Long.parseLong(f[5]);
      long irq = Long.parseLong(f[6]);
      long softirq = Long.parseLong(f[7]);
      long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
      // irq and softirq time (loopback networking, largely) is charged to no process: it is left
      // out of "busy" so that it never looks like foreign work.
      long busy = user + nice + system;
      long total = busy + irq + softirq + idle + iowait + steal;
      long self = processTime("self");
      long others = 0;
      for (String pid : ownPids()) {
        others += processTime(pid);
      }
      return new CpuSample(busy, total, steal, self, others, true);
    } catch (IOException | RuntimeException e) {
      return new CpuSample(0, 0, 0, 0, 0, false);
    }
  }

  private static List<String> ownPids() {
    List<String> pids = new ArrayList<>();
    String list = System.getProperty(OWN_PIDS_PROPERTY, "");
    for (String pid : list.split(",")) {
      if (!pid.isBlank()) {
        pids.add(pid.trim());
      }
    }
    return pids;
  }

  /** utime + stime of a process (all its threads), 0 if it is gone. */
  private static long processTime(String pid) {
    try {
      String stat = Files.readString(Path.of("/proc", pid, "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of proc(5)
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** Cores' worth of CPU per interval: jiffies divided by wall-clock jiffies of one core. */
  private double cores(long jiffies, CpuSample later) {
    long wall = later.total - total;
    int cpus = Runtime.getRuntime().availableProcessors();
    return wall <= 0 ? 0 : jiffies * (double) cpus / wall;
  }

  /** Cores used by this JVM between this sample and {@code later}. */
  double selfCores(CpuSample later) {
    return cores(later.self - self, later);
  }

  /** Cores used by the other own processes (memcached, runner). */
  double ownOthersCores(CpuSample later) {
    return cores(later.others - others, later);
  }

  /** Cores used by processes that are not part of the benchmark: the disturbance. */
  double foreignCores(CpuSample later) {
    long foreign = (later.busy - busy) - (later.self - self) - (later.others - others);
    return Math.max(0, cores(foreign, later));
  }

  /** Cores the hypervisor took (steal time). */
  double stealCores(CpuSample later) {
    return cores(later.steal - steal, later);
  }
}
