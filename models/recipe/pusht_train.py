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
- candidates for making the latent carry the block's angle (off by default, compared side by side
  in docs/model.md "Push-T model"; none uses the block's pose, only episodes, time and contacts):
  an InfoNCE term with in-batch negatives (--w-nce, --nce-kind slow|pred, --nce-gap, --nce-shift)
  on a training-only linear projection, and oversampling of sub-sequences with a contact
  (--contact-frac).

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
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import data as dataset  # noqa: E402
from model import DEFAULT_CFG, WorldModel, save_npz  # noqa: E402
from train import losses, vicreg_terms  # noqa: E402

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


class NceHead(nn.Module):
    """A training-only linear projection of the latent for the contrastive term (linear, so what
    the term asks for is linearly in the latent itself, where the probe and the planner read it)."""

    def __init__(self, latent_dim, dim):
        super().__init__()
        self.proj = nn.Linear(latent_dim, dim)

    def forward(self, z):
        return F.normalize(self.proj(z), dim=-1)


def info_nce(a, b, same, temp):
    """Symmetric InfoNCE of rows a[i] against b[i], the other rows of b as negatives; same [N,N]
    marks pairs from one episode (not negatives)."""
    logits = a @ b.T / temp
    eye = torch.eye(len(a), dtype=torch.bool, device=a.device)
    logits = logits.masked_fill(same & ~eye, float("-inf"))
    labels = torch.arange(len(a), device=a.device)
    return 0.5 * (F.cross_entropy(logits, labels) + F.cross_entropy(logits.T, labels))


def shifted(x, shift, gen):
    """x [B,C,H,W] shifted per sample by a random (dx, dy) in [-shift, shift], edges replicated."""
    b, _, h, w = x.shape
    pad = F.pad(x, (shift, shift, shift, shift), mode="replicate")
    off = torch.randint(0, 2 * shift + 1, (b, 2), generator=gen).to(x.device)
    # one gather for the whole batch (a slice per sample is a kernel launch each on a GPU)
    rows = (off[:, 1, None] + torch.arange(h, device=x.device))[:, None, :, None]
    cols = (off[:, 0, None] + torch.arange(w, device=x.device))[:, None, None, :]
    chans = torch.arange(pad.shape[1], device=x.device)[None, :, None, None]
    return pad[torch.arange(b, device=x.device)[:, None, None, None], chans, rows, cols]


def pusht_losses(model, head, obs, act, ei, args, far=None, gen=None):
    """The Two-Rooms objective (train.losses) plus the optional contrastive term.

    obs uint8 [B,L+1,H,W,3], act [B,L,2], ei [B] episode of each row, far uint8 [B,H,W,3]: for
    --nce-kind slow, a frame of the same episode as obs[:, 0], up to --nce-gap steps away."""
    if not args.w_nce:
        return losses(model, obs, act, args)
    b, l1 = obs.shape[:2]
    steps = l1 - 1
    x = model.preprocess(obs.reshape(b * l1, *obs.shape[2:]))
    if far is not None:
        xf = model.preprocess(far)
        x = torch.cat([x, shifted(xf, args.nce_shift, gen) if args.nce_shift else xf], 0)
    zall = model.encoder(x)
    d = zall.shape[-1]
    z = zall[: b * l1].view(b, l1, d)
    zp = model.predictor(z[:, :-1].reshape(-1, d), act.reshape(-1, 2)).view(b, steps, d)
    l_tf = F.mse_loss(zp, z[:, 1:])
    zh, l_roll = z[:, 0], 0.0
    for k in range(steps):
        zh = model.predictor(zh, act[:, k])
        l_roll = l_roll + F.mse_loss(zh, z[:, k + 1])
    l_roll = l_roll / steps
    l_var, l_cov = vicreg_terms(z.reshape(-1, d))
    delta = (z[:, 1:] - z[:, :-1]).reshape(-1, d)
    delta = delta / (delta.pow(2).mean().sqrt().detach() + 1e-6)
    a_hat = model.inverse(z[:, :-1].reshape(-1, d), delta)
    l_inv = F.mse_loss(a_hat, act.reshape(-1, 2))
    if args.nce_kind == "slow":
        same = ei[:, None] == ei[None, :]
        l_nce = info_nce(head(z[:, 0]), head(zall[b * l1 :]), same, args.nce_temp)
    else:
        er = ei[:, None].expand(b, steps).reshape(-1)
        same = er[:, None] == er[None, :]
        l_nce = info_nce(
            head(zp.reshape(-1, d)), head(z[:, 1:].reshape(-1, d)), same, args.nce_temp
        )
    total = (
        args.w_tf * l_tf
        + args.w_roll * l_roll
        + args.w_var * l_var
        + args.w_cov * l_cov
        + args.w_inv * l_inv
        + args.w_nce * l_nce
    )
    parts = {"tf": l_tf, "roll": l_roll, "var": l_var, "cov": l_cov, "inv": l_inv, "nce": l_nce}
    return total, parts


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
    p.add_argument(
        "--anneal-seconds",
        type=float,
        default=0,
        help="end the cosine schedule after this many seconds of training in all, if that comes "
        "before --iterations (0: by iterations only); with --time-budget the same, one run ends "
        "annealed whatever the machine's speed",
    )
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
    p.add_argument(
        "--w-nce",
        type=float,
        default=0.0,
        help="weight of the contrastive (InfoNCE) term, in-batch negatives (0: none)",
    )
    p.add_argument(
        "--nce-kind",
        choices=("slow", "pred"),
        default="slow",
        help="slow: a frame against another frame of the same episode --nce-gap steps or less "
        "away (what stays put while the agent moves: the block's pose); pred: the predicted next "
        "latent against the encoded one",
    )
    p.add_argument("--nce-gap", type=int, default=30, help="slow: the largest gap in steps")
    p.add_argument(
        "--nce-shift",
        type=int,
        default=0,
        help="slow: shift the other frame by up to this many px in x and y (edges replicated), so "
        "that where the block is cannot tell the episodes apart and its shape and angle must",
    )
    p.add_argument("--nce-temp", type=float, default=0.1)
    p.add_argument("--nce-dim", type=int, default=64, help="the linear projection's size")
    p.add_argument(
        "--contact-frac",
        type=float,
        default=0.0,
        help="fraction of the sub-sequences drawn among those with an agent-block contact",
    )
    p.add_argument("--log-every", type=int, default=50)
    p.add_argument("--no-validation", action="store_true")
    return p


