"""Writes the planner's toy world model (test fixture) to ../resources/toy-model/.

Run with Debian's python3 (torch 1.13, onnx 1.12):  /usr/bin/python3 make_toy_model.py

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

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "toy-model")
D, A, H = 8, 2, 16


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.pool = nn.AvgPool2d(8)
        self.fc = nn.Linear(3 * 8 * 8, D)

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
    torch.manual_seed(7)
    os.makedirs(OUT, exist_ok=True)
    enc, pred = Encoder().eval(), Predictor().eval()
    with torch.no_grad():
        for p in pred.mlp[-1].parameters():
            p.mul_(0.3)
    torch.onnx.export(
        enc, (torch.zeros(1, 3, 64, 64),), os.path.join(OUT, "encoder.onnx"), opset_version=17,
        input_names=["frames"], output_names=["latents"],
        dynamic_axes={"frames": {0: "batch"}, "latents": {0: "batch"}})
    torch.onnx.export(
        pred, (torch.zeros(1, D), torch.zeros(1, A)), os.path.join(OUT, "predictor.onnx"),
        opset_version=17, input_names=["latents", "actions"], output_names=["next_latents"],
        dynamic_axes={"latents": {0: "batch"}, "actions": {0: "batch"}, "next_latents": {0: "batch"}})
    z = torch.randn(3, D)
    a = torch.rand(3, A) * 2 - 1
    with torch.no_grad():
        z1 = pred(z, a)
        roll = [z[:1]]
        for t in range(4):
            roll.append(pred(roll[-1], a[t % 3: t % 3 + 1]))
    # One 64x64 RGB8 frame with a fixed pattern and its latent (preprocessed as the card says).
    frame = torch.tensor([[[(y * 7 + x * 3 + c * 50) % 256 for c in range(3)] for x in range(64)] for y in range(64)],
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
        "name": "toy-world-model",
        "version": "1",
        "input": {"name": "frames", "height": 64, "width": 64, "channels": 3, "channel_order": "RGB",
                  "scale": 255.0, "mean": [0.5, 0.5, 0.5], "std": [0.5, 0.5, 0.5]},
        "latent": {"shape": [D]},
        "action": {"dim": A, "low": [-1.0, -1.0], "high": [1.0, 1.0]},
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
