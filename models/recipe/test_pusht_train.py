"""Checks pusht_train's batch shift and its time-bounded schedule (run by models/smoke.sh):
  /usr/bin/python3 models/recipe/test_pusht_train.py"""
import argparse
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pusht_train import lr_at, shifted  # noqa: E402

# shifted: one gather gives what a slice per sample gives, for the same draws
x = torch.randn(6, 3, 8, 9)
y = shifted(x, 2, torch.Generator().manual_seed(3))
off = torch.randint(0, 5, (6, 2), generator=torch.Generator().manual_seed(3))
pad = F.pad(x, (2, 2, 2, 2), mode="replicate")
ref = torch.stack([pad[i, :, oy : oy + 8, ox : ox + 9] for i, (ox, oy) in enumerate(off.tolist())])
assert y.shape == x.shape and torch.equal(y, ref), "shifted differs from per-sample slices"
assert torch.equal(shifted(x, 0, torch.Generator()), x), "a shift of 0 changes nothing"

# lr_at: by iterations alone, or ended by --anneal-seconds when that comes first
a = argparse.Namespace(lr=1e-3, warmup=10, iterations=1000, anneal_seconds=0)
assert abs(lr_at(a, 500) - 0.5e-3) < 1e-9
assert lr_at(a, 500, trained_s=1e9) == lr_at(a, 500), "time is ignored without --anneal-seconds"
a.anneal_seconds = 100
assert abs(lr_at(a, 100, trained_s=50) - 0.5e-3) < 1e-9, "half the seconds: half the cosine"
assert lr_at(a, 100, trained_s=100) < 1e-12, "the schedule ends at --anneal-seconds"
assert abs(lr_at(a, 500, trained_s=1) - 0.5e-3) < 1e-9, "iterations still end it first"
assert abs(lr_at(a, 4, trained_s=0) - 0.5e-3) < 1e-7, "warm-up unchanged"
print("test_pusht_train: ok")
