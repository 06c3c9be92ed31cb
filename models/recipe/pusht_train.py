"""Trains the Push-T JEPA world model (encoder + action-conditioned predictor), resumably.

Same objective and architecture as the Two-Rooms recipe (train.py / model.py: teacher-forced and
rollout prediction in latent space, VICReg variance/covariance, inverse dynamics), on data that
`foresight dataset record --world pusht` writes (format foresight-push-t-npy/1). What differs:

- resumable: every --checkpoint-every iterations (and when --time-budget runs out, or on SIGINT /
  SIGTERM) the model, the optimiser, the random state, the iteration count and the elapsed training
  time are written to --checkpoint; `--resume` continues from it with the same learning-rate
  schedule (a cosine over --iterations), so a run on 2 CPU cores can be done in parts:

      pusht_train.py --data data/push-t --out run/pusht/weights.npz --time-budget 600
      pusht_train.py --data data/push-t --out run/pusht/weights.npz --time-budget 600 --resume

  Each part writes the weights (.npz, loadable with model.load_npz) and the training log (.json) of
  everything done so far, so any part's output can be exported.
- the episodes are longer (100 steps: a scripted push needs 40-200 steps to reach its goal), and
  the held-out validation reports the block pose probe (pusht_evaluate.py) next to the error ratios.

    /usr/bin/python3 models/recipe/pusht_train.py --data DIR --out W.npz [--resume] \
        [--iterations N] [--time-budget SECONDS] [--device auto|cpu|cuda]
"""

import argparse
import json
import math
import os
import platform
import signal
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import data as dataset  # noqa: E402
from model import DEFAULT_CFG, WorldModel, save_npz  # noqa: E402
from train import losses  # noqa: E402

PUSHT_FORMAT = "foresight-push-t-npy/1"


def load_pusht(path, episodes=0):
    """The recorded Push-T arrays: frames, actions, positions, violations (data.load) plus block
    [E,T,3], goals [E,3], contacts [E,T] where present."""
    d = dataset.load(path, mmap=False)
    if os.path.isdir(path):
        for name in ("block", "goals", "contacts"):
            f = os.path.join(path, name + ".npy")
            if os.path.exists(f):
                d[name] = np.load(f)
    else:
        z = np.load(path)
        for name in ("block", "goals", "contacts"):
            if name in z.files:
                d[name] = z[name]
    fmt = d.get("manifest", {}).get("format")
    if fmt and fmt != PUSHT_FORMAT:
        raise SystemExit(
            f"dataset {path} is {fmt}, not {PUSHT_FORMAT}; record one with "
            "`foresight dataset record --world pusht`"
        )
    if episodes:
        d = {k: (v[:episodes] if isinstance(v, np.ndarray) else v) for k, v in d.items()}
    return d


def pack(src_dir, dst_npz, episodes=None):
    """Packs a recorded Push-T folder (block, goals, contacts included) into one .npz."""
    d = load_pusht(src_dir, episodes or 0)
    arrays = {k: np.asarray(v) for k, v in d.items() if isinstance(v, np.ndarray)}
    arrays["manifest"] = np.frombuffer(json.dumps(d["manifest"]).encode(), np.uint8)
    np.savez_compressed(dst_npz, **arrays)


