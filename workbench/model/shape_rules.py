"""How each layer type turns an input shape into an output shape, a parameter count and MACs.

Shapes here are per sample (no batch dimension): (C, H, W) for images, (F,) for flat vectors.
Every rule mirrors the arithmetic and the checks of torch's own implementation, so that shape
inference agrees with the built model (tests/core/test_shapes_property.py proves it). A rule that
finds the layer cannot work raises `LayerProblem` with the cause and a fix, in plain words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from workbench.messages import say
from workbench.model.params import as_pair

Shape = tuple[int, ...]


@dataclass(frozen=True)
class LayerShape:
    output: Shape
    params: int = 0
    macs: int = 0
    formula: tuple[str, ...] = ()


class LayerProblem(Exception):
    """The layer cannot work on its input; `cause` and `fix` are user-facing sentences."""

    def __init__(self, cause: str, fix: str):
        super().__init__(f"{cause}; {fix}")
        self.cause = cause
        self.fix = fix


def shape_text(shape: Shape) -> str:
    return "×".join(str(d) for d in shape)


def _need_image(in_shape: Shape, layer: str) -> tuple[int, int, int]:
    if len(in_shape) != 3:
        raise LayerProblem(say("shape.needs_image", layer=layer, shape=shape_text(in_shape)), say("fix.needs_image"))
    return in_shape  # type: ignore[return-value]


def _dim_formula(axis: str, size: int, pad: int, dil: int, k: int, stride: int, out: int, ceil: bool) -> str:
    left, right = ("⌈", "⌉") if ceil else ("⌊", "⌋")
    return f"{axis}_out = {left}({size} + 2·{pad} − {dil}·({k}−1) − 1)/{stride}{right} + 1 = {out}"


def conv_out(size: int, pad: int, dil: int, k: int, stride: int) -> int:
    return (size + 2 * pad - dil * (k - 1) - 1) // stride + 1


def pool_out(size: int, pad: int, dil: int, k: int, stride: int, ceil: bool) -> int:
    """torch's pooling_output_shape, including its ceil_mode correction."""
    numerator = size + 2 * pad - dil * (k - 1) - 1 + (stride - 1 if ceil else 0)
    out = numerator // stride + 1
    if ceil and (out - 1) * stride >= size + pad:
        out -= 1
    return out


