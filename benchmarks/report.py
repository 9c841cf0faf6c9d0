#!/usr/bin/env python3
"""Turns a benchmark run (JMH's results.json plus the runner's run.json) into results.md and chart.png.

    python3 report.py RESULTS_DIR [--extra DIR ...] [--out-md FILE] [--out-png FILE] [--readme README.md]

RESULTS_DIR holds results.json and run.json from `java -jar benchmarks.jar --out RESULTS_DIR`.
--extra adds runs whose peers count too (for example the peers' binary-protocol variants); their
rows are marked with the run they come from. The chart needs matplotlib (Debian:
apt-get install python3-matplotlib); without it only the markdown is written.

Ratios are what the README claims: every scenario compares memjcache with the best peer measured
in the same run, on the same memcached.
"""

import argparse
import json
import math
import os
import sys

MEMJCACHE = "memjcache"
INTERNAL = "memjcache-client"
ENCRYPTED = "memjcache-encrypted"
OURS = (MEMJCACHE, INTERNAL, "memjcache-tls", "memjcache-client-tls", ENCRYPTED)
LABELS = {
    MEMJCACHE: "memjcache (JCache)",
    INTERNAL: "memjcache-client (internal)",
    "memjcache-tls": "memjcache (JCache) TLS",
    "memjcache-client-tls": "memjcache-client (internal) TLS",
    ENCRYPTED: "memjcache (JCache) encrypted",
}
CLIENT_ORDER = [MEMJCACHE, "memjcache-tls", ENCRYPTED, INTERNAL, "memjcache-client-tls", "spymemcached",
                "spymemcached-binary", "xmemcached", "xmemcached-binary", "folsom", "folsom-tls", "folsom-binary",
                "folsom-binary-tls", "elasticache", "elasticache-tls"]
# Each client with a TLS variant: (plaintext client, the same over TLS).
TLS_PAIRS = [(MEMJCACHE, "memjcache-tls"), (INTERNAL, "memjcache-client-tls"), ("folsom", "folsom-tls"),
             ("folsom-binary", "folsom-binary-tls"), ("elasticache", "elasticache-tls")]
TLS_CLIENTS = {t for _, t in TLS_PAIRS}
# Clients outside the plaintext comparison of issue 7 (its peers are spymemcached, XMemcached and
# Folsom): the TLS and encrypted variants, and the ElastiCache client, measured only as TLS's twin.
VARIANTS = TLS_CLIENTS | {ENCRYPTED, "elasticache"}
TLS_TARGET = 0.75
ENCRYPTION_TARGET = 0.90


def label(client):
    return LABELS.get(client, client)


def load(directory):
    """JMH's results and the runner's run.json. A run that died part-way has no results.json: then the
    per-benchmark results the runner wrote to logs/ (one JMH JSON list each) are merged."""
    path = os.path.join(directory, "results.json")
    partial = None
    if os.path.exists(path):
        with open(path) as f:
            results = json.load(f)
    else:
        logs = os.path.join(directory, "logs")
        names = sorted(n for n in os.listdir(logs) if n.endswith(".json")) if os.path.isdir(logs) else []
        if not names:
            sys.exit(f"{directory} has neither results.json nor logs/*.json")
        results = []
        for n in names:
            with open(os.path.join(logs, n)) as f:
                results.extend(json.load(f))
        partial = f"no results.json (the run stopped part-way): the {len(results)} results in logs/*.json"
        print(f"{directory}: {partial}", file=sys.stderr)
    with open(os.path.join(directory, "run.json")) as f:
        run = json.load(f)
    if partial:
        run["partial"] = partial
    return results, run


class Row:
    """One benchmark result."""

    def __init__(self, entry, source):
        self.bench = entry["benchmark"].rsplit(".", 2)[-2] + "." + entry["benchmark"].rsplit(".", 1)[-1]
        self.client = entry["params"]["client"]
        self.size = int(entry["params"]["valueSize"])
        self.threads = entry["threads"]
        pm = entry["primaryMetric"]
        self.score = pm["score"]
        raw = [x for fork in pm.get("rawData", []) for x in fork]
        self.spread = (min(raw), max(raw)) if raw else (self.score, self.score)
        sec = entry.get("secondaryMetrics", {})

        def metric(name):
            m = sec.get(name)
            return None if m is None or m.get("score") is None or (isinstance(m["score"], float) and math.isnan(m["score"])) else m["score"]

        self.alloc = metric("gc.alloc.rate.norm")
        self.p50 = metric("latency:p0.50")
        self.p99 = metric("latency:p0.99")
        self.p999 = metric("latency:p0.999")
        def raw_of(name):
            m = sec.get(name)
            return [x for fork in (m or {}).get("rawData", []) for x in fork]

        # EncryptionPairBenchmark: both sides' time, summed per iteration
        self.plain_nanos = metric("plainNanos")
        self.encrypted_nanos = metric("encryptedNanos")
        self.pairs = metric("pairs")
        self.pair_iterations = [p / e for p, e in zip(raw_of("plainNanos"), raw_of("encryptedNanos")) if e]
        self.cpu_client = metric("cpu.client")
        self.cpu_server = metric("cpu.server")
        self.foreign = metric("cpu.foreign")
        self.speed = metric("cpu.speed")
        self.source = source

    @property
    def key(self):
        return (self.bench, self.size, self.threads)

    def client_cpu_us(self):
        """Client-side CPU time per operation, microseconds."""
        if self.cpu_client is None or not self.score:
            return None
        return self.cpu_client / self.score * 1e6


