"""Trains the Two-Rooms JEPA world model on a recorded dataset.

Objective (all in latent space, no pixel reconstruction), on sub-sequences o_0..o_L, a_0..a_L-1:
- teacher forcing: ||P(z_i, a_i) - z_i+1||^2 with z_i = E(o_i);
- multi-step rollout: z^_0 = z_0, z^_i+1 = P(z^_i, a_i), ||z^_i - z_i||^2 for i = 1..L;
- collapse prevention, VICReg-style (as PLDM): a hinge that keeps every latent dimension's standard
  deviation over the batch at or above 1, and a penalty on the off-diagonal covariance;
- inverse dynamics: a small head predicts a_i from (z_i, z_i+1), so the latent must carry what the
  action changes (the agent's position), not only what is easy to predict.

Weights are written as .npz (numpy arrays), loadable by any PyTorch version (model.load_npz).

    /usr/bin/python3 models/recipe/train.py --data DIR_OR_NPZ --out weights.npz \
        [--iterations N] [--time-budget SECONDS] [--device auto|cpu|cuda]
"""

import argparse
import json
import math
import os
import platform
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import data as dataset  # noqa: E402
from model import DEFAULT_CFG, WorldModel, save_npz  # noqa: E402


def vicreg_terms(z):
    z = z - z.mean(0)
    std = torch.sqrt(z.var(0) + 1e-4)
    var_loss = F.relu(1.0 - std).mean()
    n, d = z.shape
    cov = (z.T @ z) / (n - 1)
    off = cov - torch.diag(torch.diag(cov))
    cov_loss = (off**2).sum() / d
    return var_loss, cov_loss


