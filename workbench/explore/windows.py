"""Convolution and pooling worked through on real numbers, for the Learn tab's explorers.

Every number comes from torch: the padded input is `torch.nn.functional.pad` with the layer's
padding mode (constant 0 for "zeros", as `nn.Conv2d` does), each window is gathered from it by
index, and each output value is the explicit sum (or maximum, or average) of that window. Tests
check the result equals `F.conv2d`, `F.max_pool2d` and `F.avg_pool2d` for random settings.

Validation and the output-size formulas come from `shape_rules`, so the explorers, the builder and
torch agree on what is allowed. Problems are returned as a `Problem` value, never raised.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import torch
import torch.nn.functional as F

from workbench.messages import say
from workbench.model import shape_rules as rules
from workbench.model.catalog import CATALOG

Pair = tuple[int, int]
Cell = tuple[int, int]
PADDING_MODES = ("zeros", "reflect", "replicate", "circular")
MAX_TERMS = 27  # the expanded sum lists at most this many products per channel
# Layer types the Learn tab has an explorer for ("Explore this layer" in the builder).
EXPLORABLE = frozenset(
    ["Conv2d", "MaxPool2d", "AvgPool2d", "Softmax", "LogSoftmax"]
    + [name for name, layer in CATALOG.items() if layer.group == "Activation"]
)


@dataclass(frozen=True)
class Problem:
    """Settings that cannot work, in words for the panel."""

    message: str


@dataclass(frozen=True)
class WindowSettings:
    """A sliding window: the shared settings of Conv2d and the pooling layers (pairs are (h, w))."""

    kernel: Pair
    stride: Pair = (1, 1)
    padding: Pair = (0, 0)
    dilation: Pair = (1, 1)
    padding_mode: str = "zeros"  # convolution only
    ceil_mode: bool = False  # pooling only
    count_include_pad: bool = True  # average pooling only
    divisor_override: int | None = None  # average pooling only


def window_offsets(start_pad: int, out: int, k: int, stride: int, dilation: int) -> np.ndarray:
    """(out, k) positions each window reads along one axis, counted from the first input row/column
    (negative: in the padding)."""
    starts = np.arange(out) * stride - start_pad
    return starts[:, None] + np.arange(k)[None, :] * dilation


def number(value: float) -> str:
    """A value as the panels print it: up to two decimals, no trailing zeros, a real minus sign."""
    if value == float("-inf"):
        return "−∞"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    text = "0" if text in ("-0", "") else text
    return text.replace("-", "−")


def _factor(value: float) -> str:
    text = number(value)
    return f"({text})" if text.startswith("−") else text


def _problem(exc: rules.LayerProblem) -> Problem:
    return Problem(say("explore.rule", cause=exc.cause, fix=exc.fix))


# ----- convolution ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConvExplanation:
    """One output channel of a convolution: input (C, H, W), kernel (C, kh, kw) and a bias."""

    settings: WindowSettings
    padded: torch.Tensor  # (C, H + 2ph, W + 2pw), what the kernel slides over
    kernel: torch.Tensor
    bias: float
    formula: tuple[str, ...]

    @cached_property
    def _rows(self) -> np.ndarray:
        s = self.settings
        return window_offsets(0, self.out_shape[0], s.kernel[0], s.stride[0], s.dilation[0])

    @cached_property
    def _cols(self) -> np.ndarray:
        s = self.settings
        return window_offsets(0, self.out_shape[1], s.kernel[1], s.stride[1], s.dilation[1])

    @property
    def out_shape(self) -> Pair:
        s, (_, height, width) = self.settings, self.padded.shape
        return (
            rules.conv_out(height, 0, s.dilation[0], s.kernel[0], s.stride[0]),
            rules.conv_out(width, 0, s.dilation[1], s.kernel[1], s.stride[1]),
        )

    @cached_property
    def pad_mask(self) -> np.ndarray:
        """True where the padded grid is padding rather than input."""
        (ph, pw), (_, height, width) = self.settings.padding, self.padded.shape
        mask = np.ones((height, width), dtype=bool)
        mask[ph : height - ph, pw : width - pw] = False
        return mask

    @cached_property
    def products(self) -> torch.Tensor:
        """(Ho, Wo, C, kh, kw): every window of the padded input times the kernel."""
        rows = torch.as_tensor(self._rows)[:, None, :, None]
        cols = torch.as_tensor(self._cols)[None, :, None, :]
        windows = self.padded[:, rows, cols]  # (C, Ho, Wo, kh, kw)
        return windows.permute(1, 2, 0, 3, 4) * self.kernel

    @cached_property
    def output(self) -> torch.Tensor:
        """(Ho, Wo): the sum of each window's products, plus the bias."""
        return self.products.sum(dim=(2, 3, 4)) + self.bias

    def window(self, row: int, col: int) -> list[Cell]:
        """Padded-grid cells the kernel covers for output (row, col), in kernel order."""
        return [(int(r), int(c)) for r in self._rows[row] for c in self._cols[col]]

    def sum_text(self, row: int, col: int) -> str:
        """The expanded sum of products for one output value, one line per input channel."""
        products = self.products[row, col]
        windows = self.padded[:, self._rows[row]][:, :, self._cols[col]]
        lines, totals = [], []
        for channel in range(products.shape[0]):
            pairs = zip(windows[channel].flatten().tolist(), self.kernel[channel].flatten().tolist(), strict=True)
            terms = [f"{_factor(x)}×{_factor(w)}" for x, w in pairs]
            if len(terms) > MAX_TERMS:
                terms = [*terms[: MAX_TERMS - 1], "…", terms[-1]]
            total = float(products[channel].sum())
            totals.append(total)
            prefix = f"channel {channel + 1}: " if products.shape[0] > 1 else ""
            lines.append(f"{prefix}{' + '.join(terms)} = {number(total)}")
        value = number(float(self.output[row, col]))
        parts = [number(t) for t in totals] + ([f"bias {number(self.bias)}"] if self.bias else [])
        if len(parts) > 1:
            lines.append(f"output = {' + '.join(parts)} = {value}")
        return "\n".join(lines)


