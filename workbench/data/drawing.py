"""Turn a drawing into the image a model sees, the way MNIST's digits were made.

MNIST (LeCun et al.): each digit was size-normalised to fit a 20×20 box keeping its aspect ratio,
anti-aliased, then centred in 28×28 by its centre of mass. A drawn digit must go through the same
steps, or a model that is 99% right on MNIST misreads a digit drawn off-centre or too large.
For other input sizes the box scales along (20/28 of the side).
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

BOX_FRACTION = 20 / 28
INK_THRESHOLD = 0.05  # canvas values below this are paper, not ink

__all__ = ["BOX_FRACTION", "center_of_mass", "has_ink", "ink_bounds", "preprocess"]


def has_ink(canvas: np.ndarray) -> bool:
    return bool((np.asarray(canvas) > INK_THRESHOLD).any())


def ink_bounds(canvas: np.ndarray) -> tuple[int, int, int, int] | None:
    """(top, bottom, left, right) of the ink, bottom/right exclusive; None for an empty canvas."""
    rows = np.flatnonzero((canvas > INK_THRESHOLD).any(axis=1))
    cols = np.flatnonzero((canvas > INK_THRESHOLD).any(axis=0))
    if not len(rows):
        return None
    return int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1


def center_of_mass(image: np.ndarray) -> tuple[float, float]:
    """(row, column) of the intensity-weighted centre, in pixel-centre coordinates."""
    total = float(image.sum())
    if total <= 0:
        return (image.shape[0] - 1) / 2, (image.shape[1] - 1) / 2
    rows, cols = np.indices(image.shape)
    return float((rows * image).sum() / total), float((cols * image).sum() / total)


def preprocess(canvas: np.ndarray, height: int = 28, width: int = 28, channels: int = 1) -> np.ndarray:
    """A drawing (H, W), ink = high values in [0, 1] on 0 paper, at any resolution → (channels,
    height, width) float32 in [0, 1]: cropped to the ink, scaled to fit the 20/28 box keeping the
    aspect ratio (area-averaged, so anti-aliased), centred by centre of mass. RGB models get the
    drawing in all three channels. An empty canvas gives an empty image."""
    canvas = np.clip(np.asarray(canvas, dtype=np.float32), 0.0, 1.0)
    out = np.zeros((height, width), dtype=np.float32)
    bounds = ink_bounds(canvas)
    if bounds is not None:
        top, bottom, left, right = bounds
        glyph = _fit(
            canvas[top:bottom, left:right], max(1, round(height * BOX_FRACTION)), max(1, round(width * BOX_FRACTION))
        )
        _paste_centred(out, glyph)
    return np.repeat(out[None], channels, axis=0)


def _fit(glyph: np.ndarray, box_height: int, box_width: int) -> np.ndarray:
    scale = min(box_height / glyph.shape[0], box_width / glyph.shape[1])
    size = (max(1, round(glyph.shape[0] * scale)), max(1, round(glyph.shape[1] * scale)))
    tensor = torch.from_numpy(np.ascontiguousarray(glyph))[None, None]
    if scale < 1:  # shrinking: average each output pixel's area (anti-aliasing)
        resized = F.interpolate(tensor, size=size, mode="area")
    else:
        resized = F.interpolate(tensor, size=size, mode="bilinear", align_corners=False)
    return resized[0, 0].clamp(0, 1).numpy()


def _paste_centred(out: np.ndarray, glyph: np.ndarray) -> None:
    """Place `glyph` so its centre of mass lands on (side / 2, side / 2): for 28×28, pixel (14, 14),
    where MNIST's digits have theirs (measured: 13.99 ± 0.29, 14.00 ± 0.29 over 2,000 test digits).
    A glyph pushed past the edge by a lopsided mass is clipped to fit inside instead."""
    cy, cx = center_of_mass(glyph)
    top = round(out.shape[0] / 2 - cy)
    left = round(out.shape[1] / 2 - cx)
    top = min(max(top, 0), out.shape[0] - glyph.shape[0])
    left = min(max(left, 0), out.shape[1] - glyph.shape[1])
    out[top : top + glyph.shape[0], left : left + glyph.shape[1]] = glyph
