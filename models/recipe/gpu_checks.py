"""Checks a trained model on a GPU machine: ONNX Runtime's version and providers, the GPU, and the
encoder's and predictor's outputs on the GPU (PyTorch, CUDA) against the CPU for the same batch.

    python3 models/recipe/gpu_checks.py --weights W.npz --data DATA [--onnx-dir DIR]
"""

import argparse
import os
import subprocess
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import data as dataset  # noqa: E402
from model import load_npz  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--weights", required=True)
    p.add_argument("--data", required=True)
    p.add_argument("--batch", type=int, default=256)
    a = p.parse_args()
    out = []

    def say(s):
        print(s, flush=True)
        out.append(s)

    try:
        import onnxruntime as o

        say(f"onnxruntime {o.__version__} providers {o.get_available_providers()}")
    except Exception as e:  # noqa: BLE001 - report whatever is missing
        say(f"onnxruntime not importable: {e!r}")
    try:
        smi = subprocess.run(["nvidia-smi"], capture_output=True, text=True)
        say("nvidia-smi:\n" + smi.stdout + smi.stderr)
    except OSError as e:
        say(f"nvidia-smi not runnable: {e!r}")
    say(f"torch {torch.__version__} cuda {torch.version.cuda} available {torch.cuda.is_available()}")
    if not torch.cuda.is_available():
        return
    say(f"device {torch.cuda.get_device_name(0)}")
    d = dataset.load(a.data)
    rng = np.random.default_rng(3)
    e, t = d["frames"].shape[:2]
    ei, ti = rng.integers(0, e, a.batch), rng.integers(0, t, a.batch)
    frames = torch.from_numpy(np.stack([np.asarray(d["frames"][x, y]) for x, y in zip(ei, ti)]))
    actions = torch.from_numpy(rng.uniform(-1, 1, (a.batch, 2)).astype(np.float32))
    cpu = load_npz(a.weights)
    gpu = load_npz(a.weights).cuda()
    with torch.no_grad():
        z_cpu = cpu.encoder(cpu.preprocess(frames))
        n_cpu = cpu.predictor(z_cpu, actions)
        for tf32 in (False, True):
            torch.backends.cudnn.allow_tf32 = tf32
            torch.backends.cuda.matmul.allow_tf32 = tf32
            z_gpu = gpu.encoder(gpu.preprocess(frames.cuda())).cpu()
            n_gpu = gpu.predictor(z_cpu.cuda(), actions.cuda()).cpu()
            say(
                f"tf32={tf32}: encoder max abs diff GPU vs CPU {float((z_gpu - z_cpu).abs().max()):.3e}"
                f" (latent abs max {float(z_cpu.abs().max()):.2f}); predictor max abs diff "
                f"{float((n_gpu - n_cpu).abs().max()):.3e} (batch {a.batch})"
            )
        torch.backends.cudnn.allow_tf32 = False
        torch.backends.cuda.matmul.allow_tf32 = False
        x = gpu.preprocess(frames.cuda())
        for bs in (1, 32, 256):
            xb = x[:bs]
            for _ in range(10):
                gpu.encoder(xb)
            torch.cuda.synchronize()
            t0 = time.time()
            n = 200
            for _ in range(n):
                gpu.encoder(xb)
            torch.cuda.synchronize()
            dt = time.time() - t0
            say(f"PyTorch encoder on GPU, fp32, batch {bs}: {n * bs / dt:.0f} frames/s")
    try:
        import onnxruntime as o

        path = "/tmp/enc-check.onnx"

        class Enc(torch.nn.Module):
            def __init__(self, m):
                super().__init__()
                self.m = m.encoder

            def forward(self, f):
                return self.m(f)

        kw = {}
        if "dynamo" in torch.onnx.export.__code__.co_varnames:
            kw["dynamo"] = False
        torch.onnx.export(Enc(cpu), (cpu.preprocess(frames[:2]),), path, input_names=["frames"],
                          output_names=["latents"], dynamic_axes={"frames": {0: "b"}, "latents": {0: "b"}},
                          opset_version=17, **kw)
        s = o.InferenceSession(path, providers=["CPUExecutionProvider"])
        z_ort = s.run(None, {"frames": cpu.preprocess(frames).numpy()})[0]
        say(f"ONNX Runtime {o.__version__} CPU (encoder exported by torch {torch.__version__}) vs "
            f"PyTorch CPU: max abs diff {np.abs(z_ort - z_cpu.numpy()).max():.3e}")
    except Exception as e:  # noqa: BLE001
        say(f"ORT check skipped: {e!r}")


if __name__ == "__main__":
    main()
