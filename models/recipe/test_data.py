"""Checks the recipe's refusals of data it cannot train from (run by models/smoke.sh):
  /usr/bin/python3 models/recipe/test_data.py"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import data  # noqa: E402


def dataset(episodes=20, steps=20, actions=None, frames=None):
    rng = np.random.default_rng(1)
    f = rng.integers(0, 255, (episodes, steps, 8, 8, 3), dtype=np.uint8) if frames is None else frames
    a = rng.uniform(-1, 1, (episodes, steps, 2)).astype(np.float32) if actions is None else actions
    return {"frames": f, "actions": a}


def refused(d, *words, **kw):
    try:
        data.check_trainable(d, "D", **kw)
    except SystemExit as e:
        msg = str(e)
        for w in words:
            assert w in msg, (w, msg)
        return msg
    raise AssertionError(f"not refused: {words}")


assert data.check_trainable(dataset(), "D") == 20 * 19
refused(dataset(steps=1), "no transition", "--steps")
refused(dataset(episodes=2, steps=10), "18 transitions", "too few", "--min-transitions")
refused(dataset(actions=np.full((20, 20, 2), 0.5, np.float32)), "every action is the same", "varied")
nan = dataset()["actions"].copy()
nan[3, 4, 1] = np.nan
refused(dataset(actions=nan), "1 of 380 actions are NaN")
refused(dataset(frames=np.zeros((20, 20, 8, 8, 3), np.uint8)), "every frame is the same")
# One constant dimension of two is only warned about.
half = dataset()["actions"].copy()
half[..., 1] = 0
assert data.check_trainable(dataset(actions=half), "D") == 380
print("test_data: the recipe refuses untrainable data with the reason")
