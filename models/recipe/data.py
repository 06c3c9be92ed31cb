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
