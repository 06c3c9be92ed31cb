#!/usr/bin/env bash
# CPU per latent through Kafka: broker + memory serve + memory feed on this machine; reads the
# memory JVM's utime+stime from /proc over a fixed window after warm-up (see docs/benchmarks.md,
# "CPU per latent through Kafka").
#
#   memory-store/bench/cpu-per-latent.sh [--warmup S] [--window S] [--robots N] [--fps F] [--dir D]
#                                        [--jfr] [-- extra 'memory serve' args, e.g. -o key=value]
set -euo pipefail
HERE="$(cd "$(dirname "$0")/../.." && pwd)"
WARMUP=30 WINDOW=60 ROBOTS=64 FPS=10 DIR=/tmp/memcpu-bench PORT=19092 HTTP=18090 JFR=0
while [ $# -gt 0 ]; do
  case "$1" in
    --warmup) WARMUP=$2; shift 2;; --window) WINDOW=$2; shift 2;;
    --robots) ROBOTS=$2; shift 2;; --fps) FPS=$2; shift 2;;
    --dir) DIR=$2; shift 2;; --port) PORT=$2; shift 2;; --http-port) HTTP=$2; shift 2;;
    --jfr) JFR=1; shift;; --) shift; break;; *) echo "unknown $1" >&2; exit 2;;
  esac
done
rm -rf "$DIR"; mkdir -p "$DIR"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
"$HERE/foresight" broker --port "$PORT" --dir "$DIR/kafka" >"$DIR/broker.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 120); do grep -q -i 'ready\|started' "$DIR/broker.log" 2>/dev/null && break; sleep 1; done
"$HERE/foresight" memory serve --bootstrap "127.0.0.1:$PORT" --state-dir "$DIR/mem" \
  --http-port "$HTTP" "$@" >"$DIR/memory.out" 2>"$DIR/memory.log" &
MEMPID=$!; PIDS+=($MEMPID)
for _ in $(seq 180); do grep -q 'foresight-memory ready' "$DIR/memory.out" && break; sleep 1; done
grep -q 'foresight-memory ready' "$DIR/memory.out" || { echo "memory not ready" >&2; tail "$DIR/memory.log" >&2; exit 1; }
# the memory JVM: the java process whose parent chain is MEMPID (the launcher execs java)
JPID=$MEMPID
"$HERE/foresight" memory feed --bootstrap "127.0.0.1:$PORT" --robots "$ROBOTS" --fps "$FPS" \
  --seconds $((WARMUP + WINDOW + 10)) >"$DIR/feed.log" 2>&1 &
PIDS+=($!)
sleep "$WARMUP"
tick=$(getconf CLK_TCK)
cpu() { awk '{print $14+$15}' /proc/$JPID/stat; }
stored() { curl -s "http://127.0.0.1:$HTTP/metrics" | awk '/^foresight_memory_latents_stored_total/ {print $2}'; }
# per-thread CPU: task ids mapped to Java thread names through jcmd's nid (comm is cut at 15 chars)
threads() {
  jcmd "$JPID" Thread.print 2>/dev/null | sed -n 's/^"\([^"]*\)".* nid=\(0x[0-9a-f]*\).*/\2 \1/p' >"$DIR/names"
  for t in /proc/$JPID/task/*; do
    tid=$(basename "$t"); nid=$(printf '0x%x' "$tid")
    name=$(awk -v n="$nid" '$1 == n {$1=""; print substr($0, 2); exit}' "$DIR/names")
    [ -n "$name" ] || name=$(sed 's/^[0-9]* (\(.*\)) .*/\1/' "$t/stat")
    echo "$(echo "$name" | sed 's/[0-9a-f]\{8\}-[0-9a-f-]*-//; s/ /_/g; s/[0-9][0-9]*/N/g') $(sed 's/^.*) //' "$t/stat" | awk '{print $12+$13}')"
  done | awk '{a[$1]+=$2} END {for (k in a) print k, a[k]}' | sort
}
threads >"$DIR/threads0"
c0=$(cpu); s0=$(stored); t0=$(date +%s.%N)
[ "$JFR" = 1 ] && jcmd "$JPID" JFR.start duration=$((WINDOW < 30 ? WINDOW : 30))s filename="$DIR/memory.jfr" settings=profile >/dev/null
sleep "$WINDOW"
c1=$(cpu); s1=$(stored); t1=$(date +%s.%N)
threads >"$DIR/threads1"
echo "cpu seconds by thread in the window:"
join "$DIR/threads0" "$DIR/threads1" | awk -v tick="$(getconf CLK_TCK)" '{d=($3-$2)/tick; if (d>0.2) printf "  %-60s %6.2f\n", $1, d}' | sort -k2 -rn
awk -v c0="$c0" -v c1="$c1" -v s0="$s0" -v s1="$s1" -v t0="$t0" -v t1="$t1" -v tick="$tick" -v target="$((ROBOTS))*$FPS" 'BEGIN {
  cpu = (c1 - c0) / tick; n = s1 - s0; secs = t1 - t0; split(target, a, "*"); rate = a[1] * a[2];
  printf "window=%.1fs latents=%d (%.1f/s) cpu=%.2fs cores=%.3f cpu_ms_per_latent=%.3f cores_at_%d/s=%.3f\n",
    secs, n, n / secs, cpu, cpu / secs, 1000 * cpu / n, rate, rate * cpu / n }'
sleep 12
tail -1 "$DIR/feed.log"
curl -s "http://127.0.0.1:$HTTP/metrics" | grep -E '^foresight_memory_(latents_stored|duplicates|deadletters|actions_stored|signals_stored)' || true
