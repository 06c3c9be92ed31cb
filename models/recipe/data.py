"""Loading the dataset that `foresight dataset record` writes (a folder of .npy files), or the same
arrays packed in one compressed .npz (for carrying to a training machine)."""

import json
import os

import numpy as np

ARRAYS = ("frames", "actions", "positions", "doors", "violations")


def load(path, mmap=True):
    """Returns a dict with frames uint8 [E,T,H,W,3], actions float32 [E,T,2], positions float32
    [E,T,2], doors float32 [E,2], violations int8 [E,T] and manifest (dict, may be empty)."""
    out = {}
    if os.path.isdir(path):
        for name in ARRAYS:
            f = os.path.join(path, name + ".npy")
            if os.path.exists(f):
                out[name] = np.load(f, mmap_mode="r" if mmap else None)
        m = os.path.join(path, "manifest.json")
        out["manifest"] = json.load(open(m)) if os.path.exists(m) else {}
    else:
        z = np.load(path)
        for name in ARRAYS:
            if name in z.files:
                out[name] = z[name]
        out["manifest"] = json.loads(bytes(z["manifest"]).decode()) if "manifest" in z.files else {}
    for name in ("frames", "actions"):
        if name not in out:
            raise SystemExit(f"dataset {path} has no {name}.npy; record one with `foresight dataset record`")
    e, t = out["frames"].shape[:2]
    if out["actions"].shape[:2] != (e, t):
        raise SystemExit(
            f"dataset {path}: frames {out['frames'].shape} and actions {out['actions'].shape} disagree"
        )
    return out


def check_trainable(d, path, min_transitions=256):
    """Refuses (SystemExit with what is wrong and what to do) a dataset no world model can be trained
    from: too few transitions, actions that are constant or not finite, frames that are all alike.
    Returns the number of transitions (E x (T - 1))."""
    frames, actions = d["frames"], d["actions"]
    e, t = frames.shape[:2]
    transitions = e * max(0, t - 1)
    if t < 2:
        raise SystemExit(
            f"dataset {path}: episodes of {t} frame(s) hold no transition (a frame, an action, the next "
            "frame); export with --steps of at least 2 (40 is the recipe's usual)")
    if transitions < min_transitions:
        raise SystemExit(
            f"dataset {path}: {transitions} transitions ({e} episodes x {t - 1}) are too few to train a "
            f"world model (at least {min_transitions}, --min-transitions); export a longer time span or "
            "more streams")
    acts = np.asarray(actions[:, : t - 1], np.float64).reshape(-1, actions.shape[-1])
    bad = int((~np.isfinite(acts)).any(axis=1).sum())
    if bad:
        raise SystemExit(
            f"dataset {path}: {bad} of {len(acts)} actions are NaN or infinite; fix the producer of "
            "foresight.actions, or export a span without them")
    spread = acts.std(axis=0)
    if not (spread > 1e-6).any():
        raise SystemExit(
            f"dataset {path}: every action is the same ({np.round(acts[0], 4).tolist()}): a world model "
            "cannot learn what actions do from constant actions; record while the robot acts in varied "
            "ways (exploring or random actions), then export again")
    for i, s_ in enumerate(spread):
        if s_ <= 1e-6:
            print(f"warning: dataset {path}: action dimension {i} is constant ({acts[0, i]:.4g}); the "
                  "model will not learn its effect", flush=True)
    sample = np.asarray(frames[: min(e, 50)])
    if sample.reshape(len(sample), -1).std(axis=0).max() == 0:
        raise SystemExit(
            f"dataset {path}: every frame is the same image; check the camera stream (a lens cap, a "
            "frozen driver) and export again")
    return transitions


def pack(src_dir, dst_npz, episodes=None):
    """Packs a recorded folder into one compressed .npz (optionally only the first episodes)."""
    d = load(src_dir)
    arrays = {}
    for name in ARRAYS:
        if name in d:
            a = np.asarray(d[name][:episodes] if episodes else d[name])
            arrays[name] = a
    arrays["manifest"] = np.frombuffer(json.dumps(d["manifest"]).encode(), np.uint8)
    np.savez_compressed(dst_npz, **arrays)


if __name__ == "__main__":
    import argparse

    p = argparse.ArgumentParser(description="pack a recorded dataset into one compressed .npz")
    p.add_argument("src")
    p.add_argument("dst")
    p.add_argument("--episodes", type=int)
    a = p.parse_args()
    pack(a.src, a.dst, a.episodes)
    print(a.dst, os.path.getsize(a.dst), "bytes")