def fmt_ops(x):
    if x is None:
        return "–"
    if x >= 100_000:
        return f"{x / 1000:,.0f}k"
    if x >= 10_000:
        return f"{x / 1000:,.1f}k"
    return f"{x:,.0f}"


def fmt_ratio(x):
    return "–" if x is None else f"{x:.2f}×"


def fmt_us(x):
    if x is None:
        return "–"
    if x >= 1000:
        return f"{x / 1000:.1f} ms"
    if x >= 100:
        return f"{x:.0f} µs"
    return f"{x:.1f} µs"


def fmt_bytes(x):
    return "–" if x is None else f"{x:,.0f}"


def sorted_clients(clients):
    return sorted(clients, key=lambda c: (CLIENT_ORDER.index(c) if c in CLIENT_ORDER else 99, c))


def best_peer(rows):
    peers = [r for r in rows if r.client not in OURS]
    return max(peers, key=lambda r: r.score) if peers else None


def group(rows):
    groups = {}
    for r in rows:
        groups.setdefault(r.key, []).append(r)
    return groups


def throughput_table(out, groups, bench, unit_scale=1, unit="ops/s", disturbed=None):
    keys = sorted(k for k in groups if k[0] == bench)
    if not keys:
        return
    clients = sorted_clients({r.client for k in keys for r in groups[k]})
    out.append("| value | threads | " + " | ".join(label(c) for c in clients)
               + " | best peer | memjcache ÷ best peer | internal ÷ best peer |")
    out.append("|---|---:|" + "---:|" * len(clients) + "---|---:|---:|")
    for k in keys:
        by = {r.client: r for r in groups[k]}
        best = best_peer(groups[k])
        cells = []
        for c in clients:
            r = by.get(c)
            if r is None:
                cells.append("–")
                continue
            mark = " ⚠" if disturbed and disturbed(r) else ""
            cells.append(fmt_ops(r.score * unit_scale) + mark)
        ours = by.get(MEMJCACHE)
        internal = by.get(INTERNAL)
        out.append(f"| {k[1]} B | {k[2]} | " + " | ".join(cells)
                   + f" | {label(best.client) if best else '–'}"
                   + f" | **{fmt_ratio(ours.score / best.score) if ours and best else '–'}**"
                   + f" | {fmt_ratio(internal.score / best.score) if internal and best else '–'} |")
    out.append("")
    out.append(f"Throughput in {unit}" + (" (keys per second = calls × 100)" if unit_scale != 1 else "")
               + "; ⚠ = disturbed: other processes used more CPU than the limit during the measurement, or"
               " the machine ran slower than the limit (`cpu.speed`, see the README).")
    out.append("")


def latency_table(out, groups, bench):
    keys = sorted(k for k in groups if k[0] == bench)
    if not keys:
        return
    clients = sorted_clients({r.client for k in keys for r in groups[k]})
    out.append("| value | threads | " + " | ".join(label(c) for c in clients) + " |")
    out.append("|---|---:|" + "---|" * len(clients))
    for k in keys:
        by = {r.client: r for r in groups[k]}
        cells = []
        for c in clients:
            r = by.get(c)
            cells.append("–" if r is None else f"{fmt_us(r.p50)} / {fmt_us(r.p99)} / {fmt_us(r.p999)}")
        out.append(f"| {k[1]} B | {k[2]} | " + " | ".join(cells) + " |")
    out.append("")
    out.append("p50 / p99 / p99.9 of every operation of the measurement iterations.")
    out.append("")


def resource_table(out, groups, bench, title):
    keys = sorted(k for k in groups if k[0] == bench)
    if not keys:
        return
    clients = sorted_clients({r.client for k in keys for r in groups[k]})
    out.append(f"{title}")
    out.append("")
    out.append("| value | threads | " + " | ".join(label(c) for c in clients) + " |")
    out.append("|---|---:|" + "---|" * len(clients))
    for k in keys:
        by = {r.client: r for r in groups[k]}
        cells = []
        for c in clients:
            r = by.get(c)
            if r is None:
                cells.append("–")
            else:
                cpu = r.client_cpu_us()
                cells.append(f"{fmt_bytes(r.alloc)} B, {'–' if cpu is None else f'{cpu:.1f}'} µs")
        out.append(f"| {k[1]} B | {k[2]} | " + " | ".join(cells) + " |")
    out.append("")


def spread(ours, theirs):
    """The ratio's range over the measurement iterations: worst of ours ÷ best of theirs .. the reverse."""
    if not theirs.spread[1] or not theirs.spread[0]:
        return None
    return ours.spread[0] / theirs.spread[1], ours.spread[1] / theirs.spread[0]


