#!/usr/bin/env python3
"""Summarises a JFR recording of a benchmark: where the CPU samples and the allocations go.
The JMH control thread ("main", which also runs the runner's speed probe) is left out, and so are
the first --skip-seconds (default 3) of the recording. JMH starts the recording with the first
measurement iteration, yet its first seconds are not steady state: in a TLS profile every sample of
the JDK's Java GHASH path (19% of the I/O thread over the whole recording) fell in the first 3 s of
12, none later, while -XX:+PrintIntrinsics shows the intrinsic compiled in by then.

    python3 jfr_summary.py RECORDING.jfr [--top 15] [--skip-seconds 3] [--title TEXT] >> summary.md

Uses the JDK's `jfr` tool (`jfr print --json`). Prints markdown:
- execution samples per thread group (benchmark threads, memjcache/Netty I/O threads, others);
- the top frames by self samples (the method on top of the stack) in each group;
- where benchmark and I/O threads sit in native code (jdk.NativeMethodSample: waits and syscalls);
- the top memjcache methods by inclusive samples (anywhere on the stack);
- the allocation samples (jdk.ObjectAllocationSample, weighted by bytes) by allocated class and by
  the first memjcache (or client library) frame that allocated.
"""

import argparse
import collections
import datetime
import json
import re
import subprocess
import sys

LAMBDA = re.compile(r"\$\$Lambda\$[0-9]+\+0x[0-9a-f]+[./][0-9]+")

OWN_PREFIXES = ("io.memjcache.",)
LIBRARY_PREFIXES = ("io.memjcache.", "net.spy.", "net.rubyeye.", "com.google.code.yanf4j.", "com.spotify.folsom.")


def events(path, types):
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "64", "--events", ",".join(types), path],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["recording"]["events"]


def frame_name(frame):
    method = frame.get("method") or {}
    cls = (method.get("type") or {}).get("name", "?").replace("/", ".")
    cls = LAMBDA.sub("$$Lambda", cls)
    return f"{cls}.{method.get('name', '?')}"


def start_seconds(event):
    """Seconds since the epoch of an event's startTime (ISO-8601 from jfr --json)."""
    stamp = event["values"].get("startTime")
    if not stamp:
        return None
    date, _, rest = stamp.partition("T")
    clock = rest.rstrip("Z")
    hours, minutes, seconds = clock.split(":")
    y, mo, d = (int(x) for x in date.split("-"))
    days = datetime_days(y, mo, d)
    return days * 86400 + int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def datetime_days(y, mo, d):
    return (datetime.date(y, mo, d) - datetime.date(1970, 1, 1)).days


def steady(events_list, skip_seconds):
    """The events after the first skip_seconds of the recording (the earliest event marks its start)."""
    stamps = [start_seconds(e) for e in events_list]
    known = [t for t in stamps if t is not None]
    if not known or skip_seconds <= 0:
        return events_list
    cut = min(known) + skip_seconds
    return [e for e, t in zip(events_list, stamps) if t is None or t >= cut]


def frames(event):
    stack = event["values"].get("stackTrace") or {}
    return [frame_name(f) for f in stack.get("frames") or []]


def thread_group(event):
    thread = event["values"].get("sampledThread") or event["values"].get("eventThread") or {}
    name = thread.get("javaName") or thread.get("osName") or "?"
    if name.startswith("memjcache-io"):
        return "memjcache I/O threads (Netty event loops)"
    if "jmh-worker" in name:
        return "benchmark threads (callers)"
    if name.startswith("nioEventLoopGroup") or name.startswith("epollEventLoopGroup") or "folsom" in name.lower():
        return "peer I/O threads"
    if name.startswith("Memcached IO") or name.startswith("Xmemcached") or "Reactor" in name:
        return "peer I/O threads"
    return "other (" + name.split("-")[0] + ")"


def short(name):
    parts = name.split(".")
    # keep the class and method, shorten the package: io.memjcache.internal.client.X.m -> i.m.i.c.X.m
    if len(parts) > 3:
        return ".".join(p[0] for p in parts[:-2]) + "." + ".".join(parts[-2:])
    return name


