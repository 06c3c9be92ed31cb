#!/usr/bin/env bash
# Fits the linear probe (latent -> agent position in pixels) that the demo's report and live view
# decode imagined plans with, evaluates it on held-out episodes and ships it with the model:
# writes <model>/probe.json and the card's "probe" field (sha256, held-out R^2, RMSE).
#
#   models/recipe/fit_probe.sh [MODEL_DIR] [--episodes N] [--steps N] [--seed N]
#
# Episodes come from the Java simulator (the recipe's mixed exploration policy, no violations) and
# are encoded by the model's own encoder.onnx through the Java runtime, so the probe sees exactly
# the latents the job produces. About 30 s on one CPU core. Needs a built tree.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MODEL="$ROOT/models/two-rooms"
if [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; then MODEL="$1"; shift; fi
exec "$ROOT/foresight" demo fit-probe --model-dir "$MODEL" "$@"