def targets(groups, rows):
    """(target, scenario, measured, required, met) for every target of issue 7 this run can check."""
    result = []

    def ratio_vs_best(bench, size, threads, client=MEMJCACHE):
        g = groups.get((bench, size, threads))
        if not g:
            return None, None, None
        by = {r.client: r for r in g}
        best = best_peer(g)
        if client not in by or best is None:
            return None, None, None
        return by[client].score / best.score, best.client, spread(by[client], best)

    sizes = sorted({r.size for r in rows})
    for method in ("get", "put"):
        for threads in (1, 4):
            for size in sizes:
                ratio, peer, rng = ratio_vs_best("SyncBenchmark." + method, size, threads)
                if ratio is not None:
                    result.append((f"sync {method} ≥ best peer", f"{size} B, {threads} thread(s), vs {peer}", ratio, 1.0, rng))
    for size in sizes:
        g = groups.get(("SyncBenchmark.get", size, 128))
        if g:
            by = {r.client: r for r in g}
            if MEMJCACHE in by and "xmemcached" in by:
                result.append(("sync get, 128 threads ≥ XMemcached", f"{size} B",
                               by[MEMJCACHE].score / by["xmemcached"].score, 1.0, spread(by[MEMJCACHE], by["xmemcached"])))
    for size in sizes:
        a = {r.client: r for r in groups.get(("AsyncBenchmark.get", size, 1), [])}
        s128 = {r.client: r for r in groups.get(("SyncBenchmark.get", size, 128), [])}
        if "spymemcached" in a:
            spy = a["spymemcached"].score
            if MEMJCACHE in a:
                result.append(("async get (128 in flight) ≥ 2× spymemcached",
                               f"{size} B, memjcache JCache AsyncCache.getAsync",
                               a[MEMJCACHE].score / spy, 2.0, spread(a[MEMJCACHE], a["spymemcached"])))
            if MEMJCACHE in s128 and MEMJCACHE not in a:  # only without an AsyncCache figure
                result.append(("async get (128 in flight) ≥ 2× spymemcached",
                               f"{size} B, memjcache JCache: 128 threads, sync get",
                               s128[MEMJCACHE].score / spy, 2.0, spread(s128[MEMJCACHE], a["spymemcached"])))
            if INTERNAL in a:
                result.append(("async get (128 in flight) ≥ 2× spymemcached",
                               f"{size} B, memjcache-client (internal) async API",
                               a[INTERNAL].score / spy, 2.0, spread(a[INTERNAL], a["spymemcached"])))
    for size in sizes:
        ratio, peer, rng = ratio_vs_best("GetAllBenchmark.getAll", size, 1)
        if ratio is not None:
            result.append(("getAll(100) ≥ 2× best peer (keys/s)", f"{size} B, vs {peer}", ratio, 2.0, rng))
    for size in sizes:
        for threads in (1, 4, 128):
            g = groups.get(("SyncBenchmark.get", size, threads))
            if not g:
                continue
            by = {r.client: r for r in g}
            peers = [r for r in g if r.client not in OURS and r.alloc is not None]
            if MEMJCACHE in by and by[MEMJCACHE].alloc is not None and peers:
                low = min(peers, key=lambda r: r.alloc)
                result.append(("allocation per get < every peer (memjcache ÷ lowest peer)", f"{size} B, {threads} thread(s), vs {low.client}"
                               f" ({by[MEMJCACHE].alloc:,.0f} vs {low.alloc:,.0f} B/op)",
                               by[MEMJCACHE].alloc / low.alloc if low.alloc else None, 1.0, None, True))
    return result


def pair_ratio(all_groups, key, plain, variant):
    """(variant ÷ plain, iteration range, variant row, plain row) for one benchmark configuration, or None."""
    by = {r.client: r for r in all_groups.get(key, [])}
    if plain not in by or variant not in by or not by[plain].score:
        return None
    return by[variant].score / by[plain].score, spread(by[variant], by[plain]), by[variant], by[plain]


PAIRED = "EncryptionPairBenchmark."
PAIRED_ORDER = ["get", "put", "getAll"]


def paired_rows(all_groups):
    """The rows of the paired encryption benchmark, in table order."""
    rows = [r for g in all_groups.values() for r in g
            if r.bench.startswith(PAIRED) and r.plain_nanos and r.encrypted_nanos and r.pairs]
    return sorted(rows, key=lambda r: (PAIRED_ORDER.index(r.bench[len(PAIRED):]) if r.bench[len(PAIRED):] in PAIRED_ORDER
                                       else 9, r.threads, r.size))


def paired_ratio(r):
    """(encrypted ÷ plain throughput = plain time ÷ encrypted time, iteration range) of one paired row."""
    rng = (min(r.pair_iterations), max(r.pair_iterations)) if r.pair_iterations else None
    return r.plain_nanos / r.encrypted_nanos, rng


