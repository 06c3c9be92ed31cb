"""A small Python stand-in for the Two-Rooms world, for smoke tests of the recipe.

It writes a dataset in the format `foresight dataset record` writes (frames.npy uint8 [E,T,H,W,3],
actions.npy float32 [E,T,2], positions.npy float32 [E,T,2], doors.npy float32 [E,2],
violations.npy int8 [E,T], manifest.json), so the recipe can be exercised without a Java build.
The shipped model is trained on data from the Java recorder, never on this.

    /usr/bin/python3 models/recipe/synth.py --episodes 64 --steps 24 --seed 1 --out /tmp/tiny
"""

import argparse
import json
import os

import numpy as np

W = H = 64
WALL_X0, WALL_X1 = 30, 33  # wall columns, inclusive
DOOR_H = 16
RADIUS = 3.0
MAX_STEP = 2.5
BG = np.array([235, 235, 235], np.uint8)
WALL = np.array([40, 40, 40], np.uint8)
AGENT = np.array([220, 30, 30], np.uint8)


def blocked(x, y, door_top):
    """True if a disc at (x, y) overlaps the wall (outside the door) or the border."""
    if x < RADIUS or x > W - 1 - RADIUS or y < RADIUS or y > H - 1 - RADIUS:
        return True
    if x + RADIUS >= WALL_X0 and x - RADIUS <= WALL_X1 + 1:
        return not (y - RADIUS >= door_top and y + RADIUS <= door_top + DOOR_H)
    return False


def step(x, y, ax, ay, door_top):
    ax, ay = np.clip(ax, -1, 1), np.clip(ay, -1, 1)
    n = 5
    dx, dy = ax * MAX_STEP / n, ay * MAX_STEP / n
    for _ in range(n):
        if not blocked(x + dx, y + dy, door_top):
            x, y = x + dx, y + dy
        elif not blocked(x + dx, y, door_top):
            x = x + dx
        elif not blocked(x, y + dy, door_top):
            y = y + dy
    return x, y


def render(x, y, door_top, out, visible=True):
    out[:] = BG
    out[:, WALL_X0 : WALL_X1 + 1] = WALL
    out[door_top : door_top + DOOR_H, WALL_X0 : WALL_X1 + 1] = BG
    if visible:
        yy, xx = np.mgrid[0:H, 0:W]
        mask = (xx + 0.5 - x) ** 2 + (yy + 0.5 - y) ** 2 <= RADIUS**2
        out[mask] = AGENT


def free_position(rng, door_top):
    while True:
        x, y = rng.uniform(RADIUS, W - 1 - RADIUS), rng.uniform(RADIUS, H - 1 - RADIUS)
        if not blocked(x, y, door_top):
            return x, y


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--episodes", type=int, default=64)
    p.add_argument("--steps", type=int, default=24)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--violations", type=float, default=0.0, help="probability per episode")
    p.add_argument("--out", required=True)
    a = p.parse_args()
    rng = np.random.default_rng(a.seed)
    E, T = a.episodes, a.steps
    frames = np.zeros((E, T, H, W, 3), np.uint8)
    actions = np.zeros((E, T, 2), np.float32)
    positions = np.zeros((E, T, 2), np.float32)
    doors = np.zeros((E, 2), np.float32)
    violations = np.zeros((E, T), np.int8)
    for e in range(E):
        door_top = int(rng.integers(4, H - 4 - DOOR_H))
        doors[e] = (door_top, door_top + DOOR_H)
        x, y = free_position(rng, door_top)
        steer = rng.random() < 0.4
        target = (WALL_X1 + 8.0 if x < WALL_X0 else WALL_X0 - 8.0, door_top + DOOR_H / 2)
        v = rng.uniform(-1, 1, 2)
        vt = int(rng.integers(2, T - 1)) if rng.random() < a.violations else -1
        kind = int(rng.integers(1, 4))
        for t in range(T):
            visible = True
            if t == vt:
                violations[e, t] = kind
                if kind == 1:
                    x, y = free_position(rng, door_top)
                elif kind == 2:
                    visible = False
                else:
                    x = WALL_X1 + RADIUS + 2 if x < WALL_X0 else WALL_X0 - RADIUS - 2
            positions[e, t] = (x, y)
            render(x, y, door_top, frames[e, t], visible)
            if steer:
                d = np.array([target[0] - x, target[1] - y])
                if abs(x - (WALL_X0 + WALL_X1) / 2) < 12 and abs(d[1]) > 3:
                    d[0] *= 0.1
                act = d / (np.linalg.norm(d) + 1e-6) + rng.normal(0, 0.3, 2)
            else:
                v = 0.8 * v + 0.2 * rng.uniform(-1, 1, 2) * 2
                act = v
            act = np.clip(act, -1, 1).astype(np.float32)
            actions[e, t] = act
            x, y = step(x, y, act[0], act[1], door_top)
    os.makedirs(a.out, exist_ok=True)
    for name, arr in [
        ("frames", frames),
        ("actions", actions),
        ("positions", positions),
        ("doors", doors),
        ("violations", violations),
    ]:
        np.save(os.path.join(a.out, name + ".npy"), arr)
    with open(os.path.join(a.out, "manifest.json"), "w") as f:
        json.dump(
            {
                "episodes": E,
                "steps": T,
                "seed": a.seed,
                "width": W,
                "height": H,
                "policy": "synthetic-python",
                "violations": a.violations,
            },
            f,
            indent=2,
        )
    print(f"wrote {E}x{T} frames to {a.out}")


if __name__ == "__main__":
    main()
