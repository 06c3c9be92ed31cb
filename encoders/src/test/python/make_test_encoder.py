"""Builds the small conv encoder and the parity fixtures that the encoders module's tests use.

Run with Debian's own Python (torch 1.13, numpy, onnx), from the repository root:

    /usr/bin/python3 encoders/src/test/python/make_test_encoder.py

It writes, under encoders/src/test/resources/:
- test-encoder/encoder.onnx: a 4-layer conv encoder, input `frames` [N,3,64,64] float32 (dynamic N),
  output `latent` [N,64], fixed seed, opset 17;
- test-encoder/encoder-fixed-batch.onnx: the same network exported with a fixed batch of 1;
- test-encoder/model-card.json: the card in the format io.foresight.schemas.ModelCard reads;
- parity/*.bin: raw frames (uint8, interleaved, row-major) and a PNG of one of them;
- parity/*.f32: the NCHW float32 (little-endian) tensors that preprocess.py makes from them, and the
  encoder's latents for two of them (golden vectors for the Java encoder).

The preprocessing reference lives in preprocess.py beside this file.
"""

import hashlib
import json
import os
import struct
import zlib

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from preprocess import preprocess, to_gray

HERE = os.path.dirname(os.path.abspath(__file__))
RES = os.path.normpath(os.path.join(HERE, "..", "resources"))
MODEL_DIR = os.path.join(RES, "test-encoder")
PARITY = os.path.join(RES, "parity")

MEAN = [0.5, 0.5, 0.5]
STD = [0.25, 0.25, 0.25]


class TinyEncoder(nn.Module):
    def __init__(self, latent=64):
        super().__init__()
        self.c1 = nn.Conv2d(3, 8, 4, 2, 1)  # 32x32
        self.c2 = nn.Conv2d(8, 16, 4, 2, 1)  # 16x16
        self.c3 = nn.Conv2d(16, 32, 4, 2, 1)  # 8x8
        self.c4 = nn.Conv2d(32, 32, 4, 2, 1)  # 4x4
        self.fc = nn.Linear(32 * 4 * 4, latent)

    def forward(self, x):
        x = F.relu(self.c1(x))
        x = F.relu(self.c2(x))
        x = F.relu(self.c3(x))
        x = F.relu(self.c4(x))
        return self.fc(x.flatten(1))


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def write_png_rgb(path, img):
    """A minimal 8-bit RGB PNG writer (no PIL on this machine)."""
    h, w, _ = img.shape
    raw = b"".join(b"\x00" + img[y].tobytes() for y in range(h))

    def chunk(kind, data):
        c = struct.pack(">I", len(data)) + kind + data
        return c + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    png = b"\x89PNG\r\n\x1a\n"
    png += chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(raw, 9))
    png += chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(png)