def build_parser():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--data", required=True, help="recorded Push-T dataset folder or packed .npz")
    p.add_argument("--out", required=True, help="weights .npz (the log goes next to it as .json)")
    p.add_argument("--checkpoint", help="checkpoint file (default: OUT with .ckpt)")
    p.add_argument("--resume", action="store_true", help="continue from --checkpoint")
    p.add_argument("--checkpoint-every", type=int, default=100)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--iterations", type=int, default=3000, help="total, over all parts")
    p.add_argument("--time-budget", type=float, default=0, help="seconds for this part (0: none)")
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--rollout", type=int, default=4, help="L, steps of the rollout loss")
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--warmup", type=int, default=100)
    p.add_argument("--device", default="auto")
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--val-episodes", type=int, default=100)
    p.add_argument("--episodes", type=int, default=0, help="use only the first N (0: all)")
    p.add_argument("--latent-dim", type=int, default=32)
    p.add_argument("--pred-hidden", type=int, default=256)
    p.add_argument("--pred-layers", type=int, default=2)
    p.add_argument("--enc-hidden", type=int, default=DEFAULT_CFG["enc_hidden"])
    p.add_argument("--keypoints", type=int, default=DEFAULT_CFG["keypoints"])
    p.add_argument("--w-tf", type=float, default=1.0)
    p.add_argument("--w-roll", type=float, default=1.0)
    p.add_argument("--w-var", type=float, default=1.0)
    p.add_argument("--w-cov", type=float, default=0.04)
    p.add_argument("--w-inv", type=float, default=1.0)
    p.add_argument("--log-every", type=int, default=50)
    p.add_argument("--no-validation", action="store_true")
    return p


def lr_at(args, it):
    lr = args.lr * min(1.0, (it + 1) / args.warmup)
    return lr * 0.5 * (1 + math.cos(math.pi * min(1.0, it / args.iterations)))


def save_checkpoint(path, model, opt, rng, it, train_s, history, parts_log):
    tmp = path + ".tmp"
    torch.save(
        {
            "cfg": model.cfg,
            "model": model.state_dict(),
            "opt": opt.state_dict(),
            "rng": rng.bit_generator.state,
            "torch_rng": torch.get_rng_state(),
            "it": it,
            "train_s": train_s,
            "history": history,
            "parts": parts_log,
        },
        tmp,
    )
    os.replace(tmp, path)


