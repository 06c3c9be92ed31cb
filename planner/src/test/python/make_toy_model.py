"""Writes the planner's toy world model (test fixture) to ../resources/toy-model/.

Run with Debian's python3 (torch 1.13, onnx 1.12):  /usr/bin/python3 make_toy_model.py

With --variant gray48 it writes ../resources/toy-model-gray48/ instead: a model of another shape
(48x48 grey frames, 16-d latents, 3-d actions in [-2, 2] x [-1, 1] x [0, 1]), for the tests that
check that nothing in the runtime assumes the shipped model's shapes.

The toy has the shipped model's interface and a tiny size: an encoder frames [B,3,64,64] ->
latents [B,8] (average pooling + a linear layer) and a predictor (latents [B,8], actions [B,2]) ->
next_latents [B,8] computed as z + MLP([z, a]) with seeded random weights. golden.json holds
inputs and the outputs PyTorch computes, so the Java side can check its numerics.
"""

import hashlib
import json
import os

import torch
from torch import nn

import sys

GRAY48 = "--variant" in sys.argv and sys.argv[sys.argv.index("--variant") + 1] == "gray48"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources",
                   "toy-model-gray48" if GRAY48 else "toy-model")
D, A, H = (16, 3, 24) if GRAY48 else (8, 2, 16)
C, S = (1, 48) if GRAY48 else (3, 64)
LOW, HIGH = ([-2.0, -1.0, 0.0], [2.0, 1.0, 1.0]) if GRAY48 else ([-1.0, -1.0], [1.0, 1.0])


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.pool = nn.AvgPool2d(S // 8)
        self.fc = nn.Linear(C * 8 * 8, D)

    def forward(self, frames):
        return self.fc(torch.flatten(self.pool(frames), 1))


class Predictor(nn.Module):
    def __init__(self):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(D + A, H), nn.ReLU(), nn.Linear(H, H), nn.ReLU(), nn.Linear(H, D))

    def forward(self, latents, actions):
        return latents + self.mlp(torch.cat([latents, actions], 1))


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    torch.manual_seed(11 if GRAY48 else 7)
    os.makedirs(OUT, exist_ok=True)
    enc, pred = Encoder().eval(), Predictor().eval()
    with torch.no_grad():
        for p in pred.mlp[-1].parameters():
            p.mul_(0.3)
    torch.onnx.export(
        enc, (torch.zeros(1, C, S, S),), os.path.join(OUT, "encoder.onnx"), opset_version=17,
        input_names=["frames"], output_names=["latents"],
        dynamic_axes={"frames": {0: "batch"}, "latents": {0: "batch"}})
    torch.onnx.export(
        pred, (torch.zeros(1, D), torch.zeros(1, A)), os.path.join(OUT, "predictor.onnx"),
        opset_version=17, input_names=["latents", "actions"], output_names=["next_latents"],
        dynamic_axes={"latents": {0: "batch"}, "actions": {0: "batch"}, "next_latents": {0: "batch"}})
    z = torch.randn(3, D)
    low, high = torch.tensor(LOW), torch.tensor(HIGH)
    a = low + torch.rand(3, A) * (high - low)
    with torch.no_grad():
        z1 = pred(z, a)
        roll = [z[:1]]
        for t in range(4):
            roll.append(pred(roll[-1], a[t % 3: t % 3 + 1]))
    # One frame with a fixed pattern and its latent (preprocessed as the card says).
    frame = torch.tensor([[[(y * 7 + x * 3 + c * 50) % 256 for c in range(C)] for x in range(S)] for y in range(S)],
                         dtype=torch.float32)
    with torch.no_grad():
        enc_in = ((frame.permute(2, 0, 1) / 255.0 - 0.5) / 0.5).unsqueeze(0)
        frame_latent = enc(enc_in)[0]
    golden = {
        "frame_pattern": "pixel[y][x][c] = (7y + 3x + 50c) mod 256",
        "frame_latent": frame_latent.tolist(),
        "latents": z.flatten().tolist(),
        "actions": a.flatten().tolist(),
        "next_latents": z1.flatten().tolist(),
        "rollout_actions": [a[t % 3].tolist() for t in range(4)],
        "rollout": torch.cat(roll[1:], 0).flatten().tolist(),
    }
    with open(os.path.join(OUT, "golden.json"), "w") as f:
        json.dump(golden, f, indent=1)
    card = {
        "name": "toy-gray48-world-model" if GRAY48 else "toy-world-model",
        "version": "1",
        "input": {"name": "frames", "height": S, "width": S, "channels": C,
                  "channel_order": "GRAY" if GRAY48 else "RGB",
                  "scale": 255.0, "mean": [0.5] * C, "std": [0.5] * C},
        "latent": {"shape": [D]},
        "action": {"dim": A, "low": LOW, "high": HIGH},
        "files": {
            "encoder": {"path": "encoder.onnx", "sha256": sha256(os.path.join(OUT, "encoder.onnx")),
                        "inputs": ["frames"], "outputs": ["latents"]},
            "predictor": {"path": "predictor.onnx", "sha256": sha256(os.path.join(OUT, "predictor.onnx")),
                          "inputs": ["latents", "actions"], "outputs": ["next_latents"]},
        },
    }
    with open(os.path.join(OUT, "model-card.json"), "w") as f:
        json.dump(card, f, indent=1)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
