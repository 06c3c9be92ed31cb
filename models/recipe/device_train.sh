#!/usr/bin/env bash
# Trains several variants of the world model side by side on one GPU, then runs the GPU checks.
# This is how the shipped model was trained (one run on a lent H200, see docs/model.md).
#   models/recipe/device_train.sh DATA.npz OUT_DIR [SECONDS]
# Writes OUT_DIR/weights.tar (w-<name>.npz weights + w-<name>.json training logs + logs) and
# OUT_DIR/gpu-checks.txt.
set -uo pipefail
DATA="$1"
OUT="$2"
BUDGET="${3:-270}"
DEVICE="${DEVICE:-cuda}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PY="${PYTHON:-python3}"
export PYTHONUNBUFFERED=1
W=/tmp/foresight-train
mkdir -p "$OUT" "$W"
common=(--data "$DATA" --device "$DEVICE" --batch "${BATCH:-256}" --rollout 8 --lr 1e-3
  --warmup 500 --iterations 60000 --time-budget "$BUDGET" --log-every 1000 --val-episodes 100
  --seed 0 --threads 3)
# name latent_dim pred_hidden w_tf w_roll
variants=("A 64 256 1 1" "B 32 128 1 1" "C 32 128 5 5" "D 32 256 1 1")
pids=()
for v in "${variants[@]}"; do
  set -- $v
  "$PY" "$HERE/train.py" "${common[@]}" --latent-dim "$2" --pred-hidden "$3" --w-tf "$4" \
    --w-roll "$5" --out "$W/w-$1.npz" --log "$W/w-$1.json" >"$W/log-$1.txt" 2>&1 &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
for v in "${variants[@]}"; do
  set -- $v
  echo "=== variant $1 (latent $2, predictor hidden $3, w_tf $4, w_roll $5)"
  grep -v '^{"it"' "$W/log-$1.txt" | tail -12 | cut -c1-1500
  grep '^{"it"' "$W/log-$1.txt" | tail -2
done
(cd "$W" && tar cf "$OUT/weights.tar" w-* log-*)
"$PY" "$HERE/gpu_checks.py" --weights "$W/w-A.npz" --data "$DATA" >"$OUT/gpu-checks.txt" 2>&1
cat "$OUT/gpu-checks.txt"