def explain_conv(
    values: np.ndarray, kernel: np.ndarray, settings: WindowSettings, bias: float = 0.0
) -> ConvExplanation | Problem:
    """Convolve `values` (C, H, W) with `kernel` (C, kh, kw) the way nn.Conv2d does, window by window."""
    channels, height, width = values.shape
    params = {
        "out_channels": 1,
        "groups": 1,
        "bias": True,
        "kernel_size": settings.kernel,
        "stride": settings.stride,
        "padding": settings.padding,
        "dilation": settings.dilation,
        "padding_mode": settings.padding_mode,
    }
    try:
        shape = rules.conv2d((channels, height, width), params)
    except rules.LayerProblem as exc:
        return _problem(exc)
    x = torch.as_tensor(values, dtype=torch.float64)
    ph, pw = settings.padding
    mode = "constant" if settings.padding_mode == "zeros" else settings.padding_mode
    padded = F.pad(x[None], (pw, pw, ph, ph), mode=mode)[0]
    weight = torch.as_tensor(kernel, dtype=torch.float64)
    return ConvExplanation(settings, padded, weight, float(bias), shape.formula)


# ----- pooling ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PoolExplanation:
    """Max or average pooling of one (H, W) map, each output computed from its own window.

    The grid shown runs from −padding to wherever the last window ends (with ceil_mode a window may
    reach past the padding); `grid_origin` is the input index of the grid's first row and column."""

    kind: str  # "max" or "avg"
    settings: WindowSettings
    values: torch.Tensor  # (H, W)
    formula: tuple[str, ...]
    out_shape: Pair

    @cached_property
    def _offsets(self) -> tuple[np.ndarray, np.ndarray]:
        s = self.settings
        return (
            window_offsets(s.padding[0], self.out_shape[0], s.kernel[0], s.stride[0], s.dilation[0]),
            window_offsets(s.padding[1], self.out_shape[1], s.kernel[1], s.stride[1], s.dilation[1]),
        )

    @property
    def grid_origin(self) -> Pair:
        return (-self.settings.padding[0], -self.settings.padding[1])

    @cached_property
    def grid_shape(self) -> Pair:
        rows, cols = self._offsets
        (height, width), (ph, pw) = self.values.shape, self.settings.padding
        return (max(height + ph, int(rows.max()) + 1) + ph, max(width + pw, int(cols.max()) + 1) + pw)

    @cached_property
    def grid(self) -> np.ndarray:
        """The grid's values: the input, with −∞ (max) or 0 (average) in the padding and beyond."""
        fill = float("-inf") if self.kind == "max" else 0.0
        grid = np.full(self.grid_shape, fill)
        (height, width), (ph, pw) = self.values.shape, self.settings.padding
        grid[ph : ph + height, pw : pw + width] = self.values.numpy()
        return grid

    @cached_property
    def outside_mask(self) -> np.ndarray:
        """True where the grid is not input: padding, or (ceil_mode) past the padded input."""
        mask = np.ones(self.grid_shape, dtype=bool)
        (height, width), (ph, pw) = self.values.shape, self.settings.padding
        mask[ph : ph + height, pw : pw + width] = False
        return mask

    def frame(self, row: int, col: int) -> list[Cell]:
        """Every grid cell the window for output (row, col) lays over, counted or not."""
        rows, cols = self._offsets[0][row], self._offsets[1][col]
        return [self._to_grid(r, c) for r in rows for c in cols]

    def window(self, row: int, col: int) -> list[Cell]:
        """Grid cells that count for output (row, col): for max the window's cells inside the input
        (padding is −∞ and never wins), for average every cell the divisor counts."""
        if self.kind == "max":
            rows, cols = self._offsets[0][row], self._offsets[1][col]
            return [self._to_grid(r, c) for r in rows if self._inside(r, 0) for c in cols if self._inside(c, 1)]
        (r0, r1), (c0, c1) = self._avg_span(row, col, self.settings.count_include_pad)
        return [self._to_grid(r, c) for r in range(r0, r1) for c in range(c0, c1)]

    def _inside(self, index: int, axis: int) -> bool:
        return 0 <= index < self.values.shape[axis]

    def _to_grid(self, r: int, c: int) -> Cell:
        return (int(r) - self.grid_origin[0], int(c) - self.grid_origin[1])

    def _avg_span(self, row: int, col: int, with_pad: bool) -> tuple[Pair, Pair]:
        """torch's avg_pool2d window: cut at the far padding edge; cut to the input unless `with_pad`."""
        spans = []
        for axis, index in ((0, row), (1, col)):
            s = self.settings
            start = index * s.stride[axis] - s.padding[axis]
            end = min(start + s.kernel[axis], self.values.shape[axis] + s.padding[axis])
            if not with_pad:
                start, end = max(start, 0), min(end, self.values.shape[axis])
            spans.append((start, end))
        return spans[0], spans[1]

    def divisor(self, row: int, col: int) -> int:
        if self.settings.divisor_override:
            return self.settings.divisor_override
        (r0, r1), (c0, c1) = self._avg_span(row, col, self.settings.count_include_pad)
        return (r1 - r0) * (c1 - c0)

    def chosen(self, row: int, col: int) -> Cell | None:
        """For max pooling, the grid cell holding the maximum (the first one, as torch picks)."""
        cells = self.window(row, col)
        if self.kind != "max" or not cells:
            return None
        values = torch.as_tensor([self.grid[cell] for cell in cells])
        return cells[int(torch.argmax(values))]

    @cached_property
    def output(self) -> torch.Tensor:
        out = torch.zeros(self.out_shape, dtype=torch.float64)
        for row in range(self.out_shape[0]):
            for col in range(self.out_shape[1]):
                out[row, col] = self._value(row, col)
        return out

    def _value(self, row: int, col: int) -> torch.Tensor:
        window = torch.as_tensor([self.grid[cell] for cell in self.window(row, col)], dtype=torch.float64)
        if self.kind == "max":
            return window.max() if len(window) else torch.tensor(float("-inf"))
        divisor = self.divisor(row, col)
        return window.sum() / divisor if divisor else torch.tensor(0.0)

    def value_text(self, row: int, col: int) -> str:
        """How output (row, col) is made, e.g. "max(3, 1, 4, 1) = 4" or "(3 + 1 + 0 + 0) / 4 = 1"."""
        values = [float(self.grid[cell]) for cell in self.window(row, col)]
        result = number(float(self.output[row, col]))
        if self.kind == "max":
            return f"max({', '.join(number(v) for v in values)}) = {result}"
        note = " (padding counts as 0)" if self.settings.count_include_pad and self.settings.padding != (0, 0) else ""
        return f"({' + '.join(_factor(v) for v in values)}) / {self.divisor(row, col)} = {result}{note}"