def security_targets(all_groups):
    """The TLS and value-encryption targets of issue 7, as rows for the targets table."""
    result = []
    sizes = sorted({k[1] for k in all_groups})
    for size in sizes:
        p = pair_ratio(all_groups, ("AsyncBenchmark.get", size, 1), INTERNAL, "memjcache-client-tls")
        if p:
            result.append((f"TLS: pipelined get ≥ {TLS_TARGET:.2f}× own plaintext",
                           f"{size} B, memjcache-client (internal), 128 in flight", p[0], TLS_TARGET, p[1]))
        p = pair_ratio(all_groups, ("AsyncBenchmark.get", size, 1), MEMJCACHE, "memjcache-tls")
        if p:
            result.append((f"TLS: pipelined get ≥ {TLS_TARGET:.2f}× own plaintext",
                           f"{size} B, memjcache JCache AsyncCache.getAsync, 128 in flight", p[0], TLS_TARGET, p[1]))
        p = pair_ratio(all_groups, ("SyncBenchmark.get", size, 128), MEMJCACHE, "memjcache-tls")
        if p:
            result.append((f"TLS: pipelined get ≥ {TLS_TARGET:.2f}× own plaintext",
                           f"{size} B, memjcache JCache, 128 threads (sync get)", p[0], TLS_TARGET, p[1]))
    paired = paired_rows(all_groups)
    for r in paired:
        ratio, rng = paired_ratio(r)
        op = r.bench[len(PAIRED):]
        result.append((f"encryption: ≤ 10% slower (encrypted ÷ plain ≥ {ENCRYPTION_TARGET:.2f}×)",
                       f"{'getAll(100)' if op == 'getAll' else 'sync ' + op}, {r.size} B, {r.threads} thread(s);"
                       " paired in one fork", ratio, ENCRYPTION_TARGET, rng))
    if paired:
        return result
    for method in ("get", "put"):
        for threads in (1, 4, 128):
            for size in sizes:
                p = pair_ratio(all_groups, ("SyncBenchmark." + method, size, threads), MEMJCACHE, ENCRYPTED)
                if p:
                    result.append((f"encryption: ≤ 10% slower (encrypted ÷ plain ≥ {ENCRYPTION_TARGET:.2f}×)",
                                   f"sync {method}, {size} B, {threads} thread(s)", p[0], ENCRYPTION_TARGET, p[1]))
    for size in sizes:
        p = pair_ratio(all_groups, ("GetAllBenchmark.getAll", size, 1), MEMJCACHE, ENCRYPTED)
        if p:
            result.append((f"encryption: ≤ 10% slower (encrypted ÷ plain ≥ {ENCRYPTION_TARGET:.2f}×)",
                           f"getAll(100), {size} B", p[0], ENCRYPTION_TARGET, p[1]))
    return result


def tls_section(out, all_groups, disturbed, runs):
    """Tables of the TLS scenarios: each client's TLS throughput, TLS ÷ its own plaintext, and memjcache vs the peers."""
    benches = [("Synchronous get", "SyncBenchmark.get"), ("Asynchronous get, 128 in flight", "AsyncBenchmark.get"),
               ("getAll of 100 keys", "GetAllBenchmark.getAll")]
    if not any(r.client in TLS_CLIENTS for g in all_groups.values() for r in g):
        return
    out.append("### Over TLS")
    out.append("")
    tls_run = next((run.get("tls") for _, run in runs if run.get("tls")), None)
    if tls_run:
        out.append(f"Server: {tls_run.get('launch', '')}; memcached {tls_run.get('version', '?')}; settings: "
                   + ", ".join(f"{k}={v}" for k, v in tls_run.get("settings", {}).items())
                   + ("; counters over the run: " + ", ".join(f"{k}={v:,}" if isinstance(v, int) else f"{k}={v}"
                                                               for k, v in tls_run["countersDuringRun"].items())
                      if tls_run.get("countersDuringRun") else "") + ".")
        out.append("")
    out.append("Each cell: the client's throughput over TLS, and in brackets TLS ÷ the same client's plaintext "
               "throughput in this run (same benchmark, value size and threads). Only get: memcached before 1.6.39 "
               "stalls pipelined sets over TLS (see the README). XMemcached and spymemcached have no TLS.")
    out.append("")
    for title, bench in benches:
        keys = sorted(k for k in all_groups if k[0] == bench
                      and any(r.client in TLS_CLIENTS for r in all_groups[k]))
        if not keys:
            continue
        pairs = [(p, t) for p, t in TLS_PAIRS if any(r.client == t for k in keys for r in all_groups[k])]
        async_extra = bench == "AsyncBenchmark.get"
        out.append(f"#### {title} over TLS")
        out.append("")
        cols = [label(t) + (" (async)" if async_extra else "") for _, t in pairs]
        if async_extra:
            cols.append(label("memjcache-tls") + " (128 threads, sync)")
        unit = "keys/s" if bench.startswith("GetAll") else "ops/s"
        scale = 100 if bench.startswith("GetAll") else 1
        out.append("| value | threads | " + " | ".join(cols) + " | best peer over TLS | memjcache ÷ best peer, both TLS |")
        out.append("|---|---:|" + "---:|" * len(cols) + "---|---:|")
        for k in keys:
            cells = []
            tls_scores = {}
            for p, t in pairs:
                pr = pair_ratio(all_groups, k, p, t)
                row = next((r for r in all_groups[k] if r.client == t), None)
                if row is None:
                    cells.append("–")
                    continue
                tls_scores[t] = row.score
                mark = " ⚠" if disturbed(row) else ""
                cells.append(fmt_ops(row.score * scale) + mark + (f" ({fmt_ratio(pr[0])})" if pr else ""))
            if async_extra:
                pr = pair_ratio(all_groups, ("SyncBenchmark.get", k[1], 128), MEMJCACHE, "memjcache-tls")
                row = next((r for r in all_groups.get(("SyncBenchmark.get", k[1], 128), []) if r.client == "memjcache-tls"), None)
                cells.append("–" if row is None else fmt_ops(row.score) + (" ⚠" if disturbed(row) else "")
                             + (f" ({fmt_ratio(pr[0])})" if pr else ""))
                if row is not None:
                    tls_scores["memjcache-tls@128"] = row.score
            peers = {c: v for c, v in tls_scores.items() if c.split("@")[0] not in OURS}
            best = max(peers, key=peers.get) if peers else None
            ours = tls_scores.get("memjcache-tls") or (tls_scores.get("memjcache-client-tls") if async_extra else None)
            out.append(f"| {k[1]} B | {k[2]} | " + " | ".join(cells) + f" | {label(best) if best else '–'}"
                       + f" | **{fmt_ratio(ours / peers[best]) if ours and best else '–'}** |")
        out.append("")
        out.append(f"Throughput in {unit}" + ("; memjcache ÷ best peer uses the AsyncCache figure (the internal"
                                               " client's when that is missing)" if async_extra else "")
                   + "; ⚠ = disturbed (see the README).")
        out.append("")
        tls_groups = {k: [r for r in all_groups[k] if r.client in TLS_CLIENTS] for k in keys}
        if bench.startswith("SyncBenchmark") or bench.startswith("GetAll"):
            out.append("Latency over TLS:")
            out.append("")
            latency_table(out, tls_groups, bench)
        resource_table(out, tls_groups, bench, "Allocation and client CPU time per operation over TLS:")