def main(argv=None):
    args = build_parser().parse_args(argv)
    ckpt_path = args.checkpoint or os.path.splitext(args.out)[0] + ".ckpt"
    if args.threads:
        torch.set_num_threads(args.threads)
    dev = args.device
    if dev == "auto":
        dev = "cuda" if torch.cuda.is_available() else "cpu"
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)

    t_load = time.time()
    d = load_pusht(args.data, args.episodes)
    frames_np, actions_np = d["frames"], np.asarray(d["actions"], np.float32)
    e_all, t_all, h, w, _ = frames_np.shape
    n_val = 0 if args.no_validation else min(args.val_episodes, e_all // 5)
    e_train = e_all - n_val
    frames = torch.from_numpy(np.ascontiguousarray(frames_np)).to(dev)
    actions = torch.from_numpy(np.ascontiguousarray(actions_np)).to(dev)
    t_load = time.time() - t_load

    if args.resume:
        if not os.path.exists(ckpt_path):
            raise SystemExit(f"--resume: no checkpoint at {ckpt_path}; start without --resume")
        ck = torch.load(ckpt_path, map_location=dev)
        cfg = ck["cfg"]
        if (cfg["height"], cfg["width"]) != (h, w):
            raise SystemExit(f"checkpoint is for {cfg['width']}x{cfg['height']} frames, data {w}x{h}")
    else:
        sample = frames_np[: min(e_train, 50)].reshape(-1, 3).astype(np.float64) / 255.0
        cfg = dict(DEFAULT_CFG)
        cfg.update(
            latent_dim=args.latent_dim,
            height=h,
            width=w,
            pred_hidden=args.pred_hidden,
            pred_layers=args.pred_layers,
            enc_hidden=args.enc_hidden,
            keypoints=args.keypoints,
            mean=[round(float(v), 4) for v in sample.mean(0)],
            std=[round(float(v), 4) for v in sample.std(0)],
        )
    model = WorldModel(cfg).to(dev)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    it, train_s, history, parts_log = 0, 0.0, [], []
    if args.resume:
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        rng.bit_generator.state = ck["rng"]
        torch.set_rng_state(ck["torch_rng"])
        it, train_s, history, parts_log = ck["it"], ck["train_s"], ck["history"], ck["parts"]
        print(f"resumed from {ckpt_path} at iteration {it} ({train_s:.0f} s trained)", flush=True)

    stop = {"flag": False}

    def on_signal(signum, _frame):
        stop["flag"] = True
        print(f"signal {signum}: checkpointing after this iteration", flush=True)

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)

    L = min(args.rollout, t_all - 1)
    steps_idx = torch.arange(L + 1, device=dev)
    print(
        f"data {args.data}: {e_all} episodes x {t_all} frames ({e_train} train, {n_val} val), "
        f"loaded in {t_load:.1f}s; device {dev}, {torch.get_num_threads()} threads; params enc "
        f"{sum(p.numel() for p in model.encoder.parameters())} pred "
        f"{sum(p.numel() for p in model.predictor.parameters())}; iteration {it}/{args.iterations}",
        flush=True,
    )
    model.train()
    it0, t0 = it, time.time()
    while it < args.iterations and not stop["flag"]:
        if args.time_budget and time.time() - t0 >= args.time_budget:
            break
        lr = lr_at(args, it)
        for g in opt.param_groups:
            g["lr"] = lr
        ei = torch.from_numpy(rng.integers(0, e_train, args.batch)).to(dev)
        ti = torch.from_numpy(rng.integers(0, t_all - L, args.batch)).to(dev)
        tt = ti[:, None] + steps_idx[None, :]
        total, parts = losses(model, frames[ei[:, None], tt], actions[ei[:, None], tt[:, :L]], args)
        opt.zero_grad(set_to_none=True)
        total.backward()
        opt.step()
        it += 1
        if it % args.log_every == 0 or it == it0 + 1:
            row = {"it": it, "s": round(train_s + time.time() - t0, 1), "lr": lr, "loss": total.item()}
            row.update({k: round(v.item(), 6) for k, v in parts.items()})
            history.append(row)
            print(json.dumps(row), flush=True)
        if it % args.checkpoint_every == 0:
            save_checkpoint(ckpt_path, model, opt, rng, it, train_s + time.time() - t0, history, parts_log)
    part_s = time.time() - t0
    train_s += part_s
    hw = f"{platform.processor() or platform.machine()}, {torch.get_num_threads()} threads"
    if dev == "cuda":
        hw = torch.cuda.get_device_name(0)
    parts_log.append({"from": it0, "to": it, "wall_s": round(part_s, 1), "hardware": hw})
    save_checkpoint(ckpt_path, model, opt, rng, it, train_s, history, parts_log)
    model.eval()
    model_cpu = model.to("cpu")
    save_npz(model_cpu, args.out)

    metrics = {}
    if n_val > 0:
        from pusht_evaluate import evaluate_pusht

        val = {k: (v[e_train:] if isinstance(v, np.ndarray) else v) for k, v in d.items()}
        with torch.no_grad():
            metrics = evaluate_pusht(model_cpu, val)
        print("validation", json.dumps(metrics), flush=True)
    log = {
        "config": cfg,
        "args": vars(args),
        "data": {
            "path": args.data,
            "episodes": e_all,
            "train_episodes": e_train,
            "steps": t_all,
            "manifest": d.get("manifest", {}),
        },
        "iterations": it,
        "wall_s": round(train_s, 1),
        "parts": parts_log,
        "hardware": hw,
        "torch": torch.__version__,
        "validation": metrics,
        "history": history,
    }
    with open(os.path.splitext(args.out)[0] + ".json", "w") as f:
        json.dump(log, f, indent=1)
    print(
        f"done: iterations {it0}->{it} of {args.iterations} in {part_s:.1f}s "
        f"({train_s:.1f}s in all) -> {args.out}, checkpoint {ckpt_path}",
        flush=True,
    )
    return log


if __name__ == "__main__":
    main()
