"""Held-out evaluation of a trained world model in PyTorch (the Java `foresight eval` commands are
the authoritative ones; this is what the recipe reports right after training).

Metrics:
- error_ratio_hK: mean squared error of the K-step latent rollout against the encoded frame K steps
  later, divided by the same for the copy-last baseline (predict z_t+K = z_t). l2_ratio_hK: the same
  with (unsquared) Euclidean distances.
- probe_r2: a linear ridge probe from the latent to the agent's (x, y), fitted on half the episodes
  and scored (R^2, mean of x and y) on the other half.
- latent_std_min/mean: per-dimension standard deviation of the latents (collapse check).
- dist_corr: Pearson correlation, within episodes, between latent distance and agent distance.
- surprise_auroc: with a dataset that has violations, AUROC of the surprise score
  ||predictor(z_t-1, a_t-1) - z_t|| for frames with a violation against frames without.

    /usr/bin/python3 models/recipe/evaluate.py --weights W.npz --data DIR [--surprise-data DIR]
"""

import argparse
import json

import numpy as np
import torch

import data as dataset
from model import load_npz


@torch.no_grad()
def encode_all(model, frames, batch=1024, device="cpu"):
    e, t = frames.shape[:2]
    flat = frames.reshape(e * t, *frames.shape[2:])
    out = []
    for i in range(0, e * t, batch):
        x = torch.from_numpy(np.array(flat[i : i + batch])).to(device)
        out.append(model.encoder(model.preprocess(x)).cpu())
    return torch.cat(out).view(e, t, -1)


@torch.no_grad()
def prediction_metrics(model, z, actions, horizons=(1, 5, 10), device="cpu"):
    """z [E,T,D] torch, actions [E,T,2] numpy -> dict of error ratios."""
    e, t, d = z.shape
    a = torch.from_numpy(np.ascontiguousarray(actions)).float()
    out = {}
    for h in horizons:
        if h >= t:
            continue
        n = t - h
        zh = z[:, :n].reshape(-1, d).to(device)
        for k in range(h):
            zh = model.predictor(zh, a[:, k : k + n].reshape(-1, 2).to(device))
        target = z[:, h : h + n].reshape(-1, d)
        start = z[:, :n].reshape(-1, d)
        zh = zh.cpu()
        err = ((zh - target) ** 2).sum(1)
        copy = ((start - target) ** 2).sum(1)
        out[f"error_ratio_h{h}"] = float(err.mean() / copy.mean())
        out[f"l2_ratio_h{h}"] = float(err.sqrt().mean() / copy.sqrt().mean())
    return out


def ridge_probe(z, y, alpha=1e-3):
    """z [E,T,D], y [E,T,k]: fit on the first half of episodes, R^2 on the second."""
    e = z.shape[0]
    half = max(1, e // 2)
    x = np.asarray(z, np.float64)
    y = np.asarray(y, np.float64)
    xtr, ytr = x[:half].reshape(-1, x.shape[-1]), y[:half].reshape(-1, y.shape[-1])
    xte, yte = x[half:].reshape(-1, x.shape[-1]), y[half:].reshape(-1, y.shape[-1])
    mu, sd = xtr.mean(0), xtr.std(0) + 1e-8
    xtr, xte = (xtr - mu) / sd, (xte - mu) / sd
    xtr = np.hstack([xtr, np.ones((len(xtr), 1))])
    xte = np.hstack([xte, np.ones((len(xte), 1))])
    reg = alpha * len(xtr) * np.eye(xtr.shape[1])
    reg[-1, -1] = 0
    w = np.linalg.solve(xtr.T @ xtr + reg, xtr.T @ ytr)
    pred = xte @ w
    ss_res = ((pred - yte) ** 2).sum(0)
    ss_tot = ((yte - yte.mean(0)) ** 2).sum(0)
    r2 = 1 - ss_res / ss_tot
    rmse = np.sqrt(((pred - yte) ** 2).mean(0))
    return [float(v) for v in r2], [float(v) for v in rmse]


def auroc(scores, labels):
    scores, labels = np.asarray(scores, np.float64), np.asarray(labels, bool)
    pos, neg = labels.sum(), (~labels).sum()
    if pos == 0 or neg == 0:
        return float("nan")
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores))
    sorted_scores = scores[order]
    # average ranks for ties
    i = 0
    while i < len(scores):
        j = i
        while j + 1 < len(scores) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return float((ranks[labels].sum() - pos * (pos + 1) / 2) / (pos * neg))


