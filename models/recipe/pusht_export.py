"""Exports trained Push-T weights (.npz from pusht_train.py) to the shipped layout of
models/push-t: encoder.onnx, predictor.onnx, model-card.json and golden vectors.

The files, the golden vectors and the card's schema are those of export.py (the Two-Rooms export:
same ONNX names, opset 17, dynamic batch axis; the Java side reads the card with
io.foresight.schemas.ModelCard); what is Push-T's own goes on top: the name `push-t-jepa`, the card's
`world` (`pusht`, which `foresight eval ... --world pusht` checks), the description, the action's
meaning, the training parts of a resumable run and the measured metrics.

    /usr/bin/python3 models/recipe/pusht_export.py --weights W.npz --golden-data HELD_OUT_DIR \
        [--metrics METRICS.json] [--extra EXTRA.json] --out models/push-t
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export  # noqa: E402
from model import load_npz  # noqa: E402
from pusht_train import load_pusht  # noqa: E402

NAME = "push-t-jepa"


def objective(args):
    """The card's objective when the run added the contrastive term (pusht_train.py --w-nce)."""
    if not args.get("w_nce"):
        return {}
    kind = args.get("nce_kind")
    what = (
        f"a frame against another frame of the same episode at most {args.get('nce_gap')} steps "
        f"away, shifted by up to {args.get('nce_shift', 0)} px, other episodes' frames in the "
        "batch as negatives (meant to reward encoding what stays put while the agent moves: the "
        "block's pose)"
        if kind == "slow"
        else "the predicted next latent against the encoded one, other episodes' in the batch as "
        "negatives"
    )
    return {
        "objective": {
            "summary": "JEPA in latent space: teacher-forced one-step prediction + multi-step "
            "latent rollout loss against the encoder's own outputs, inverse dynamics, "
            "VICReg variance/covariance, and an InfoNCE term (" + str(kind) + "); no "
            "reconstruction, no EMA target, no ground-truth pose in the loss",
            "weights": {
                k: args.get(k) for k in ("w_tf", "w_roll", "w_var", "w_cov", "w_inv", "w_nce")
            },
            "contrastive": {
                "kind": kind,
                "pairs": what,
                "projection": f"linear {args.get('latent_dim')} -> {args.get('nce_dim')}, "
                "L2-normalised (training only, not exported)",
                "temperature": args.get("nce_temp"),
            },
            "contact_oversampling": args.get("contact_frac", 0.0),
        }
    }


def card_overrides(train_log):
    tl = train_log or {}
    args = tl.get("args", {})
    return objective(args) | {
        "name": NAME,
        "world": "pusht",
        "description": "A JEPA world model of the simulated Push-T world (an agent disc pushing a "
        "T-shaped block, dyn4j physics; docs/pusht.md): a conv encoder (frames -> latents) and an "
        "action-conditioned residual MLP predictor (latents, actions -> next latents), trained in "
        "latent space without pixel reconstruction.",
        "action": {
            "meaning": "agent velocity command (x right, y down); times max_step 2.5 px per step "
            "(Push-T: the agent disc pushes the block by contact)"
        },
        "proprio": {"dim": 0},
        "training": {
            "parts": tl.get("parts"),
            "rollout_steps": args.get("rollout"),
            "command": "models/recipe/pusht_train.py "
            + " ".join(
                f"--{k.replace('_', '-')} {v}"
                for k, v in args.items()
                if k
                in (
                    "iterations",
                    "batch",
                    "rollout",
                    "lr",
                    "warmup",
                    "latent_dim",
                    "pred_hidden",
                    "keypoints",
                    "w_tf",
                    "w_roll",
                    "w_var",
                    "w_cov",
                    "w_inv",
                    "w_nce",
                    "nce_kind",
                    "nce_gap",
                    "nce_shift",
                    "nce_temp",
                    "nce_dim",
                    "contact_frac",
                    "seed",
                )
            )
            + " (resumable: --time-budget S per part, then --resume)",
        },
    }


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--weights", required=True)
    p.add_argument("--train-log", help="JSON written by pusht_train.py (default: weights with .json)")
    p.add_argument("--golden-data", required=True, help="Push-T dataset to draw golden frames from")
    p.add_argument("--metrics", help="JSON of held-out metrics to put in the card")
    p.add_argument("--extra", help="JSON merged into the card last (e.g. measured figures)")
    p.add_argument("--version", default="0.1.0")
    p.add_argument("--out", required=True)
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    model = load_npz(a.weights)
    log_path = a.train_log or os.path.splitext(a.weights)[0] + ".json"
    train_log = json.load(open(log_path)) if os.path.exists(log_path) else None
    if train_log:
        train_log.pop("history", None)
    card = card_overrides(train_log)
    if a.extra:
        for k, v in json.load(open(a.extra)).items():
            if isinstance(v, dict) and isinstance(card.get(k), dict):
                card[k].update(v)
            else:
                card[k] = v
    metrics = json.load(open(a.metrics)) if a.metrics else None
    enc, pred = export.export_onnx(model, a.out)
    export.golden(model, load_pusht(a.golden_data), a.out)
    out = export.write_card(
        model, a.out, enc, pred, train_log, metrics, {"version": a.version, "card": card}
    )
    for role, f in out["files"].items():
        print(f"{role}: {f['path']} {f['bytes']} bytes sha256 {f['sha256']}")


if __name__ == "__main__":
    main()