def encryption_section(out, all_groups, disturbed, runs=()):
    order = ["SyncBenchmark.get", "SyncBenchmark.put", "GetAllBenchmark.getAll"]
    keys = sorted((k for k in all_groups if any(r.client == ENCRYPTED for r in all_groups[k])
                   and not k[0].startswith(PAIRED)),
                  key=lambda k: (order.index(k[0]) if k[0] in order else 9, k[1], k[2]))
    paired = paired_rows(all_groups)
    if not keys and not paired:
        return
    out.append("### Value encryption")
    out.append("")
    if paired:
        out.append("memjcache with value encryption (AES-256-GCM, a key ring made for the run, every other encryption "
                   "setting at its default: keys hashed) against the same cache without it, **paired in one fork**: the "
                   "JVM holds both caches (one manager, the same plaintext server), and every invocation does the "
                   "operation once on each, alternating which goes first, timing each side on its own. Both sides see "
                   "the same machine state; separate forks do not (this VM drifts between fast and slow phases).")
        out.append("")
        out.append("| operation | value | threads | plain, time per op | encrypted, time per op | encrypted ÷ plain "
                   "| iteration range | allocation per pair | client CPU per pair |")
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|")
        for r in paired:
            ratio, rng = paired_ratio(r)
            op = r.bench[len(PAIRED):]
            cpu = r.client_cpu_us()
            out.append(f"| {'getAll(100)' if op == 'getAll' else op} | {r.size} B | {r.threads}"
                       f" | {fmt_us(r.plain_nanos / r.pairs / 1000)} | {fmt_us(r.encrypted_nanos / r.pairs / 1000)}"
                       f"{' ⚠' if disturbed(r) else ''} | **{fmt_ratio(ratio)}**"
                       f" | {'–' if not rng else f'{rng[0]:.2f}–{rng[1]:.2f}'} | {fmt_bytes(r.alloc)} B"
                       f" | {'–' if cpu is None else f'{cpu:.1f} µs'} |")
        out.append("")
        out.append("encrypted ÷ plain = plain time ÷ encrypted time (the throughput ratio). Target: at most 10% slower, "
                   "i.e. ≥ 0.90×. Times are means over the measurement iterations, all threads; allocation and CPU "
                   "cover one pair (both sides).")
        out.append("")
        if not keys:
            return
        out.append("Separate forks (`--clients memjcache,memjcache-encrypted`), for reference:")
        out.append("")
    out.append("memjcache with value encryption (AES-256-GCM, a key ring made for the run, every other encryption "
               "setting at its default: keys hashed) against the same cache without it, on the same plaintext server, "
               "run back to back.")
    out.append("")
    for _, run in runs:
        if run.get("encryption"):
            out.append(f"Key ring: {run['encryption']}.")
            out.append("")
            break
    out.append("| operation | value | threads | memjcache (JCache) | encrypted | encrypted ÷ plain | iteration range "
               "| allocation plain / encrypted | client CPU plain / encrypted |")
    out.append("|---|---|---:|---:|---:|---:|---:|---|---|")
    for k in keys:
        p = pair_ratio(all_groups, k, MEMJCACHE, ENCRYPTED)
        enc = next(r for r in all_groups[k] if r.client == ENCRYPTED)
        plain = next((r for r in all_groups[k] if r.client == MEMJCACHE), None)
        scale = 100 if k[0].startswith("GetAll") else 1
        op = {"SyncBenchmark.get": "get", "SyncBenchmark.put": "put", "GetAllBenchmark.getAll": "getAll(100), keys/s"}.get(k[0], k[0])

        def cpu(r):
            c = None if r is None else r.client_cpu_us()
            return "–" if c is None else f"{c:.1f} µs"

        out.append(f"| {op} | {k[1]} B | {k[2]} | {fmt_ops(plain.score * scale) + (' ⚠' if disturbed(plain) else '') if plain else '–'}"
                   f" | {fmt_ops(enc.score * scale)}{' ⚠' if disturbed(enc) else ''}"
                   f" | **{fmt_ratio(p[0]) if p else '–'}** | {'–' if not p or not p[1] else f'{p[1][0]:.2f}–{p[1][1]:.2f}'}"
                   f" | {fmt_bytes(plain.alloc if plain else None)} / {fmt_bytes(enc.alloc)} B"
                   f" | {cpu(plain)} / {cpu(enc)} |")
    out.append("")
    out.append("Target: at most 10% slower, i.e. encrypted ÷ plain ≥ 0.90×. Allocation per operation from JMH `-prof gc`.")
    out.append("")