@torch.no_grad()
def surprise_scores(model, z, actions):
    e, t, d = z.shape
    a = torch.from_numpy(np.ascontiguousarray(actions)).float()
    pred = model.predictor(z[:, :-1].reshape(-1, d), a[:, :-1].reshape(-1, 2)).view(e, t - 1, d)
    return (pred - z[:, 1:]).norm(dim=2).numpy()  # score of frame t (t >= 1)


def dist_corr(z, pos, pairs=20000, seed=0):
    rng = np.random.default_rng(seed)
    e, t = z.shape[:2]
    ei = rng.integers(0, e, pairs)
    i, j = rng.integers(0, t, pairs), rng.integers(0, t, pairs)
    zn = np.asarray(z)
    dz = np.linalg.norm(zn[ei, i] - zn[ei, j], axis=1)
    dp = np.linalg.norm(pos[ei, i] - pos[ei, j], axis=1)
    return float(np.corrcoef(dz, dp)[0, 1])


def evaluate(model, d, surprise=None, device="cpu", max_episodes=400):
    frames = d["frames"][:max_episodes]
    actions = np.asarray(d["actions"][:max_episodes])
    z = encode_all(model, frames, device=device)
    m = prediction_metrics(model, z, actions, device=device)
    if "positions" in d:
        pos = np.asarray(d["positions"][:max_episodes])
        r2, rmse = ridge_probe(z.numpy(), pos)
        m["probe_r2"] = float(np.mean(r2))
        m["probe_r2_xy"] = r2
        m["probe_rmse_px"] = rmse
        m["dist_corr"] = dist_corr(z.numpy(), pos)
    if "doors" in d:
        doors = np.asarray(d["doors"][:max_episodes])[:, None, :1].repeat(z.shape[1], 1)
        m["door_probe_r2"] = ridge_probe(z.numpy(), doors)[0][0]
    std = z.reshape(-1, z.shape[-1]).std(0)
    m["latent_std_min"] = float(std.min())
    m["latent_std_mean"] = float(std.mean())
    m["eval_episodes"] = int(z.shape[0])
    if surprise is not None:
        sf = surprise["frames"][:max_episodes]
        sa = np.asarray(surprise["actions"][:max_episodes])
        sv = np.asarray(surprise["violations"][:max_episodes])
        zs = encode_all(model, sf, device=device)
        s = surprise_scores(model, zs, sa)
        lab = sv[:, 1:] > 0
        m["surprise_auroc"] = auroc(s.ravel(), lab.ravel())
        m["surprise_violation_frames"] = int(lab.sum())
    return m


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--weights", required=True)
    p.add_argument("--data", required=True, help="held-out dataset (folder or .npz)")
    p.add_argument("--surprise-data", help="dataset recorded with violations")
    p.add_argument("--max-episodes", type=int, default=400)
    p.add_argument("--json")
    a = p.parse_args()
    torch.set_grad_enabled(False)
    model = load_npz(a.weights)
    m = evaluate(
        model,
        dataset.load(a.data),
        dataset.load(a.surprise_data) if a.surprise_data else None,
        max_episodes=a.max_episodes,
    )
    print(json.dumps(m, indent=2))
    if a.json:
        json.dump(m, open(a.json, "w"), indent=2)


if __name__ == "__main__":
    main()
