#!/usr/bin/env bash
# utils/snapshot-latency.sh -- what back-to-back BGSAVEs add to client latency,
# with the cost of watching them kept out of the comparison.
#
#   utils/snapshot-latency.sh [--keys 1000000] [--requests 400000] [--rounds 2]
#                             [--servers 'ringkv redis'] [--poll-ms 20]
#
# Why this exists: ../shared/bench/snapshot.sh measures the write load's p99
# once with no BGSAVE and once while BGSAVEs run back to back, but only in
# the second run does it poll INFO (from bash, on the client's CPU, every 5
# to 20 ms).  Each poll takes the saturated redis-benchmark off its CPU for
# about a millisecond, which by itself lifts the p99 to 3-4x, with or without
# a save.  Here every server runs three phases of the same write load
# (redis-benchmark -t set -r KEYS -d 16 -c 50 -P 1, server on CPU 0, clients
# on CPU 1):
#   alone    the load, nothing else;
#   polled   the load plus INFO persistence polled every --poll-ms;
#   bgsave   the same, and each poll that sees no save running starts one.
# bgsave/polled is what the snapshots cost the clients.  Figures are printed
# side by side; nothing is asserted.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/.." && pwd)
KEYS=1000000 REQS=400000 ROUNDS=2 SERVERS="ringkv redis" POLL_MS=20
while (($#)); do
  case $1 in
    --keys) KEYS=$2; shift 2 ;;
    --requests) REQS=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --servers) SERVERS=$2; shift 2 ;;
    --poll-ms) POLL_MS=$2; shift 2 ;;
    *) sed -n '2,21p' "$0"; exit 1 ;;
  esac
done
command -v redis-benchmark >/dev/null && command -v redis-server >/dev/null ||
  { echo "needs redis-benchmark and redis-server (apt-get install redis-server redis-tools)" >&2; exit 1; }
make -C "$TOP/src" >/dev/null
PORT=7391
WORK=$(mktemp -d /tmp/ringkv-snaplat.XXXXXX)
SRV_PID=""
cleanup() {
  [[ -n "$SRV_PID" ]] && kill -9 "$SRV_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
taskset -pc 1 $$ >/dev/null   # this script and everything it starts: CPU 1

awk -v n="$KEYS" 'BEGIN { for (i = 0; i < n; i++)
  printf "*3\r\n$3\r\nSET\r\n$16\r\nkey:%012d\r\n$16\r\nval:%012d\r\n", i, i }' >"$WORK/data.resp"

start() {  # start ringkv|redis
  rm -rf "$WORK/dir"; mkdir "$WORK/dir"
  local cmd=("$TOP/src/ringkv-server")
  [[ $1 == redis ]] && cmd=(redis-server --appendonly no)
  (cd "$WORK/dir" && exec taskset -c 0 "${cmd[@]}" --port $PORT --bind 127.0.0.1 --save "" --dir "$WORK/dir" \
    >"$WORK/dir/log" 2>&1) &
  SRV_PID=$!
  for _ in $(seq 200); do redis-cli -p $PORT ping >/dev/null 2>&1 && break; sleep 0.05; done
  redis-cli -p $PORT --pipe <"$WORK/data.resp" >/dev/null
}
stop() { redis-cli -p $PORT shutdown nosave >/dev/null 2>&1 || true; wait "$SRV_PID" 2>/dev/null || true; SRV_PID=""; }

# poller MODE : INFO persistence every POLL_MS over one connection, read as
# the shared bench reads it (bash, byte by byte); in mode bgsave a poll that
# finds no save running starts the next one.  Runs until killed.
poller() {
  local mode=$1 line body n=0
  exec 3<>/dev/tcp/127.0.0.1/$PORT
  exec 4<> <(:)   # a pipe nobody writes: read -t on it sleeps without a fork
  while :; do
    printf '*2\r\n$4\r\nINFO\r\n$11\r\npersistence\r\n' >&3
    IFS= read -r line <&3; line=${line%$'\r'}
    IFS= read -r -N $((${line#\$} + 2)) body <&3
    if [[ $mode == bgsave && $body == *rdb_bgsave_in_progress:0* ]]; then
      printf '*1\r\n$6\r\nBGSAVE\r\n' >&3; IFS= read -r line <&3; n=$((n + 1))
      echo "$n" >"$WORK/bgsaves"
    fi
    read -r -t "$(printf '0.%03d' "$POLL_MS")" -u 4 || true
  done
}

# load PHASE : runs the write load, prints "p50 p99 max rps"
load() {
  local pp="" out
  [[ $1 != alone ]] && { poller "$1" & pp=$!; }
  out=$(redis-benchmark -p $PORT -t set -r "$KEYS" -d 16 -c 50 -P 1 -n "$REQS" 2>/dev/null | tr '\r' '\n')
  [[ -n "$pp" ]] && { kill "$pp"; wait "$pp" 2>/dev/null || true; }
  awk '/throughput summary:/ { rps = $3 } /avg +min +p50/ { getline; p50 = $3; p99 = $5; mx = $6 }
       END { print p50, p99, mx, rps }' <<<"$out"
}

printf '%-7s %-6s %-7s %8s %8s %8s %10s\n' server round phase p50_ms p99_ms max_ms rps
for ((r = 1; r <= ROUNDS; r++)); do
  for s in $SERVERS; do
    start "$s"
    for phase in alone polled bgsave; do
      echo 0 >"$WORK/bgsaves"
      read -r p50 p99 mx rps <<<"$(load $phase)"
      printf '%-7s %-6s %-7s %8s %8s %8s %10s' "$s" "$r" "$phase" "$p50" "$p99" "$mx" "$rps"
      [[ $phase == bgsave ]] && printf '   (%s BGSAVEs started)' "$(cat "$WORK/bgsaves")"
      echo
      [[ $phase == bgsave ]] && until [[ "$(redis-cli -p $PORT info persistence | tr -d '\r' | grep rdb_bgsave_in_progress)" == *:0 ]]; do sleep 0.1; done
    done
    stop
  done
done