def header(run):
    m = run["machine"]
    mc = run["memcached"]
    lines = [
        f"- date: {run['date']}; duration {run.get('durationSeconds', '?')} s",
        f"- machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory']} RAM, {m['os']}; {run['jvm']}",
        f"- memcached {mc['version']}: `{mc['launch']}`",
        "- memcached settings: " + ", ".join(f"{k}={v}" for k, v in mc.get("settings", {}).items()),
        f"- memjcache commit: {run.get('memjcacheCommit', 'unknown')}",
        f"- JMH {run['jmh']['version']}: {run['jmh']['forks']} fork, warmup {run['jmh']['warmup']}, measurement "
        f"{run['jmh']['measurement']}, fork JVM args `{run['jmh']['jvmArgs']}`, profilers: {', '.join(run['jmh']['profilers'])}",
        f"- key space: {run['keys']:,} keys per client and value size, pre-populated; values {', '.join(run['valueSizes'])} B;"
        " every get checks the value's length and the key index stored in its first and last bytes (a miss fails the run)",
    ]
    counters = mc.get("countersDuringRun")
    if counters:
        lines.append("- memcached counters over the run: " + ", ".join(f"{k}={v:,}" if isinstance(v, int) else f"{k}={v}"
                                                                     for k, v in counters.items()))
    d = run.get("disturbance")
    if d:
        n = sum(1 for v in d["perBenchmark"].values() if v["disturbed"])
        lines.append(f"- disturbance: a benchmark counts as disturbed when other processes took more than {d['limitCores']} cores"
                     f" during a measurement iteration, or the machine's speed probe fell below {d.get('minSpeed', '–')}"
                     f" of the reference; disturbed benchmarks were rerun once while the budget allowed ({d['retries']} reruns);"
                     f" still disturbed: {n} of {len(d['perBenchmark'])}")
    if run.get("partial"):
        lines.append(f"- **partial run**: {run['partial']}")
    if run.get("failed"):
        lines.append(f"- **FAILED benchmarks**: {', '.join(run['failed'])}")
    return lines


