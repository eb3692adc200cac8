"""Layer health over a run: the HealthUpdates kept, and per layer the histograms over time as one image.

A layer is named by its LayerHealth.index: a 0-based index in the model's own stack, or the module name of a
layer inside a block ("1.body.0", a Residual's "1.projection.0").

Each measurement's histogram has its own value range (activations grow, gradients shrink while a run
learns), so to draw them side by side as columns of one image (the step across, the value up, the share
of values as colour: TensorBoard's "histograms" seen from above) each is re-binned onto the layer's
common range: its cumulative counts are interpolated at the common bin edges (values spread evenly
within a bin), which keeps every column's total.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from workbench.events import HealthUpdate
from workbench.insight.health import Key, LayerHealth, Thresholds

__all__ = ["KINDS", "DensityImage", "HealthHistory", "on_step_grid", "rebin", "threshold_lines"]

KINDS = ("activations", "gradients", "weights")
MAX_KEPT = 400  # measurements kept; beyond, every other old one is dropped (the image stays readable)


@dataclass(frozen=True)
class DensityImage:
    """`image[t, b]`: the share of layer values in bin b at measurement t (each row sums to 1 or is 0)."""

    image: np.ndarray
    steps: np.ndarray
    low: float
    high: float


def rebin(counts: np.ndarray, edges: np.ndarray, new_edges: np.ndarray) -> np.ndarray:
    """`counts` over `edges` moved onto `new_edges`, assuming values spread evenly within each bin."""
    counts = np.asarray(counts, dtype=np.float64)
    cumulative = np.concatenate(([0.0], np.cumsum(counts)))
    at_new = np.interp(new_edges, edges, cumulative, left=0.0, right=cumulative[-1])
    return np.diff(at_new)


class HealthHistory:
    """The HealthUpdates of one run, oldest first (at most MAX_KEPT), with what the health panel draws."""

    def __init__(self) -> None:
        self.updates: list[HealthUpdate] = []

    def add(self, update: HealthUpdate) -> None:
        self.updates.append(update)
        if len(self.updates) > MAX_KEPT:
            half = len(self.updates) // 2
            self.updates = self.updates[:half:2] + self.updates[half:]

    def clear(self) -> None:
        self.updates = []

    def __len__(self) -> int:
        return len(self.updates)

    @property
    def latest(self) -> HealthUpdate | None:
        return self.updates[-1] if self.updates else None

    def layer(self, update: HealthUpdate, index: Key) -> LayerHealth | None:
        return next((entry for entry in update.layers if entry.index == index), None)

    def has(self, index: Key, kind: str) -> bool:
        """Whether layer `index` has that histogram (only weighted layers have weights and gradients)."""
        latest = self.latest
        entry = None if latest is None else self.layer(latest, index)
        return entry is not None and getattr(entry, kind) is not None

    def density(self, index: Key, kind: str, bins: int = 48) -> DensityImage | None:
        """Layer `index`'s `kind` histograms (one of KINDS) over time on one value range; None without any."""
        if kind not in KINDS:
            raise ValueError(f"kind is one of {KINDS}, not {kind!r}")
        found = [
            (update.step, histogram)
            for update in self.updates
            if (entry := self.layer(update, index)) is not None and (histogram := getattr(entry, kind)) is not None
        ]
        if not found:
            return None
        low = min(float(edges[0]) for _, (_, edges) in found)
        high = max(float(edges[-1]) for _, (_, edges) in found)
        if high <= low:
            low, high = low - 0.5, high + 0.5
        new_edges = np.linspace(low, high, bins + 1)
        image = np.zeros((len(found), bins))
        for row, (_, (counts, edges)) in enumerate(found):
            moved = rebin(counts, edges, new_edges)
            total = moved.sum()
            if total > 0:
                image[row] = moved / total
        return DensityImage(image, np.array([step for step, _ in found]), low, high)

    def series(self, index: Key, name: str) -> tuple[np.ndarray, np.ndarray]:
        """(steps, values) of one number of layer `index` over time (e.g. "grad_norm", "update_ratio",
        "dead_fraction"), the measurements without it left out."""
        points = [
            (update.step, value)
            for update in self.updates
            if (entry := self.layer(update, index)) is not None and (value := getattr(entry, name)) is not None
        ]
        steps, values = zip(*points, strict=True) if points else ((), ())
        return np.asarray(steps, dtype=np.int64), np.asarray(values, dtype=np.float64)


def on_step_grid(density: DensityImage, columns: int = 200) -> tuple[np.ndarray, float, float]:
    """The density's rows spread over evenly spaced steps (each grid step shows the latest measurement at or
    before it), so a column's width is the same number of steps everywhere even after old measurements
    were thinned out. Returns (image[column, bin], first step, last step)."""
    steps = density.steps
    first, last = float(steps[0]), float(steps[-1])
    if len(steps) == 1 or last <= first:
        return density.image[-1:], first, first + 1.0
    count = min(columns, max(len(steps), 2) * 4)
    grid = np.linspace(first, last, count)
    rows = np.clip(np.searchsorted(steps, grid, side="right") - 1, 0, len(steps) - 1)
    return density.image[rows], first, last


def threshold_lines(thresholds: Thresholds | None = None) -> list[str]:
    """What each flag means, in words a learner can check the numbers against."""
    thresholds = thresholds or Thresholds()
    return [
        f"dead: a ReLU with more than {thresholds.dead:.0%} of its units 0 for every sample image",
        f"saturated: a Sigmoid/Tanh with more than {thresholds.saturated:.0%} of its outputs in the flat ends",
        f"vanishing / exploding: a weight gradient norm below {thresholds.vanishing:.0e} / above "
        f"{thresholds.exploding:.0e}",
        f"update ratio ‖Δw‖/‖w‖ of one step: below {thresholds.update_low:.0e} barely learning, "
        f"above {thresholds.update_high:.0e} thrashing (about 1e-3 is healthy)",
    ]
