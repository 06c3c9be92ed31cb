"""The reference preprocessing of a camera frame into an encoder input, in numpy.

io.foresight.encoders.FrameDecoder implements the same steps; the parity tests compare the two.

1. Pixels to float. A colour frame goes to a one-channel model through BT.601 luma
   (0.299 R + 0.587 G + 0.114 B); a grey frame goes to a colour model by repeating it.
2. Resize to the model's height x width with bilinear interpolation, half-pixel centres, edge
   clamping, no antialiasing: torch.nn.functional.interpolate(mode="bilinear", align_corners=False)
   (also OpenCV's INTER_LINEAR when enlarging). Skipped when the frame already has the model's size.
3. Normalise: (pixel / scale - mean[c]) / std[c], channels in the model's order, NCHW float32.
"""

import numpy as np


def to_gray(rgb):
    rgb = rgb.astype(np.float64)
    return 0.299 * rgb[..., 0] + 0.587 * rgb[..., 1] + 0.114 * rgb[..., 2]


def _axis(src, dst):
    scale = src / dst
    s = np.maximum((np.arange(dst) + 0.5) * scale - 0.5, 0.0)
    i0 = np.minimum(np.floor(s).astype(np.int64), src - 1)
    i1 = np.minimum(i0 + 1, src - 1)
    return i0, i1, s - i0


def resize_bilinear(plane, h, w):
    """plane: float64 [H, W] -> [h, w]."""
    sh, sw = plane.shape
    if (sh, sw) == (h, w):
        return plane
    y0, y1, fy = _axis(sh, h)
    x0, x1, fx = _axis(sw, w)
    top = plane[y0][:, x0] * (1 - fx) + plane[y0][:, x1] * fx
    bottom = plane[y1][:, x0] * (1 - fx) + plane[y1][:, x1] * fx
    return top * (1 - fy)[:, None] + bottom * fy[:, None]


def preprocess(img, layout, h, w, mean, std, scale=255.0, order="RGB"):
    """img: uint8 [H, W, 3] (layout RGB) or [H, W] (layout GRAY) -> float32 [C, h, w]."""
    if layout == "GRAY":
        gray = img.astype(np.float64)
        planes = {"R": gray, "G": gray, "B": gray, "Y": gray}
    else:
        f = img.astype(np.float64)
        planes = {"R": f[..., 0], "G": f[..., 1], "B": f[..., 2], "Y": to_gray(img)}
    names = {"RGB": "RGB", "BGR": "BGR", "GRAY": "Y"}[order]
    out = []
    for c, name in enumerate(names):
        p = resize_bilinear(planes[name], h, w)
        out.append((p / scale - mean[c]) / std[c])
    return np.stack(out).astype(np.float32)