def write_markdown(path, rows, groups, runs, disturbed_limit, min_speed, all_groups=None):
    all_groups = all_groups if all_groups is not None else groups
    out = []
    main_run = runs[0][1]
    out.append(f"<!-- generated by benchmarks/report.py from {', '.join(d for d, _ in runs)}; do not edit -->")
    out.append("")
    out.append("### Run")
    out.append("")
    for d, run in runs:
        if len(runs) > 1:
            out.append(f"Run `{d}`:")
            out.append("")
        out.extend(header(run))
        out.append("")
    out.append("Client settings (everything not listed is the library's default):")
    out.append("")
    clients = {}
    for _, run in runs:
        clients.update(run.get("clients", {}))
    for c in sorted_clients(clients):
        out.append(f"- **{label(c)}**: {clients[c]}")
    out.append("")

    def disturbed(r):
        return ((r.foreign is not None and r.foreign > disturbed_limit)
                or (r.speed is not None and r.speed < min_speed))

    tg = targets(groups, rows) + security_targets(all_groups)
    if tg:
        out.append("### Targets of issue 7")
        out.append("")
        out.append("| target | scenario | measured ratio | iteration range | required | met |")
        out.append("|---|---|---:|---:|---:|:---:|")
        for t in tg:
            name, scenario, ratio, required, rng = t[:5]
            rng_text = "–" if rng is None else f"{rng[0]:.2f}–{rng[1]:.2f}"
            if len(t) > 5:  # allocation: ratio is memjcache ÷ the lowest peer, lower is better
                out.append(f"| {name} | {scenario} | {fmt_ratio(ratio)} | {rng_text} | < 1.00× | {'yes' if ratio is not None and ratio < required else '**no**'} |")
            else:
                out.append(f"| {name} | {scenario} | {fmt_ratio(ratio)} | {rng_text} | ≥ {required:.2f}× | {'yes' if ratio >= required else '**no**'} |")
        out.append("")
        out.append("The iteration range is the ratio's worst and best case over the measurement iterations "
                   "(our slowest iteration ÷ the fastest of what it is compared with — the peer, or the same client in plaintext — and the reverse): a target is only clearly met "
                   "or missed when the whole range is on one side.")
        out.append("")

    sections = [
        ("Synchronous get", "SyncBenchmark.get", 1),
        ("Synchronous put", "SyncBenchmark.put", 1),
        ("Asynchronous get, 128 in flight", "AsyncBenchmark.get", 1),
        ("getAll of 100 keys", "GetAllBenchmark.getAll", 100),
    ]
    for title, bench, scale in sections:
        if not any(k[0] == bench for k in groups):
            continue
        out.append(f"### {title}")
        out.append("")
        if bench == "AsyncBenchmark.get":
            out.append("One thread keeps 128 gets in flight through each client's future-based API: for memjcache "
                       "(JCache) that is `cache.unwrap(AsyncCache.class).getAsync(key)`. The synchronous get from 128 "
                       "threads (also 128 requests in flight) is shown beside it, and is XMemcached's only figure (it "
                       "has no future-based get).")
            out.append("")
            extra = []
            for size in sorted({k[1] for k in groups if k[0] == bench}):
                for c in (MEMJCACHE, "xmemcached"):
                    for r in groups.get(("SyncBenchmark.get", size, 128), []):
                        if r.client == c:
                            extra.append((size, c, r.score))
            async_groups = {k: v for k, v in groups.items() if k[0] == bench}
            keys = sorted(async_groups)
            clients = sorted_clients({r.client for k in keys for r in async_groups[k]})
            cols = clients + [c + "@128threads" for c in (MEMJCACHE, "xmemcached") if any(e[1] == c for e in extra)]
            out.append("| value | " + " | ".join(label(c.replace("@128threads", "")) + (" (128 threads, sync)" if "@" in c else " (async)")
                                                  for c in cols) + " | best peer | memjcache (JCache, AsyncCache) ÷ spymemcached"
                       " | memjcache-client ÷ spymemcached | memjcache (JCache, 128 threads) ÷ spymemcached |")
            out.append("|---|" + "---:|" * len(cols) + "---|---:|---:|---:|")
            for k in keys:
                by = {r.client: r.score for r in async_groups[k]}
                for size, c, score in extra:
                    if size == k[1]:
                        by[c + "@128threads"] = score
                peers = {c: s for c, s in by.items() if c.split("@")[0] not in OURS}
                best = max(peers, key=peers.get) if peers else None
                spy = by.get("spymemcached")
                out.append(f"| {k[1]} B | " + " | ".join(fmt_ops(by.get(c)) for c in cols)
                           + f" | {best.replace('@128threads', ' (128 threads)') if best else '–'}"
                           + f" | **{fmt_ratio(by[MEMJCACHE] / spy) if spy and MEMJCACHE in by else '–'}**"
                           + f" | {fmt_ratio(by[INTERNAL] / spy) if spy and INTERNAL in by else '–'}"
                           + f" | {fmt_ratio(by[MEMJCACHE + '@128threads'] / spy) if spy and MEMJCACHE + '@128threads' in by else '–'} |")
            out.append("")
            out.append("Completed, checked gets per second.")
            out.append("")
        else:
            throughput_table(out, groups, bench, scale, "keys/s" if scale != 1 else "ops/s", disturbed)
        if bench.startswith("SyncBenchmark"):
            out.append("Latency:")
            out.append("")
            latency_table(out, groups, bench)
        resource_table(out, groups, bench,
                       "Allocation (JMH `-prof gc`, all threads of the client JVM, per operation) and client CPU time per operation:")
    tls_section(out, all_groups, disturbed, runs)
    encryption_section(out, all_groups, disturbed, runs)
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def write_chart(path, rows, groups, run):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is missing (Debian: apt-get install python3-matplotlib; then run with /usr/bin/python3): "
              "no chart written", file=sys.stderr)
        return False
    scenarios = []
    for key in sorted(groups, key=lambda k: (["SyncBenchmark.get", "SyncBenchmark.put", "AsyncBenchmark.get",
                                               "GetAllBenchmark.getAll"].index(k[0]) if k[0] in (
            "SyncBenchmark.get", "SyncBenchmark.put", "AsyncBenchmark.get", "GetAllBenchmark.getAll") else 9, k[1], k[2])):
        g = groups[key]
        best = best_peer(g)
        if best is None:
            continue
        name = {"SyncBenchmark.get": "get", "SyncBenchmark.put": "put", "AsyncBenchmark.get": "async get",
                "GetAllBenchmark.getAll": "getAll(100)"}.get(key[0], key[0])
        if key[0].startswith("Sync"):
            name += f" t{key[2]}"
        name += f"\n{key[1]} B"
        scenarios.append((name, {r.client: r.score / best.score for r in g}))
    clients = sorted_clients({c for _, s in scenarios for c in s})
    fig, ax = plt.subplots(figsize=(max(10, len(scenarios) * 0.9), 5.5))
    width = 0.8 / max(1, len(clients))
    colors = {MEMJCACHE: "#d62728", INTERNAL: "#ff9896"}
    palette = ["#1f77b4", "#aec7e8", "#2ca02c", "#98df8a", "#9467bd", "#c5b0d5", "#8c564b"]
    p = 0
    for i, c in enumerate(clients):
        if c not in colors:
            colors[c] = palette[p % len(palette)]
            p += 1
        xs = [j + (i - (len(clients) - 1) / 2) * width for j in range(len(scenarios))]
        ys = [s.get(c, 0) for _, s in scenarios]
        ax.bar(xs, ys, width, label=label(c), color=colors[c])
    ax.axhline(1.0, color="black", linewidth=0.8, linestyle="--")
    ax.set_xticks(range(len(scenarios)))
    ax.set_xticklabels([n for n, _ in scenarios], fontsize=8)
    ax.set_ylabel("throughput ÷ best peer (same run)")
    m = run["machine"]
    mc = run["memcached"]
    ax.set_title(f"memjcache vs Java memcached clients — {run['date'][:10]}, {m['nproc']} CPUs {m['cpu']}, "
                 f"memcached {mc['version']} ({mc['launch'].split(' -l')[0].replace('memcached ', '')})", fontsize=9)
    ax.legend(fontsize=8, ncol=4, loc="upper left")
    top = max((max(s.values()) for _, s in scenarios), default=1)
    if top > 4:  # a few large ratios would flatten the rest
        ax.set_yscale("log")
        ax.set_ylim(0.05, top * 1.5)
    else:
        ax.set_ylim(0, max(2.2, top * 1.15))
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return True


