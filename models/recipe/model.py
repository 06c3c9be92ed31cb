"""The Two-Rooms JEPA world model: a frame encoder and an action-conditioned latent predictor.

Works with PyTorch 1.13 (Debian) and 2.x. Weights are stored as .npz of numpy arrays (see
`save_npz` / `load_npz`) so that a model trained with one PyTorch loads in another.
"""

import json

import numpy as np
import torch
from torch import nn


class Encoder(nn.Module):
    """Frames [B,3,H,W] (normalised) -> latents [B,D].

    A small conv net with two constant coordinate channels (CoordConv) before the first layer:
    where the agent is becomes a nearly linear function of the features, which is what the
    position probe and the planner's latent distance want.
    """

    def __init__(
        self, latent_dim=64, height=64, width=64, channels=(16, 32, 32, 32), hidden=256, keypoints=0
    ):
        super().__init__()
        self.keypoints = keypoints
        ys = torch.linspace(-1, 1, height).view(1, 1, height, 1).expand(1, 1, height, width)
        xs = torch.linspace(-1, 1, width).view(1, 1, 1, width).expand(1, 1, height, width)
        self.register_buffer("coords", torch.cat([xs, ys], 1).contiguous())
        c1, c2, c3, c4 = channels
        self.stem = nn.Sequential(
            nn.Conv2d(3 + 2, c1, 4, stride=2, padding=1),
            nn.ReLU(),
            nn.Conv2d(c1, c2, 3, stride=2, padding=1),
            nn.ReLU(),
        )
        self.conv = nn.Sequential(
            nn.Conv2d(c2, c3, 3, stride=2, padding=1),
            nn.ReLU(),
            nn.Conv2d(c3, c4, 3, stride=1, padding=1),
            nn.ReLU(),
        )
        n = c4 * (height // 8) * (width // 8)
        self.fc = nn.Sequential(nn.Linear(n, hidden), nn.ReLU())
        if keypoints:
            # spatial soft-argmax (Levine et al. 2016): K expected (x, y) positions on the 1/4 grid
            h4, w4 = height // 4, width // 4
            gy = torch.linspace(-1, 1, h4).view(h4, 1).expand(h4, w4).reshape(-1)
            gx = torch.linspace(-1, 1, w4).view(1, w4).expand(h4, w4).reshape(-1)
            self.register_buffer("grid", torch.stack([gx, gy], 1).contiguous())
            self.kp = nn.Conv2d(c2, keypoints, 1)
            self.kp_scale = nn.Parameter(torch.tensor(10.0))  # sharp maps from the start
        self.out = nn.Linear(hidden + 2 * keypoints, latent_dim)

    def forward(self, frames):
        b = frames.shape[0]
        x = torch.cat([frames, self.coords.expand(b, -1, -1, -1)], 1)
        f = self.stem(x)
        h = self.fc(torch.flatten(self.conv(f), 1))
        if self.keypoints:
            att = torch.softmax(torch.flatten(self.kp(f) * self.kp_scale, 2), dim=2)  # [B,K,HW]
            kp = torch.matmul(att, self.grid)  # [B,K,2]
            h = torch.cat([h, torch.flatten(kp, 1)], 1)
        return self.out(h)


class Predictor(nn.Module):
    """(latents [B,D], actions [B,A]) -> next latents [B,D], as z + MLP([z, a])."""

    def __init__(self, latent_dim=64, action_dim=2, hidden=256, layers=2):
        super().__init__()
        mods, n = [], latent_dim + action_dim
        for _ in range(layers):
            mods += [nn.Linear(n, hidden), nn.ReLU()]
            n = hidden
        mods.append(nn.Linear(n, latent_dim))
        self.mlp = nn.Sequential(*mods)

    def forward(self, latents, actions):
        return latents + self.mlp(torch.cat([latents, actions], 1))


class InverseDynamics(nn.Module):
    """(z_t, normalised z_t+1 - z_t) -> a_t; a training-only head that makes latents carry what
    actions change."""

    def __init__(self, latent_dim=64, action_dim=2, hidden=128):
        super().__init__()
        self.mlp = nn.Sequential(
            nn.Linear(2 * latent_dim, hidden), nn.ReLU(), nn.Linear(hidden, action_dim)
        )

    def forward(self, z, delta):
        return self.mlp(torch.cat([z, delta], 1))


class WorldModel(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = dict(cfg)
        d = cfg["latent_dim"]
        self.encoder = Encoder(
            d,
            cfg["height"],
            cfg["width"],
            tuple(cfg["enc_channels"]),
            cfg["enc_hidden"],
            cfg.get("keypoints", 0),
        )
        self.predictor = Predictor(d, 2, cfg["pred_hidden"], cfg["pred_layers"])
        self.inverse = InverseDynamics(d, 2)
        self.register_buffer("mean", torch.tensor(cfg["mean"], dtype=torch.float32).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor(cfg["std"], dtype=torch.float32).view(1, 3, 1, 1))

    def preprocess(self, frames_u8):
        """uint8 [N,H,W,3] (RGB) -> normalised float [N,3,H,W], as the model card says."""
        x = frames_u8.permute(0, 3, 1, 2).float() / 255.0
        return (x - self.mean) / self.std


DEFAULT_CFG = {
    "latent_dim": 64,
    "height": 64,
    "width": 64,
    "enc_channels": [16, 32, 32, 32],
    "enc_hidden": 256,
    "keypoints": 16,
    "pred_hidden": 256,
    "pred_layers": 2,
    "mean": [0.5, 0.5, 0.5],
    "std": [0.5, 0.5, 0.5],
}


def save_npz(model, path):
    arrays = {k: v.detach().cpu().numpy() for k, v in model.state_dict().items()}
    arrays["__config__"] = np.frombuffer(json.dumps(model.cfg).encode(), np.uint8)
    np.savez(path, **arrays)


def load_npz(path):
    z = np.load(path)
    cfg = json.loads(bytes(z["__config__"]).decode())
    model = WorldModel(cfg)
    state = {k: torch.from_numpy(np.array(z[k])) for k in z.files if k != "__config__"}
    model.load_state_dict(state)
    model.eval()
    return model
