#!/usr/bin/env bash
# Runs one scenario for each client on a memcached of its own (fresh, same flags as the main run:
# -m 1024 -t 2), so that no client's items share a slab class, and so an LRU, with another
# client's. Prints each client's throughput and memcached's LRU moves per operation.
#
# Why: in the main run all clients share one server. memcached's segmented LRU keeps about 40% of
# a slab class's items in WARM; a client whose 10,000 hot items are alone in their class (memjcache's
# envelopes make its items a class larger than the peers') sees about half of its reads move an item
# between COLD and WARM, under LRU locks, while a peer whose items share a class with two other
# clients' cold items reads them all from WARM. See benchmarks/README.md, "Shared server".
#
#   benchmarks/isolated.sh OUTDIR --scenarios getall --sizes 100 --clients memjcache,xmemcached,folsom-binary
# (runner options after OUTDIR; --clients is required, and the jar must be built, see run.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
out="$1"
shift
clients=""
args=()
while [[ $# -gt 0 ]]; do
  if [[ "$1" == "--clients" ]]; then clients="$2"; shift 2; else args+=("$1"); shift; fi
done
[[ -n "$clients" ]] || { echo "--clients is required" >&2; exit 2; }
command -v memcached >/dev/null || { echo "memcached is not installed" >&2; exit 2; }
mkdir -p "$out"
user=()
[[ "$(id -u)" -eq 0 ]] && user=(-u memcache)
port=$((20000 + RANDOM % 20000))

stats() { # prints memcached's general and per-class counters: name value
  python3 - "$port" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
for cmd in (b"stats\r\n", b"stats items\r\n"):
    s.sendall(cmd)
    data = b""
    while not data.endswith(b"END\r\n"):
        data += s.recv(65536)
    for line in data.decode().splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "STAT":
            print(parts[1], parts[2])
PY
}

IFS=, read -r -a names <<< "$clients"
for client in "${names[@]}"; do
  memcached "${user[@]}" -m 1024 -t 2 -l "127.0.0.1:$port" &
  mc=$!
  trap 'kill $mc 2>/dev/null || true' EXIT
  for _ in $(seq 1 50); do stats >/dev/null 2>&1 && break; sleep 0.1; done
  java -jar benchmarks/target/benchmarks.jar --servers "127.0.0.1:$port" --out "$out/$client" --clients "$client" \
    --no-speed-probe "${args[@]}" > "$out/$client.log" 2>&1 &
  runner=$!
  # counters from the first measurement iteration to the end of the fork
  for _ in $(seq 1 600); do grep -qs "^Iteration   1" "$out/$client"/logs/*.log && break; sleep 0.1; done
  stats > "$out/$client.stats-before"
  wait "$runner"
  stats > "$out/$client.stats-after"
  kill "$mc"
  wait "$mc" 2>/dev/null || true
  trap - EXIT
done

python3 - "$out" "${names[@]}" <<'PY'
import json, sys
out, names = sys.argv[1], sys.argv[2:]
def load(path):
    return dict(line.split() for line in open(path) if len(line.split()) == 2)
print(f"{'client':<16}{'benchmark':<34}{'ops/s':>10}{'COLD->WARM moves per key read':>31}{'memcached CPU per key read':>28}")
for name in names:
    results = json.load(open(f"{out}/{name}/results.json"))
    before, after = load(f"{out}/{name}.stats-before"), load(f"{out}/{name}.stats-after")
    gets = int(after["cmd_get"]) - int(before["cmd_get"])
    moves = sum(int(v) - int(before.get(k, 0)) for k, v in after.items() if k.endswith(":moves_to_warm"))
    cpu = sum(float(after[k]) - float(before[k]) for k in ("rusage_user", "rusage_system"))
    # counters cover the measurement iterations and the fork's end: run one benchmark per client
    for b in results:
        score = b["primaryMetric"]["score"]
        bench = b["benchmark"].split(".")[-2] + "." + b["benchmark"].split(".")[-1] + f" {b['params']['valueSize']} B t{b['threads']}"
        if gets < 10_000:  # a write benchmark: the counters say nothing per read
            print(f"{name:<16}{bench:<34}{score:>10,.0f}{'-':>31}{'-':>28}")
        else:
            print(f"{name:<16}{bench:<34}{score:>10,.0f}{moves / gets:>31.2f}{cpu / gets * 1e6:>25.2f} us")
PY
