"""Held-out evaluation of a Push-T world model in PyTorch (the Java `foresight eval ... --world
pusht` commands are the authoritative ones; these are the same definitions).

- error_ratio_hK / l2_ratio_hK: the K-step latent rollout against the encoded frame K steps later,
  over the copy-last baseline (evaluate.prediction_metrics).
- block_probe_r2: a ridge probe latent -> the block's pose, fitted on the first half of the
  episodes and scored on the second: R^2 of x, y and of the angle, the angle probed as (cos, sin)
  (an angle wraps, a linear read-out of it cannot), its R^2 the mean of the two; block_probe_r2 is
  the mean of x, y and angle. block_probe_rmse: px, px, degrees (angle of the probed cos, sin).
- agent_probe_r2: the same for the agent's x, y.
- surprise_auroc: with a dataset recorded with --violations, AUROC of ||P(z_t-1, a_t-1) - z_t||
  for labelled frames (codes 4-6) against the other frames; per kind as well.

    /usr/bin/python3 models/recipe/pusht_evaluate.py --weights W.npz --data DIR \
        [--surprise-data DIR] [--json OUT]
"""

import argparse
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from evaluate import auroc, encode_all, prediction_metrics, ridge_probe, surprise_scores  # noqa: E402
from model import load_npz  # noqa: E402

KINDS = {4: "block_teleport", 5: "block_spin", 6: "block_through_agent"}


def block_targets(block):
    """block [E,T,3] (x, y, angle) -> [E,T,4] (x, y, cos, sin)."""
    b = np.asarray(block, np.float64)
    return np.concatenate([b[..., :2], np.cos(b[..., 2:3]), np.sin(b[..., 2:3])], -1)


def block_probe(z, block):
    e = z.shape[0]
    half = max(1, e // 2)
    y = block_targets(block)
    r2, rmse = ridge_probe(z, y)
    # the angle error of the probed direction, in degrees, on the scored half
    x = np.asarray(z, np.float64)
    xtr, ytr = x[:half].reshape(-1, x.shape[-1]), y[:half].reshape(-1, 4)
    xte, yte = x[half:].reshape(-1, x.shape[-1]), y[half:].reshape(-1, 4)
    mu, sd = xtr.mean(0), xtr.std(0) + 1e-8
    a = np.hstack([(xtr - mu) / sd, np.ones((len(xtr), 1))])
    b = np.hstack([(xte - mu) / sd, np.ones((len(xte), 1))])
    reg = 1e-3 * len(a) * np.eye(a.shape[1])
    reg[-1, -1] = 0
    wgt = np.linalg.solve(a.T @ a + reg, a.T @ ytr)
    pred = b @ wgt
    dang = np.arctan2(pred[:, 3], pred[:, 2]) - np.arctan2(yte[:, 3], yte[:, 2])
    dang = np.abs((dang + np.pi) % (2 * np.pi) - np.pi)
    angle_r2 = (r2[2] + r2[3]) / 2
    return {
        "block_probe_r2": float((r2[0] + r2[1] + angle_r2) / 3),
        "block_probe_r2_x": r2[0],
        "block_probe_r2_y": r2[1],
        "block_probe_r2_angle": float(angle_r2),
        "block_probe_r2_cos_sin": [r2[2], r2[3]],
        "block_probe_rmse": [rmse[0], rmse[1], float(np.degrees(np.sqrt((dang**2).mean())))],
    }


@torch.no_grad()
def evaluate_pusht(model, d, surprise=None, max_episodes=400):
    frames = d["frames"][:max_episodes]
    actions = np.asarray(d["actions"][:max_episodes])
    z = encode_all(model, frames)
    m = prediction_metrics(model, z, actions)
    zn = z.numpy()
    if "block" in d:
        m.update(block_probe(zn, np.asarray(d["block"][:max_episodes])))
    if "positions" in d:
        r2, rmse = ridge_probe(zn, np.asarray(d["positions"][:max_episodes]))
        m["agent_probe_r2"] = float(np.mean(r2))
        m["agent_probe_rmse_px"] = rmse
    std = z.reshape(-1, z.shape[-1]).std(0)
    m["latent_std_min"] = float(std.min())
    m["latent_std_mean"] = float(std.mean())
    m["eval_episodes"] = int(z.shape[0])
    if surprise is not None:
        sa = np.asarray(surprise["actions"][:max_episodes])
        sv = np.asarray(surprise["violations"][:max_episodes])
        s = surprise_scores(model, encode_all(model, surprise["frames"][:max_episodes]), sa)
        lab = sv[:, 1:]
        m["surprise_auroc"] = auroc(s.ravel(), (lab > 0).ravel())
        m["surprise_violation_frames"] = int((lab > 0).sum())
        by_kind = {}
        for code, name in KINDS.items():
            keep = (lab == code) | (lab == 0)
            if (lab == code).any():
                by_kind[name] = auroc(s[keep], lab[keep] == code)
        m["surprise_auroc_by_kind"] = by_kind
    return m


def main():
    from pusht_train import load_pusht

    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--weights", required=True)
    p.add_argument("--data", required=True, help="held-out Push-T dataset (folder or .npz)")
    p.add_argument("--surprise-data", help="Push-T dataset recorded with --violations")
    p.add_argument("--max-episodes", type=int, default=400)
    p.add_argument("--json")
    a = p.parse_args()
    torch.set_grad_enabled(False)
    model = load_npz(a.weights)
    m = evaluate_pusht(
        model,
        load_pusht(a.data),
        load_pusht(a.surprise_data) if a.surprise_data else None,
        max_episodes=a.max_episodes,
    )
    print(json.dumps(m, indent=2))
    if a.json:
        json.dump(m, open(a.json, "w"), indent=2)


if __name__ == "__main__":
    main()