def explain_pool(values: np.ndarray, kind: str, settings: WindowSettings) -> PoolExplanation | Problem:
    """Pool an (H, W) map like nn.MaxPool2d ("max") or nn.AvgPool2d ("avg"), window by window."""
    params = {
        "kernel_size": settings.kernel,
        "stride": settings.stride,
        "padding": settings.padding,
        "dilation": settings.dilation,
        "ceil_mode": settings.ceil_mode,
    }
    if kind == "avg" and settings.dilation != (1, 1):
        return Problem(say("explore.avg_dilation"))
    rule = rules.max_pool2d if kind == "max" else rules.avg_pool2d
    try:
        shape = rule((1, *values.shape), params)
    except rules.LayerProblem as exc:
        return _problem(exc)
    x = torch.as_tensor(values, dtype=torch.float64)
    return PoolExplanation(kind, settings, x, shape.formula, shape.output[1:])


# ----- example numbers ----------------------------------------------------------------------------------

INPUT_PRESETS = ("Stroke (a 7)", "Random 0–9", "Ramp")
KERNEL_PRESETS = ("Vertical edge", "Horizontal edge", "Box blur", "Identity", "Random −1/0/1")


def input_preset(name: str, channels: int, height: int, width: int, seed: int = 0) -> np.ndarray:
    """Small integer inputs that are easy to multiply in your head; channel c is a variation of channel 0."""
    rng = np.random.default_rng(seed)
    if name == "Random 0–9":
        return rng.integers(0, 10, size=(channels, height, width)).astype(np.float64)
    if name == "Ramp":
        base = (np.arange(height)[:, None] + np.arange(width)[None, :]).astype(np.float64)
    else:  # a bar along the top and a diagonal down to the bottom left, like a handwritten 7
        base = np.zeros((height, width))
        base[min(1, height - 1), 1 : width - 1] = 9
        for row in range(2, height):
            base[row, max(0, round((width - 2) * (height - 1 - row) / max(1, height - 2)))] = 9
    return np.stack([np.roll(base, c, axis=1) if c else base for c in range(channels)])


def kernel_preset(name: str, channels: int, height: int, width: int, seed: int = 0) -> np.ndarray:
    """A classic hand-made filter of any size, the same for every channel (except the random one)."""
    if name == "Random −1/0/1":
        return np.random.default_rng(seed).integers(-1, 2, size=(channels, height, width)).astype(np.float64)
    cols, rows = np.arange(width) - (width - 1) / 2, np.arange(height) - (height - 1) / 2
    if name == "Vertical edge":  # right minus left: bright where values rise to the right
        kernel = np.tile(np.sign(cols), (height, 1))
    elif name == "Horizontal edge":
        kernel = np.tile(np.sign(rows)[:, None], (1, width))
    elif name == "Box blur":
        kernel = np.full((height, width), 1 / (height * width))
    else:
        kernel = np.zeros((height, width))
        kernel[(height - 1) // 2, (width - 1) // 2] = 1
    return np.repeat(kernel[None], channels, axis=0).astype(np.float64)