def pct(n, total):
    return f"{100.0 * n / total:.1f}%" if total else "–"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("recording")
    ap.add_argument("--top", type=int, default=12)
    ap.add_argument("--skip-seconds", type=float, default=3.0,
                    help="leave out events from the first seconds of the recording (default 3)")
    ap.add_argument("--title")
    a = ap.parse_args()

    all_samples = events(a.recording, ["jdk.ExecutionSample"])
    start = min((t for t in map(start_seconds, all_samples) if t is not None), default=None)
    samples = [e for e in steady(all_samples, a.skip_seconds) if not thread_group(e).startswith("other (main")]
    natives = [e for e in events(a.recording, ["jdk.NativeMethodSample"])
               if start is None or (start_seconds(e) or start) >= start + a.skip_seconds]
    allocations = [e for e in events(a.recording, ["jdk.ObjectAllocationSample"])
                   if start is None or (start_seconds(e) or start) >= start + a.skip_seconds]
    out = []
    if a.title:
        out.append(f"#### {a.title}")
        out.append("")
    out.append("JFR:")
    out.append("")
    total = len(samples)
    out.append(f"{total} execution samples after the first {a.skip_seconds:g} s of the recording (Java code running "
               "on a CPU; time blocked in the kernel, parked or in epoll_wait is not sampled).")
    out.append("")
    by_group = collections.defaultdict(list)
    for e in samples:
        by_group[thread_group(e)].append(e)
    out.append("| thread group | samples | share |")
    out.append("|---|---:|---:|")
    for g, es in sorted(by_group.items(), key=lambda kv: -len(kv[1])):
        out.append(f"| {g} | {len(es)} | {pct(len(es), total)} |")
    out.append("")

    for g, es in sorted(by_group.items(), key=lambda kv: -len(kv[1])):
        if len(es) < max(20, total * 0.05):
            continue
        self_counts = collections.Counter()
        for e in es:
            f = frames(e)
            if f:
                self_counts[f[0]] += 1
        out.append(f"Top self frames, {g} ({len(es)} samples):")
        out.append("")
        out.append("| frame | self | share of group |")
        out.append("|---|---:|---:|")
        for name, n in self_counts.most_common(a.top):
            out.append(f"| `{short(name)}` | {n} | {pct(n, len(es))} |")
        out.append("")

    if natives:
        by = collections.Counter()
        for e in natives:
            g = thread_group(e)
            if g.startswith("other"):
                continue
            f = frames(e)
            by[(g, f[0] if f else "?")] += 1
        n = sum(by.values())
        out.append(f"Threads found in native code ({n} jdk.NativeMethodSample samples of benchmark and I/O threads; "
                   "these are waits and syscalls, not CPU):")
        out.append("")
        out.append("| thread group | native frame | samples | share |")
        out.append("|---|---|---:|---:|")
        for (g, f), c in by.most_common(8):
            out.append(f"| {g} | `{short(f)}` | {c} | {pct(c, n)} |")
        out.append("")

    inclusive = collections.Counter()
    for e in samples:
        seen = set()
        for f in frames(e):
            if f.startswith(LIBRARY_PREFIXES) and not f.startswith("io.memjcache.benchmarks") and f not in seen:
                seen.add(f)
                inclusive[f] += 1
    if inclusive:
        out.append("Top client-library methods by inclusive samples (on the stack anywhere), all threads:")
        out.append("")
        out.append("| method | inclusive | share of all samples |")
        out.append("|---|---:|---:|")
        for name, n in inclusive.most_common(a.top):
            out.append(f"| `{short(name)}` | {n} | {pct(n, total)} |")
        out.append("")

    if allocations:
        weight_by_class = collections.Counter()
        weight_by_site = collections.Counter()
        total_weight = 0
        for e in allocations:
            v = e["values"]
            w = v.get("weight") or 0
            total_weight += w
            cls = (v.get("objectClass") or {}).get("name", "?")
            weight_by_class[cls] += w
            fs = frames(e)
            site = next((f for f in fs if f.startswith(LIBRARY_PREFIXES) and not f.startswith("io.memjcache.benchmarks")),
                        fs[0] if fs else "?")
            weight_by_site[site] += w
        out.append(f"Allocation samples ({len(allocations)} samples, weighted by bytes) by class:")
        out.append("")
        out.append("| class | share of bytes |")
        out.append("|---|---:|")
        for cls, w in weight_by_class.most_common(8):
            out.append(f"| `{cls}` | {pct(w, total_weight)} |")
        out.append("")
        out.append("by the first client-library frame on the allocating stack:")
        out.append("")
        out.append("| allocating method | share of bytes |")
        out.append("|---|---:|")
        for site, w in weight_by_site.most_common(a.top):
            out.append(f"| `{short(site)}` | {pct(w, total_weight)} |")
        out.append("")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
