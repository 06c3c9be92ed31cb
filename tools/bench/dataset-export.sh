#!/usr/bin/env bash
# Measures `foresight dataset export` on this machine: a broker of its own, STREAMS simulated cameras
# publishing FRAMES frames each with their actions and readings (`foresight ingest sim`, as fast as
# possible), then the export of all of them in episodes of STEPS frames.
#
#   tools/bench/dataset-export.sh [STREAMS] [FRAMES] [STEPS]     # default 16 13000 40: 200k transitions
#
# Prints the export's own timing line and writes its manifest under target/bench-export/.
set -euo pipefail
cd "$(dirname "$0")/../.."
STREAMS=${1:-16}; FRAMES=${2:-13000}; STEPS=${3:-40}
WORK=target/bench-export
rm -rf "$WORK"; mkdir -p "$WORK"
PORT=19093
./foresight broker --port $PORT --dir "$WORK/kafka" >"$WORK/broker.log" 2>&1 &
BROKER=$!
trap 'kill $BROKER 2>/dev/null; wait $BROKER 2>/dev/null || true; rm -rf "$WORK/kafka" "$WORK/out"' EXIT
for _ in $(seq 60); do grep -q "broker ready" "$WORK/broker.log" && break; sleep 1; done
echo "publishing $STREAMS x $FRAMES frames"
start=$(date +%s)
./foresight ingest sim --bootstrap localhost:$PORT --streams "$STREAMS" --frames "$FRAMES" --fps 0 \
  --stream-prefix cam >"$WORK/ingest.log" 2>&1
echo "published in $(( $(date +%s) - start )) s"
./foresight dataset export --bootstrap localhost:$PORT --streams 'cam.*' --steps "$STEPS" \
  --out "$WORK/out" >"$WORK/manifest.json" 2>"$WORK/export.log"
grep "^wrote" "$WORK/export.log"
