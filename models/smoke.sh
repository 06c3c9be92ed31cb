#!/usr/bin/env bash
# Smoke test of the training recipe (well under 2 minutes on 2 cores): a tiny dataset, a few
# training iterations, ONNX export with card and golden vectors, and a Python evaluation.
# It checks that the recipe runs end to end, not the model's quality.
#
#   models/smoke.sh [--java]     # --java records the tiny dataset with ./foresight instead of
#                                # the Python stand-in (needs a built tree)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-/usr/bin/python3}"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
t0=$(date +%s)
"$PY" -c 'import torch, numpy, onnx' || { echo "smoke: $PY lacks torch/numpy/onnx" >&2; exit 2; }
if [ "${1:-}" = "--java" ]; then
  "$ROOT/foresight" dataset record --episodes 40 --steps 12 --seed 5 --out "$TMP/data"
else
  "$PY" "$ROOT/models/recipe/synth.py" --episodes 40 --steps 12 --seed 5 --out "$TMP/data"
fi
"$PY" "$ROOT/models/recipe/test_data.py"
"$PY" "$ROOT/models/recipe/test_pusht_train.py"
"$PY" "$ROOT/models/recipe/train.py" --data "$TMP/data" --out "$TMP/w.npz" --iterations 6 \
  --batch 8 --rollout 4 --warmup 2 --val-episodes 8 --log-every 3 --threads 2 --device cpu
"$PY" "$ROOT/models/recipe/export.py" --weights "$TMP/w.npz" --golden-data "$TMP/data" \
  --out "$TMP/model" 2> >(grep -v -i warn >&2)
for f in encoder.onnx predictor.onnx model-card.json golden/golden.json golden/frames.npy \
  golden/latents.npy golden/actions.npy golden/next_latents.npy; do
  [ -s "$TMP/model/$f" ] || { echo "smoke: missing $f" >&2; exit 1; }
done
"$PY" - "$TMP/model" <<'EOF'
import json, sys, hashlib, onnx
d = sys.argv[1]
card = json.load(open(d + "/model-card.json"))
for role, f in card["files"].items():
    m = onnx.load(d + "/" + f["path"])
    assert m.opset_import[0].version == 17, (role, m.opset_import)
    assert [i.name for i in m.graph.input] == f["inputs"], (role, [i.name for i in m.graph.input])
    assert [o.name for o in m.graph.output] == f["outputs"], role
    assert m.graph.input[0].type.tensor_type.shape.dim[0].dim_param, role + ": batch axis not dynamic"
    assert hashlib.sha256(open(d + "/" + f["path"], "rb").read()).hexdigest() == f["sha256"], role
print("smoke: card and ONNX files consistent")
EOF
"$PY" "$ROOT/models/recipe/evaluate.py" --weights "$TMP/w.npz" --data "$TMP/data" >/dev/null
echo "smoke: OK in $(( $(date +%s) - t0 )) s"
