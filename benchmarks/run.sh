#!/usr/bin/env bash
# Builds the benchmarks, runs the whole suite against the memcached servers it starts (plaintext and
# TLS), and writes the results tables and charts. About 13.5 minutes (build included) on an otherwise idle 2-core
# machine. Usage, from anywhere:
#   benchmarks/run.sh [--out DIR] [runner options, see benchmarks/README.md]
# Results go to benchmarks/results/ (and into the README's results section) unless --out is given.
set -euo pipefail
cd "$(dirname "$0")/.."

out=benchmarks/results
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  if [[ "${args[$i]}" == "--out" ]]; then out="${args[$((i + 1))]}"; fi
done

mvn -B -q -Pbenchmarks -pl benchmarks -am package -DskipTests

commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if ! git diff --quiet HEAD -- provider 2>/dev/null; then commit="$commit+uncommitted-provider-changes"; fi

status=0
java -jar benchmarks/target/benchmarks.jar --out "$out" --commit "$commit" "$@" || status=$?

# The chart needs matplotlib: use a python3 that has it (Debian: apt-get install python3-matplotlib).
py=python3
for candidate in python3 /usr/bin/python3; do
  if "$candidate" -c "import matplotlib" 2>/dev/null; then py="$candidate"; break; fi
done
if [[ ! -f "$out/results.json" ]]; then
  echo "no results in $out: nothing to report" >&2
elif [[ "$out" == benchmarks/results ]]; then
  "$py" benchmarks/report.py "$out" --readme benchmarks/README.md
else
  "$py" benchmarks/report.py "$out"
fi
exit "$status"