def lr_at(args, it, trained_s=0.0):
    """Warm-up, then a cosine to 0 over --iterations, or over --anneal-seconds of training when that
    comes first (so a run on a machine of unknown speed still ends its schedule in its budget)."""
    lr = args.lr * min(1.0, (it + 1) / args.warmup)
    progress = it / args.iterations
    if args.anneal_seconds:
        progress = max(progress, trained_s / args.anneal_seconds)
    return lr * 0.5 * (1 + math.cos(math.pi * min(1.0, progress)))


def save_checkpoint(path, model, head, opt, rng, it, train_s, history, parts_log):
    tmp = path + ".tmp"
    torch.save(
        {
            "cfg": model.cfg,
            "model": model.state_dict(),
            "head": head.state_dict(),
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
    head = NceHead(cfg["latent_dim"], args.nce_dim).to(dev)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    if args.w_nce:
        # a second group, so that checkpoints of runs without the term keep the optimiser's layout
        opt.add_param_group({"params": list(head.parameters())})
    it, train_s, history, parts_log = 0, 0.0, [], []
    if args.resume:
        model.load_state_dict(ck["model"])
        if "head" in ck:
            head.load_state_dict(ck["head"])
        if len(ck["opt"]["param_groups"]) != len(opt.param_groups):
            had = "with" if len(ck["opt"]["param_groups"]) > 1 else "without"
            raise SystemExit(
                f"--resume: {ckpt_path} was written {had} the contrastive term; resume with "
                "--w-nce 0 or not 0 as the run that wrote it"
            )
        opt.load_state_dict(ck["opt"])
        rng.bit_generator.state = ck["rng"]
        torch.set_rng_state(ck["torch_rng"])
        it, train_s, history, parts_log = ck["it"], ck["train_s"], ck["history"], ck["parts"]
        print(f"resumed from {ckpt_path} at iteration {it} ({train_s:.0f} s trained)", flush=True)

    gen = torch.Generator().manual_seed(args.seed + it)  # the augmentation's shifts
    stop = {"flag": False}

    def on_signal(signum, _frame):
        stop["flag"] = True
        print(f"signal {signum}: checkpointing after this iteration", flush=True)

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)

    L = min(args.rollout, t_all - 1)
    steps_idx = torch.arange(L + 1, device=dev)
    contact_starts = None
    if args.contact_frac > 0:
        if "contacts" not in d:
            raise SystemExit(f"--contact-frac needs contacts.npy in {args.data}; record it again")
        c = np.asarray(d["contacts"][:e_train]) > 0
        # a start t whose sub-sequence t..t+L has a contact somewhere
        win = np.lib.stride_tricks.sliding_window_view(c, L + 1, axis=1).any(-1)
        contact_starts = np.argwhere(win)
        print(f"{len(contact_starts)} of {win.size} sub-sequences have a contact", flush=True)
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
        lr = lr_at(args, it, train_s + time.time() - t0)
        for g in opt.param_groups:
            g["lr"] = lr
        ei_np = rng.integers(0, e_train, args.batch)
        ti_np = rng.integers(0, t_all - L, args.batch)
        if contact_starts is not None:
            n_c = int(round(args.contact_frac * args.batch))
            pick = contact_starts[rng.integers(0, len(contact_starts), n_c)]
            ei_np[:n_c], ti_np[:n_c] = pick[:, 0], pick[:, 1]
        ei = torch.from_numpy(ei_np).to(dev)
        ti = torch.from_numpy(ti_np).to(dev)
        tt = ti[:, None] + steps_idx[None, :]
        far = None
        if args.w_nce and args.nce_kind == "slow":
            gap = rng.integers(1, args.nce_gap + 1, args.batch) * rng.choice([-1, 1], args.batch)
            tf = torch.from_numpy(np.clip(ti_np + gap, 0, t_all - 1)).to(dev)
            far = frames[ei, tf]
        obs, act = frames[ei[:, None], tt], actions[ei[:, None], tt[:, :L]]
        total, parts = pusht_losses(model, head, obs, act, ei, args, far, gen)
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
            elapsed = train_s + time.time() - t0
            save_checkpoint(ckpt_path, model, head, opt, rng, it, elapsed, history, parts_log)
    part_s = time.time() - t0
    train_s += part_s
    hw = f"{platform.processor() or platform.machine()}, {torch.get_num_threads()} threads"
    if dev == "cuda":
        hw = torch.cuda.get_device_name(0)
    parts_log.append({"from": it0, "to": it, "wall_s": round(part_s, 1), "hardware": hw})
    save_checkpoint(ckpt_path, model, head, opt, rng, it, train_s, history, parts_log)
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
