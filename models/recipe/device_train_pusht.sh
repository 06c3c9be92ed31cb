#!/usr/bin/env bash
# One call on a lent GPU: trains Push-T variants side by side, and (optionally) the Two-Rooms recipe
# on data exported from the topics (issue 17), then evaluates every Push-T variant on the held-out
# sets. Everything runs at once on the one GPU (each process holds its data on the GPU; the models
# are small, so the processes share it well).
#
#   models/recipe/device_train_pusht.sh CARRY_DIR OUT_DIR [SECONDS]
#
# CARRY_DIR holds the recorded folders as xz'd tars (`tar -c -C data push-t | xz -6 -T2 >
# push-t.tar.xz`; lzma packs these frames 2.6-3x smaller than the .npz's deflate): push-t.tar.xz
# (training), push-t-heldout.tar.xz (seed 1001), push-t-surprise.tar.xz (seed 2001 with
# violations), and optionally two-rooms-export.tar.xz (a `foresight dataset export` folder).
# Each variant trains for SECONDS (default 300) with its cosine schedule ending then
# (--anneal-seconds). Writes OUT_DIR/pusht-*.tar (weights .npz, logs .json, held-out
# metrics), OUT_DIR/two-rooms-export.tar and OUT_DIR/summary.txt.
set -uo pipefail
CARRY="$1"
OUT="$2"
BUDGET="${3:-300}"
DEVICE="${DEVICE:-cuda}"
BATCH="${BATCH:-256}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PY="${PYTHON:-python3}"
EVAL_TIMEOUT="${EVAL_TIMEOUT:-150}"
export PYTHONUNBUFFERED=1
W=/tmp/foresight-pusht
rm -rf "$W"
mkdir -p "$OUT" "$W"
start=$(date +%s)
D=/tmp/foresight-data
mkdir -p "$D"
upids=()
for f in "$CARRY"/*.tar.xz; do
  "$PY" -c "import sys, tarfile; t = tarfile.open(sys.argv[1]); t.extraction_filter = getattr(tarfile, 'data_filter', None); t.extractall(sys.argv[2])" "$f" "$D" &
  upids+=($!)
done
for p in "${upids[@]}"; do wait "$p" || { echo "could not unpack the data in $CARRY"; exit 1; }; done
echo "unpacked in $(( $(date +%s) - start )) s: $(ls "$D")"
pids=()
if [ -d "$D/two-rooms-export" ]; then
  # the shipped Two-Rooms recipe (variant C of docs/model.md), only the data differs
  "$PY" "$HERE/train.py" --data "$D/two-rooms-export" --device "$DEVICE" --batch "$BATCH" \
    --rollout 8 --lr 1e-3 --warmup 500 --iterations 60000 --time-budget "$BUDGET" --log-every 1000 \
    --val-episodes 100 --seed 0 --threads 2 --latent-dim 32 --pred-hidden 128 --w-tf 5 --w-roll 5 \
    --out "$W/tr-export.npz" --log "$W/tr-export.json" >"$W/log-tr-export.txt" 2>&1 &
  pids+=($!)
fi
# name, then the options that make the variant (docs/model.md "The block's angle")
variants=(
  "A"
  "D --contact-frac 0.5"
  "G --w-nce 0.5 --nce-kind slow --nce-gap 30 --nce-shift 12"
  "E --w-nce 0.5 --nce-kind slow --nce-gap 30 --nce-shift 12 --contact-frac 0.5"
  "K --w-nce 0.5 --nce-kind slow --nce-gap 30 --nce-shift 12 --keypoints 32 --rollout 8"
  "H --w-nce 1.0 --nce-kind slow --nce-gap 50 --nce-shift 16 --contact-frac 0.25"
)
for v in "${variants[@]}"; do
  set -- $v
  name=$1
  shift
  "$PY" "$HERE/pusht_train.py" --data "$D/push-t" --device "$DEVICE" --batch "$BATCH" \
    --rollout 4 --lr 1e-3 --warmup 200 --iterations 100000 --time-budget "$BUDGET" \
    --anneal-seconds "$BUDGET" --checkpoint-every 1000000 --log-every 500 --seed 0 --threads 2 \
    --latent-dim 32 --pred-hidden 256 "$@" --out "$W/pt-$name.npz" >"$W/log-pt-$name.txt" 2>&1 &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
echo "trained in $(( $(date +%s) - start )) s"
epids=()
for v in "${variants[@]}"; do
  set -- $v
  if [ -f "$W/pt-$1.npz" ]; then
    OMP_NUM_THREADS=2 timeout "$EVAL_TIMEOUT" "$PY" "$HERE/pusht_evaluate.py" --weights "$W/pt-$1.npz" \
      --data "$D/push-t-heldout" --surprise-data "$D/push-t-surprise" \
      --json "$W/pt-$1-heldout.json" >"$W/log-eval-$1.txt" 2>&1 &
    epids+=($!)
  fi
done
for p in "${epids[@]}"; do wait "$p"; done
echo "evaluated at $(( $(date +%s) - start )) s"
{
  for f in "$W"/log-*.txt; do
    echo "=== $(basename "$f")"
    grep -v '^{"it"' "$f" | tail -6 | cut -c1-2000
    grep '^{"it"' "$f" | tail -1
  done
} >"$OUT/summary.txt"
cat "$OUT/summary.txt"
pack() { # pack TAR NAME...: each variant's weights, training log, held-out metrics and console logs
  local tar=$1 files=()
  shift
  for n in "$@"; do
    for f in "pt-$n.npz" "pt-$n.json" "pt-$n-heldout.json" "log-pt-$n.txt" "log-eval-$n.txt"; do
      [ -f "$W/$f" ] && files+=("$f")
    done
  done
  [ ${#files[@]} -gt 0 ] && (cd "$W" && tar cf "$OUT/$tar" "${files[@]}")
}
pack pusht-1.tar A D G
pack pusht-2.tar E K H
[ -f "$W/tr-export.npz" ] && (cd "$W" && tar cf "$OUT/two-rooms-export.tar" tr-export.npz tr-export.json log-tr-export.txt)
ls -la "$OUT"