def test_image(w, h, seed):
    """A smooth colour pattern plus noise, so resizing matters and every channel differs."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    r = 127 + 120 * np.sin(xx / w * 2 * np.pi)
    g = 127 + 120 * np.cos(yy / h * 3 * np.pi)
    b = 127 + 120 * np.sin((xx + yy) / (w + h) * 5 * np.pi)
    img = np.stack([r, g, b], -1) + rng.normal(0, 12, (h, w, 3))
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


def save_f32(name, arr):
    np.ascontiguousarray(arr, dtype="<f4").tofile(os.path.join(PARITY, name))


def main():
    os.makedirs(MODEL_DIR, exist_ok=True)
    os.makedirs(PARITY, exist_ok=True)
    torch.manual_seed(8)
    model = TinyEncoder().eval()
    dummy = torch.zeros(2, 3, 64, 64)
    onnx_path = os.path.join(MODEL_DIR, "encoder.onnx")
    torch.onnx.export(
        model, dummy, onnx_path, opset_version=17, input_names=["frames"],
        output_names=["latent"], dynamic_axes={"frames": {0: "batch"}, "latent": {0: "batch"}})
    fixed_path = os.path.join(MODEL_DIR, "encoder-fixed-batch.onnx")
    torch.onnx.export(
        model, torch.zeros(1, 3, 64, 64), fixed_path, opset_version=17,
        input_names=["frames"], output_names=["latent"])
    card = {
        "name": "test-conv-encoder",
        "version": "1",
        "description": "Test fixture: a small conv encoder with random weights (seed 8). Not a world model.",
        "input": {"name": "frames", "height": 64, "width": 64, "channels": 3,
                  "channel_order": "RGB", "scale": 255.0, "mean": MEAN, "std": STD},
        "latent": {"shape": [64]},
        "action": {"dim": 2, "low": [-1, -1], "high": [1, 1]},
        "files": {"encoder": {"path": "encoder.onnx", "sha256": sha256(onnx_path),
                              "inputs": ["frames"], "outputs": ["latent"]}},
    }
    with open(os.path.join(MODEL_DIR, "model-card.json"), "w") as f:
        json.dump(card, f, indent=2)
        f.write("\n")

    rgb = dict(mean=MEAN, std=STD, scale=255.0, order="RGB")
    cases = {
        "rgb_64x64": test_image(64, 64, 1),
        "rgb_96x72": test_image(96, 72, 2),
        "rgb_40x30": test_image(40, 30, 3),
    }
    for name, img in cases.items():
        img.tofile(os.path.join(PARITY, name + ".rgb.bin"))
        save_f32(name + ".rgb-model.f32", preprocess(img, "RGB", 64, 64, **rgb))
    # The same pixels sent as BGR8 and as GRAY8, and one of them as PNG.
    img = cases["rgb_96x72"]
    img[:, :, ::-1].copy().tofile(os.path.join(PARITY, "rgb_96x72.bgr.bin"))
    gray = np.clip(np.round(to_gray(img)), 0, 255).astype(np.uint8)
    gray.tofile(os.path.join(PARITY, "rgb_96x72.gray.bin"))
    save_f32("rgb_96x72.gray-input.rgb-model.f32", preprocess(gray, "GRAY", 64, 64, **rgb))
    write_png_rgb(os.path.join(PARITY, "rgb_96x72.png"), img)
    # Other model layouts: BGR channel order, and a one-channel model with its own normalisation.
    save_f32("rgb_96x72.bgr-model.f32",
             preprocess(img, "RGB", 64, 64, mean=[0.1, 0.2, 0.3], std=[0.5, 0.6, 0.7],
                        scale=255.0, order="BGR"))
    save_f32("rgb_96x72.gray-model.f32",
             preprocess(img, "RGB", 32, 32, mean=[0.45], std=[0.2], scale=255.0, order="GRAY"))

    # Golden latents of the test encoder for rgb_64x64 and rgb_96x72 (batch of two).
    x = np.stack([preprocess(cases["rgb_64x64"], "RGB", 64, 64, **rgb),
                  preprocess(cases["rgb_96x72"], "RGB", 64, 64, **rgb)])
    with torch.no_grad():
        z = model(torch.from_numpy(x)).numpy()
    save_f32("golden.latents.f32", z)

    # Check the ONNX file against PyTorch, and the numpy resize against torch's bilinear.
    import onnx
    onnx.checker.check_model(onnx.load(onnx_path))
    ref = F.interpolate(torch.from_numpy(cases["rgb_96x72"].astype(np.float64)).permute(2, 0, 1)[None],
                        size=(64, 64), mode="bilinear", align_corners=False)[0].numpy()
    ours = preprocess(cases["rgb_96x72"], "RGB", 64, 64, mean=[0, 0, 0], std=[1, 1, 1], scale=1.0,
                      order="RGB")
    assert np.abs(ref - ours).max() < 1e-3, np.abs(ref - ours).max()
    print("wrote", MODEL_DIR, "and", PARITY, "encoder sha256", card["files"]["encoder"]["sha256"])


if __name__ == "__main__":
    main()