def losses(model, obs, act, args):
    """obs uint8 [B,L+1,H,W,3], act float [B,L,2]."""
    b, l1 = obs.shape[:2]
    steps = l1 - 1
    z = model.encoder(model.preprocess(obs.reshape(b * l1, *obs.shape[2:]))).view(b, l1, -1)
    d = z.shape[-1]
    zp = model.predictor(z[:, :-1].reshape(-1, d), act.reshape(-1, 2)).view(b, steps, d)
    l_tf = F.mse_loss(zp, z[:, 1:])
    zh, l_roll = z[:, 0], 0.0
    for k in range(steps):
        zh = model.predictor(zh, act[:, k])
        l_roll = l_roll + F.mse_loss(zh, z[:, k + 1])
    l_roll = l_roll / steps
    l_var, l_cov = vicreg_terms(z.reshape(-1, d))
    # the head sees the latent change rescaled to unit RMS, so a small change (early in
    # training the agent moves the latent very little) still gives a strong learning signal
    delta = (z[:, 1:] - z[:, :-1]).reshape(-1, d)
    delta = delta / (delta.pow(2).mean().sqrt().detach() + 1e-6)
    a_hat = model.inverse(z[:, :-1].reshape(-1, d), delta)
    l_inv = F.mse_loss(a_hat, act.reshape(-1, 2))
    total = (
        args.w_tf * l_tf
        + args.w_roll * l_roll
        + args.w_var * l_var
        + args.w_cov * l_cov
        + args.w_inv * l_inv
    )
    parts = {"tf": l_tf, "roll": l_roll, "var": l_var, "cov": l_cov, "inv": l_inv}
    return total, parts


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--data", required=True, help="recorded dataset folder or packed .npz")
    p.add_argument("--out", required=True, help="weights .npz")
    p.add_argument("--log", help="training log (JSON) path; default OUT with .json")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--iterations", type=int, default=4000)
    p.add_argument("--time-budget", type=float, default=0, help="seconds; stops early (0: none)")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--rollout", type=int, default=8, help="L, steps of the rollout loss")
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--warmup", type=int, default=200)
    p.add_argument("--device", default="auto")
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--val-episodes", type=int, default=100)
    p.add_argument("--episodes", type=int, default=0, help="use only the first N (0: all)")
    p.add_argument("--latent-dim", type=int, default=DEFAULT_CFG["latent_dim"])
    p.add_argument("--pred-hidden", type=int, default=DEFAULT_CFG["pred_hidden"])
    p.add_argument("--pred-layers", type=int, default=DEFAULT_CFG["pred_layers"])
    p.add_argument("--enc-hidden", type=int, default=DEFAULT_CFG["enc_hidden"])
    p.add_argument("--keypoints", type=int, default=DEFAULT_CFG["keypoints"])
    p.add_argument("--constant-lr", action="store_true", help="no cosine decay (for quick tests)")
    p.add_argument("--w-tf", type=float, default=1.0)
    p.add_argument("--w-roll", type=float, default=1.0)
    p.add_argument("--w-var", type=float, default=1.0)
    p.add_argument("--w-cov", type=float, default=0.04)
    p.add_argument("--w-inv", type=float, default=1.0)
    p.add_argument("--log-every", type=int, default=100)
    p.add_argument("--min-transitions", type=int, default=256,
                   help="refuse a dataset with fewer transitions (episodes x (steps - 1))")
    args = p.parse_args()

    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    if args.threads:
        torch.set_num_threads(args.threads)
    dev = args.device
    if dev == "auto":
        dev = "cuda" if torch.cuda.is_available() else "cpu"
    if dev == "cuda":
        torch.backends.cudnn.benchmark = True
    t_load = time.time()
    d = dataset.load(args.data, mmap=False)
    if args.episodes:
        d = {k: (v[: args.episodes] if isinstance(v, np.ndarray) else v) for k, v in d.items()}
    dataset.check_trainable(d, args.data, args.min_transitions)
    frames_np = np.asarray(d["frames"])
    actions_np = np.asarray(d["actions"], np.float32)
    e_all, t_all, h, w, _ = frames_np.shape
    n_val = min(args.val_episodes, e_all // 5)
    e_train = e_all - n_val
    frames = torch.from_numpy(np.ascontiguousarray(frames_np)).to(dev)
    actions = torch.from_numpy(np.ascontiguousarray(actions_np)).to(dev)
    t_load = time.time() - t_load

    sample = frames_np[: min(e_train, 50)].reshape(-1, 3).astype(np.float64) / 255.0
    mean = [round(float(v), 4) for v in sample.mean(0)]
    std = [round(float(v), 4) for v in sample.std(0)]
    cfg = dict(DEFAULT_CFG)
    cfg.update(
        latent_dim=args.latent_dim,
        height=h,
        width=w,
        pred_hidden=args.pred_hidden,
        pred_layers=args.pred_layers,
        enc_hidden=args.enc_hidden,
        keypoints=args.keypoints,
        mean=mean,
        std=std,
    )
    model = WorldModel(cfg).to(dev)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    L = min(args.rollout, t_all - 1)
    steps_idx = torch.arange(L + 1, device=dev)
    print(
        f"data {args.data}: {e_all} episodes x {t_all} frames ({e_train} train, {n_val} val), "
        f"loaded in {t_load:.1f}s; device {dev}; params enc "
        f"{sum(p.numel() for p in model.encoder.parameters())} pred "
        f"{sum(p.numel() for p in model.predictor.parameters())}",
        flush=True,
    )
    history = []
    t0 = time.time()
    it = 0
    while it < args.iterations:
        elapsed = time.time() - t0
        if args.time_budget and elapsed >= args.time_budget:
            break
        progress = it / args.iterations
        if args.time_budget:
            progress = max(progress, elapsed / args.time_budget)
        lr = args.lr * min(1.0, (it + 1) / args.warmup)
        if not args.constant_lr:
            lr *= 0.5 * (1 + math.cos(math.pi * min(1, progress)))
        for g in opt.param_groups:
            g["lr"] = lr
        ei = torch.from_numpy(rng.integers(0, e_train, args.batch)).to(dev)
        ti = torch.from_numpy(rng.integers(0, t_all - L, args.batch)).to(dev)
        tt = ti[:, None] + steps_idx[None, :]
        obs = frames[ei[:, None], tt]
        act = actions[ei[:, None], tt[:, :L]]
        total, parts = losses(model, obs, act, args)
        opt.zero_grad(set_to_none=True)
        total.backward()
        opt.step()
        it += 1
        if it % args.log_every == 0 or it == 1:
            row = {"it": it, "s": round(time.time() - t0, 1), "lr": lr, "loss": total.item()}
            row.update({k: round(v.item(), 6) for k, v in parts.items()})
            history.append(row)
            print(json.dumps(row), flush=True)
    wall = time.time() - t0
    model.eval()
    model_cpu = model.to("cpu")
    save_npz(model_cpu, args.out)

    metrics = {}
    if n_val > 0:
        from evaluate import evaluate

        val = {k: (v[e_train:] if isinstance(v, np.ndarray) else v) for k, v in d.items()}
        val["frames"], val["actions"] = frames_np[e_train:], actions_np[e_train:]
        with torch.no_grad():
            metrics = evaluate(model_cpu, val)
        print("validation", json.dumps(metrics), flush=True)
    hw = f"{platform.processor() or platform.machine()}, {torch.get_num_threads()} threads"
    if dev == "cuda":
        hw = torch.cuda.get_device_name(0)
    log = {
        "config": cfg,
        "args": vars(args),
        "data": {"path": args.data, "episodes": e_all, "train_episodes": e_train, "steps": t_all,
                 "manifest": d.get("manifest", {})},
        "iterations": it,
        "wall_s": round(wall, 1),
        "hardware": hw,
        "torch": torch.__version__,
        "validation": metrics,
        "history": history,
    }
    with open(args.log or os.path.splitext(args.out)[0] + ".json", "w") as f:
        json.dump(log, f, indent=1)
    print(f"done: {it} iterations in {wall:.1f}s -> {args.out}", flush=True)


if __name__ == "__main__":
    main()