def write_security_chart(path, all_groups, run):
    """TLS ÷ plaintext per client and encrypted ÷ plain, per scenario, with the targets as lines."""
    bars = []  # (scenario label, series label, ratio)
    order = ["SyncBenchmark.get", "SyncBenchmark.put", "AsyncBenchmark.get", "GetAllBenchmark.getAll"]
    for key in sorted(all_groups, key=lambda k: (order.index(k[0]) if k[0] in order else 9, k[1], k[2])):
        name = {"SyncBenchmark.get": "get", "SyncBenchmark.put": "put", "AsyncBenchmark.get": "async get",
                "GetAllBenchmark.getAll": "getAll(100)"}.get(key[0], key[0])
        if key[0].startswith("Sync"):
            name += f" t{key[2]}"
        name += f"\n{key[1]} B"
        for plain, variant in TLS_PAIRS + [(MEMJCACHE, ENCRYPTED)]:
            p = pair_ratio(all_groups, key, plain, variant)
            if p:
                bars.append((name, label(variant), p[0]))
    for r in paired_rows(all_groups):
        op = r.bench[len(PAIRED):]
        name = ("getAll(100)" if op == "getAll" else f"{op} t{r.threads}") + f"\n{r.size} B"
        bars.append((name, label(ENCRYPTED) + " (paired)", paired_ratio(r)[0]))
    if not bars:
        return False
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    scenarios = list(dict.fromkeys(b[0] for b in bars))
    series = sorted(dict.fromkeys(b[1] for b in bars), key=lambda l: [label(c) for c in CLIENT_ORDER].index(l)
                    if l in [label(c) for c in CLIENT_ORDER] else 99)
    fig, ax = plt.subplots(figsize=(max(10, len(scenarios) * 0.9), 5))
    width = 0.8 / max(1, len(series))
    palette = ["#d62728", "#ff9896", "#ff7f0e", "#1f77b4", "#aec7e8", "#2ca02c", "#9467bd"]
    for i, sname in enumerate(series):
        xs, ys = [], []
        for j, scen in enumerate(scenarios):
            v = next((b[2] for b in bars if b[0] == scen and b[1] == sname), None)
            if v is not None:
                xs.append(j + (i - (len(series) - 1) / 2) * width)
                ys.append(v)
        ax.bar(xs, ys, width, label=sname, color=palette[i % len(palette)])
    ax.axhline(TLS_TARGET, color="#d62728", linewidth=0.8, linestyle=":", label=f"TLS target {TLS_TARGET}")
    ax.axhline(ENCRYPTION_TARGET, color="#ff7f0e", linewidth=0.8, linestyle="--", label=f"encryption target {ENCRYPTION_TARGET}")
    ax.axhline(1.0, color="black", linewidth=0.6)
    ax.set_xticks(range(len(scenarios)))
    ax.set_xticklabels(scenarios, fontsize=8)
    ax.set_ylabel("variant ÷ the same client in plaintext (same run)")
    ax.set_ylim(0, max(1.3, max(b[2] for b in bars) * 1.35))  # room for the legend
    m = run["machine"]
    ax.set_title(f"TLS ÷ plaintext and encrypted ÷ plain — {run['date'][:10]}, {m['nproc']} CPUs {m['cpu']}", fontsize=9)
    ax.legend(fontsize=8, ncol=4, loc="upper left")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("results")
    ap.add_argument("--extra", action="append", default=[])
    ap.add_argument("--out-md")
    ap.add_argument("--out-png")
    ap.add_argument("--readme", help="also replace the text between <!-- results:start --> and "
                    "<!-- results:end --> in this file with the tables")
    a = ap.parse_args()
    runs = []
    rows = []
    for d in [a.results] + a.extra:
        results, run = load(d)
        runs.append((d, run))
        rows.extend(Row(e, d) for e in results)
    # one row per (benchmark, size, threads, client): the main run wins over extras
    seen = {}
    for r in rows:
        seen.setdefault((r.key, r.client), r)
    all_rows = list(seen.values())
    all_groups = group(all_rows)
    rows = [r for r in all_rows if r.client not in VARIANTS]
    groups = group(rows)
    limit = runs[0][1].get("disturbance", {}).get("limitCores", 0.2)
    min_speed = runs[0][1].get("disturbance", {}).get("minSpeed", 0.0)
    md = a.out_md or os.path.join(a.results, "results.md")
    png = a.out_png or os.path.join(a.results, "chart.png")
    write_markdown(md, rows, groups, runs, limit, min_speed, all_groups)
    print("wrote", md)
    if a.readme:
        with open(a.readme) as f:
            readme = f.read()
        start, end = "<!-- results:start -->", "<!-- results:end -->"
        if start not in readme or end not in readme:
            sys.exit(f"{a.readme} has no {start} ... {end} section")
        with open(md) as f:
            tables = f.read()
        before = readme[:readme.index(start) + len(start)]
        after = readme[readme.index(end):]
        with open(a.readme, "w") as f:
            f.write(before + "\n" + tables + "\n" + after)
        print("updated", a.readme)
    if write_chart(png, rows, groups, runs[0][1]):
        print("wrote", png)
    security_png = os.path.join(os.path.dirname(png), "chart-security.png")
    if write_security_chart(security_png, all_groups, runs[0][1]):
        print("wrote", security_png)


if __name__ == "__main__":
    main()