def conv2d(in_shape: Shape, p: dict[str, Any]) -> LayerShape:
    channels, height, width = _need_image(in_shape, "Conv2d")
    out_channels, groups = p["out_channels"], p["groups"]
    for code, count in (("shape.groups_channels", channels), ("shape.groups_out_channels", out_channels)):
        if count % groups:
            raise LayerProblem(
                say(code, groups=groups, count=count),
                say("fix.groups", channels=channels, out_channels=out_channels),
            )
    kh, kw = as_pair(p["kernel_size"])
    sh, sw = as_pair(p["stride"])
    dh, dw = as_pair(p["dilation"])
    padding = p["padding"]
    if padding == "same":
        if (sh, sw) != (1, 1):
            raise LayerProblem(say("shape.same_stride"), say("fix.same_stride"))
        ph, pw = dh * (kh - 1) // 2, dw * (kw - 1) // 2
        extra = (dh * (kh - 1) - 2 * ph, dw * (kw - 1) - 2 * pw)
    else:
        ph, pw = (0, 0) if padding == "valid" else as_pair(padding)
        extra = (0, 0)
    _check_padding_mode(p["padding_mode"], (ph + extra[0], pw + extra[1]), (height, width))
    out_h = conv_out(height + extra[0], ph, dh, kh, sh)
    out_w = conv_out(width + extra[1], pw, dw, kw, sw)
    if out_h < 1 or out_w < 1:
        span = (dh * (kh - 1) + 1, dw * (kw - 1) + 1)
        cause = say(
            "shape.conv_kernel",
            kernel=_pair_text((kh, kw)),
            span=_pair_text(span),
            height=height,
            width=width,
            padding=_pair_text((ph, pw)),
        )
        raise LayerProblem(cause, say("fix.conv_kernel"))
    per_output = (channels // groups) * kh * kw
    params = out_channels * per_output + (out_channels if p["bias"] else 0)
    formula = (
        _dim_formula("H", height, ph, dh, kh, sh, out_h, False),
        _dim_formula("W", width, pw, dw, kw, sw, out_w, False),
    )
    if padding == "same":
        formula = (f"padding='same': H_out = H_in = {out_h}, W_out = W_in = {out_w}",)
    return LayerShape((out_channels, out_h, out_w), params, out_channels * out_h * out_w * per_output, formula)


def _check_padding_mode(mode: str, pads: tuple[int, int], sizes: tuple[int, int]) -> None:
    for pad, size in zip(pads, sizes, strict=True):
        if mode == "reflect" and pad >= size:
            raise LayerProblem(say("shape.reflect", padding=pad, size=size), say("fix.reflect"))
        if mode == "circular" and pad > size:
            raise LayerProblem(say("shape.circular", padding=pad, size=size), say("fix.circular"))


def _pair_text(pair: tuple[int, int]) -> str:
    return str(pair[0]) if pair[0] == pair[1] else f"{pair[0]}×{pair[1]}"


def _pool(in_shape: Shape, p: dict[str, Any], layer: str, dilation: Any) -> LayerShape:
    channels, height, width = _need_image(in_shape, layer)
    kh, kw = as_pair(p["kernel_size"])
    sh, sw = as_pair(p["stride"] if p["stride"] is not None else p["kernel_size"])
    ph, pw = as_pair(p["padding"])
    dh, dw = as_pair(dilation)
    if ph > kh // 2 or pw > kw // 2:
        raise LayerProblem(
            say("shape.pool_padding", padding=_pair_text((ph, pw)), kernel=_pair_text((kh, kw))),
            say("fix.pool_padding", most=_pair_text((kh // 2, kw // 2))),
        )
    ceil = p["ceil_mode"]
    out_h = pool_out(height, ph, dh, kh, sh, ceil)
    out_w = pool_out(width, pw, dw, kw, sw, ceil)
    if out_h < 1 or out_w < 1:
        raise LayerProblem(
            say("shape.pool_kernel", kernel=_pair_text((kh, kw)), height=height, width=width), say("fix.pool_kernel")
        )
    formula = (
        _dim_formula("H", height, ph, dh, kh, sh, out_h, ceil),
        _dim_formula("W", width, pw, dw, kw, sw, out_w, ceil),
    )
    return LayerShape((channels, out_h, out_w), 0, 0, formula)


def max_pool2d(in_shape: Shape, p: dict[str, Any]) -> LayerShape:
    return _pool(in_shape, p, "MaxPool2d", p["dilation"])


def avg_pool2d(in_shape: Shape, p: dict[str, Any]) -> LayerShape:
    result = _pool(in_shape, p, "AvgPool2d", 1)
    kh, kw = as_pair(p["kernel_size"])
    return LayerShape(result.output, 0, math.prod(result.output) * kh * kw, result.formula)


def adaptive_avg_pool2d(in_shape: Shape, p: dict[str, Any]) -> LayerShape:
    return _adaptive_pool(in_shape, p, "AdaptiveAvgPool2d")


def adaptive_max_pool2d(in_shape: Shape, p: dict[str, Any]) -> LayerShape:
    return _adaptive_pool(in_shape, p, "AdaptiveMaxPool2d")


def _adaptive_pool(in_shape: Shape, p: dict[str, Any], name: str) -> LayerShape:
    """Each input value is read once (added, or compared), whatever the output size."""
    channels, height, width = _need_image(in_shape, name)
    out_h, out_w = as_pair(p["output_size"])
    formula = (say("formula.always", size=f"{out_h}×{out_w}", input=f"{height}×{width}"),)
    return LayerShape((channels, out_h, out_w), 0, channels * height * width, formula)


def batch_norm2d(in_shape: Shape, p: dict[str, Any]) -> LayerShape:
    channels = _need_image(in_shape, "BatchNorm2d")[0]
    return LayerShape(in_shape, 2 * channels if p["affine"] else 0, math.prod(in_shape))


def batch_norm1d(in_shape: Shape, p: dict[str, Any]) -> LayerShape:
    if len(in_shape) not in (1, 2):
        raise LayerProblem(say("shape.batchnorm1d", shape=shape_text(in_shape)), say("fix.batchnorm1d"))
    features = in_shape[0]
    return LayerShape(in_shape, 2 * features if p["affine"] else 0, math.prod(in_shape))


def elementwise(in_shape: Shape, p: dict[str, Any]) -> LayerShape:
    return LayerShape(in_shape)


def dropout2d(in_shape: Shape, p: dict[str, Any]) -> LayerShape:
    _need_image(in_shape, "Dropout2d")
    return LayerShape(in_shape)


def _batched_dim(dim: int, rank: int, name: str) -> int:
    """Normalise a torch dim index (counted with the batch dimension) to a per-sample index."""
    ndim = rank + 1
    if not -ndim <= dim < ndim:
        raise LayerProblem(
            say("shape.dim_range", name=name, dim=dim, ndim=ndim), say("fix.dim_range", low=-ndim, high=ndim - 1)
        )
    dim = dim % ndim
    if dim == 0:
        raise LayerProblem(say("shape.dim_batch", name=name, dim=dim), say("fix.dim_batch"))
    return dim - 1


def flatten(in_shape: Shape, p: dict[str, Any]) -> LayerShape:
    start = _batched_dim(p["start_dim"], len(in_shape), "start_dim")
    end = _batched_dim(p["end_dim"], len(in_shape), "end_dim")
    if start > end:
        raise LayerProblem(say("shape.flatten_dims"), say("fix.flatten_dims"))
    merged = math.prod(in_shape[start : end + 1])
    output = (*in_shape[:start], merged, *in_shape[end + 1 :])
    formula = (f"{' · '.join(str(d) for d in in_shape[start : end + 1])} = {merged}",)
    return LayerShape(output, 0, 0, formula)


def linear(in_shape: Shape, p: dict[str, Any]) -> LayerShape:
    if len(in_shape) != 1:
        raise LayerProblem(say("shape.linear", shape=shape_text(in_shape)), say("fix.linear"))
    in_features, out_features = in_shape[0], p["out_features"]
    params = in_features * out_features + (out_features if p["bias"] else 0)
    return LayerShape((out_features,), params, in_features * out_features)


def softmax(in_shape: Shape, p: dict[str, Any]) -> LayerShape:
    _batched_dim(p["dim"], len(in_shape), "dim")
    return LayerShape(in_shape)


def block(in_shape: Shape, params: dict[str, Any]) -> LayerShape:
    """Blocks have no rule of their own: `model.shapes` infers them from their layers."""
    raise LayerProblem("a block's output comes from its layers", "infer it with workbench.model.shapes.infer")
