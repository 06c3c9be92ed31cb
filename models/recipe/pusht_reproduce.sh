#!/usr/bin/env bash
# Reproduces the shipped Push-T world model (models/push-t) from scratch, resumably:
#   1. record training data with the Java recorder (foresight dataset record --world pusht,
#      seed 1, 1500 episodes x 100 steps, policy mixed: 70% noisy scripted pushes, 30% random walks),
#      and the held-out sets (seed 1001; seed 2001 with violations),
#   2. train in parts of --part SECONDS (models/recipe/pusht_train.py; --resume continues from the
#      checkpoint run/pusht/weights.ckpt: rerun this script after an interruption),
#   3. evaluate in Python, export encoder.onnx, predictor.onnx, model-card.json and golden vectors,
#   4. evaluate in the Java runtime (foresight eval parity|prediction|surprise --world pusht).
#
#   models/recipe/pusht_reproduce.sh [--device auto|cpu|cuda] [--iterations N] [--part SECONDS]
#                                    [--out DIR] [--install]
#
# The shipped model: 832 of these 900 iterations at batch 32 (stopped by a signal, learning rate
# already 1.7e-5) on 2 shared CPU cores, 32 minutes in two parts; see docs/model.md "Push-T model". Needs Java 17 and a built tree (mvn -B -q package -DskipTests),
# Debian's /usr/bin/python3 with python3-torch, python3-numpy, python3-onnx (or PYTHON=...).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PY="${PYTHON:-/usr/bin/python3}"
DEVICE=auto
ITERATIONS=900
PART=600
OUT="$ROOT/run/pusht"
INSTALL=0
while [ $# -gt 0 ]; do
  case "$1" in
    --device) DEVICE="$2"; shift 2 ;;
    --iterations) ITERATIONS="$2"; shift 2 ;;
    --part) PART="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --install) INSTALL=1; shift ;;
    -h|--help) sed -n 2,18p "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
FS="$ROOT/foresight"
DATA="$ROOT/data/push-t"
HELD="$ROOT/data/push-t-heldout"
SURP="$ROOT/data/push-t-surprise"
mkdir -p "$OUT"
echo "== 1/4 record"
[ -f "$DATA/manifest.json" ] || "$FS" dataset record --world pusht --episodes 1500 --steps 100 --seed 1 --out "$DATA"
[ -f "$HELD/manifest.json" ] || "$FS" dataset record --world pusht --episodes 200 --steps 100 --seed 1001 --out "$HELD"
[ -f "$SURP/manifest.json" ] || "$FS" dataset record --world pusht --episodes 200 --steps 100 --seed 2001 --violations 0.03 --out "$SURP"

echo "== 2/4 train ($ITERATIONS iterations, parts of ${PART}s, device $DEVICE)"
TRAIN=("$PY" "$ROOT/models/recipe/pusht_train.py" --data "$DATA" --out "$OUT/weights.npz"
  --device "$DEVICE" --seed 0 --batch 32 --rollout 4 --lr 1e-3 --warmup 50 --latent-dim 32
  --pred-hidden 256 --iterations "$ITERATIONS" --time-budget "$PART" --log-every 25)
done_it() { "$PY" -c "import torch,sys; print(torch.load(sys.argv[1])['it'])" "$OUT/weights.ckpt" 2>/dev/null || echo 0; }
while [ "$(done_it)" -lt "$ITERATIONS" ]; do
  if [ -f "$OUT/weights.ckpt" ]; then nice -n 5 "${TRAIN[@]}" --resume; else nice -n 5 "${TRAIN[@]}"; fi
done

echo "== 3/4 evaluate (Python) and export -> $OUT/push-t"
"$PY" "$ROOT/models/recipe/pusht_evaluate.py" --weights "$OUT/weights.npz" --data "$HELD" \
  --surprise-data "$SURP" --json "$OUT/metrics-python.json"
"$PY" "$ROOT/models/recipe/pusht_export.py" --weights "$OUT/weights.npz" --golden-data "$HELD" \
  --metrics "$OUT/metrics-python.json" --out "$OUT/push-t"

echo "== 4/4 evaluate in the Java runtime"
"$FS" eval parity --model-dir "$OUT/push-t"
"$FS" eval prediction --world pusht --model-dir "$OUT/push-t" --episodes 200 --steps 100 --seed 1001 --json "$OUT/eval-prediction.json"
"$FS" eval surprise --world pusht --model-dir "$OUT/push-t" --episodes 200 --steps 100 --seed 2001 --json "$OUT/eval-surprise.json"
"$FS" eval planning --world pusht --model-dir "$OUT/push-t" --episodes 20 --seed 7 --horizon-steps 25 --json "$OUT/eval-planning.json"
if [ "$INSTALL" = 1 ]; then
  rm -rf "$ROOT/models/push-t"
  cp -r "$OUT/push-t" "$ROOT/models/push-t"
  echo "installed into models/push-t"
fi
