#!/usr/bin/env bash
# utils/bench.sh -- side-by-side benchmarks of ringkv against Debian's
# redis-server, using the shared scripts in ../shared/bench (throughput,
# memory, snapshot).  Figures are ratios from one run; never assertions.
#
#   utils/bench.sh throughput [--rounds 3] [--only 'p1_set|p1_get|p16_set|p16_get']
#   utils/bench.sh memory [--keys 1000000] [--datasets strings]
#   utils/bench.sh snapshot [--sizes 1000000]
#
# Output goes to /tmp/ringkv-bench-<kind>-<date>/summary.txt.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/.." && pwd)
SHARED=${RINGKV_BENCH_DIR:-$TOP/../shared/bench}
[[ -d "$SHARED" ]] || { echo "bench scripts not found at $SHARED (set RINGKV_BENCH_DIR)" >&2; exit 1; }
kind=${1:-}; shift || true
make -C "$TOP/src" >/dev/null
A="$TOP/src/ringkv-server --port \$PORT --bind 127.0.0.1 --save '' --dir \$DIR"
B='redis-server --port $PORT --bind 127.0.0.1 --save "" --appendonly no --dir $DIR'
out=/tmp/ringkv-bench-$kind-$(date +%Y%m%d-%H%M%S)
case $kind in
  throughput) exec "$SHARED/throughput.sh" --a "$A" --b "$B" --out "$out" "$@" ;;
  memory)     exec "$SHARED/memory.sh" --a "$A" --b "$B" --out "$out" "$@" ;;
  snapshot)   exec "$SHARED/snapshot.sh" --a "$A" --b "$B" --out "$out" "$@" ;;
  *) sed -n '2,12p' "$0"; exit 1 ;;
esac
