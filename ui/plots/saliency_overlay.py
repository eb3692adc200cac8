"""A saliency map laid over the image the model sees: the image in grey, the map in a colour scale on
top, opaque where the map is high and clear where it is zero, so the stroke stays visible."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage

from ui.plots.common import colormap

COLOURS = "inferno"
MOST_OPAQUE = 0.7


def blended(image: np.ndarray, heat: np.ndarray | None) -> np.ndarray:
    """(H, W, 3) uint8: `image` ((C, H, W) in [0, 1], shown as its channel mean) under `heat` ((H, W)
    in [0, 1], or None for the image alone)."""
    grey = np.clip(image.mean(axis=0), 0.0, 1.0)[..., None] * 255.0
    if heat is None:
        return np.repeat(grey, 3, axis=2).astype(np.uint8)
    lut = colormap(COLOURS).getLookupTable(0.0, 1.0, 256, alpha=False).astype(np.float64)
    heat = np.clip(heat, 0.0, 1.0)
    colour = lut[np.round(heat * 255).astype(int)]
    alpha = (MOST_OPAQUE * heat)[..., None]
    return np.round((1 - alpha) * grey + alpha * colour).astype(np.uint8)


def to_qimage(rgb: np.ndarray) -> QImage:
    rgb = np.ascontiguousarray(rgb)
    height, width, _ = rgb.shape
    return QImage(rgb.data, width, height, 3 * width, QImage.Format.Format_RGB888).copy()
