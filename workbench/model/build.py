"""Turn a spec into a torch `nn.Sequential`, inferring the derived sizes from shape inference.

`compute_logits` runs a built model over a whole tensor of inputs, in batches, in eval mode.

Module i of the Sequential is layer i+1 of the spec, so state-dict keys are "0.weight", "3.bias"…; a
block's layers are named as `model.tree.module_name` says ("2.body.0.weight", "3.branches.1.0.bias").
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn

from workbench.model.blocks import Concat, Residual
from workbench.model.catalog import RESIDUAL
from workbench.model.shapes import LayerInfo, Projection, infer
from workbench.model.spec import LayerSpec, ModelSpec

EVAL_BATCH = 1024
EVAL_BYTES = 1 << 30  # of layer outputs per batch when computing logits; a large model gets smaller batches


class BuildError(ValueError):
    """The spec cannot be built; the message names the layer (from shape inference)."""


def build_model(spec: ModelSpec) -> nn.Sequential:
    inference = infer(spec)
    if inference.error is not None:
        raise BuildError(inference.error.message)
    if inference.over_budget is not None:  # before torch allocates anything
        raise BuildError(inference.over_budget)
    return _stack(spec.layers, inference.layers)


def _stack(layers: tuple[LayerSpec, ...], infos: tuple[LayerInfo, ...]) -> nn.Sequential:
    return nn.Sequential(*(_module(layer, info) for layer, info in zip(layers, infos, strict=True)))


def _module(layer: LayerSpec, info: LayerInfo) -> nn.Module:
    if layer.type == RESIDUAL:
        projection = None if info.projection is None else _projection(info.projection)
        return Residual(_stack(layer.layers, info.branches[0]), projection, layer.resolved()["relu_after"])
    if layer.is_block:
        return Concat([_stack(branch, infos) for branch, infos in zip(layer.branches, info.branches, strict=True)])
    kwargs = layer.resolved()
    derived = layer.layer_type.derived
    if derived is not None:
        kwargs = {derived: info.input[0], **kwargs}  # channels or features come first
    return getattr(nn, layer.type)(**kwargs)


def _projection(projection: Projection) -> nn.Sequential:
    conv = nn.Conv2d(
        projection.in_channels,
        projection.out_channels,
        1,
        stride=projection.stride,
        bias=not projection.batch_norm,
    )
    return (
        nn.Sequential(conv, nn.BatchNorm2d(projection.out_channels)) if projection.batch_norm else nn.Sequential(conv)
    )


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def logits_model(model: nn.Sequential) -> nn.Sequential:
    """The model without a trailing Softmax/LogSoftmax: its outputs are the logits.

    Training uses cross-entropy on these logits (so a Softmax layer at the end does not break
    training), and logits export writes them."""
    end = len(model)
    while end > 0 and isinstance(model[end - 1], (nn.Softmax, nn.LogSoftmax)):
        end -= 1
    return model if end == len(model) else model[:end]


@torch.no_grad()
def compute_logits(
    model: nn.Sequential,
    x: torch.Tensor,
    batch_size: int = EVAL_BATCH,
    progress: Callable[[int, int], None] | None = None,
) -> torch.Tensor:
    """Logits (the output before any trailing Softmax/LogSoftmax) for normalised inputs, in eval mode.

    Batches hold at most `batch_size` images, and fewer where their layer outputs would pass EVAL_BYTES."""
    head = logits_model(model)
    was_training = model.training
    model.eval()
    try:
        if len(x):
            batch_size = max(1, min(batch_size, EVAL_BYTES // max(1, _output_bytes(head, x[:1]))))
        chunks = []
        for start in range(0, len(x), batch_size):
            chunks.append(head(x[start : start + batch_size]).float().flatten(1))
            if progress is not None:
                progress(min(start + batch_size, len(x)), len(x))
        if not chunks:
            return torch.empty(0, 0)
        return torch.cat(chunks)
    finally:
        model.train(was_training)


def _output_bytes(model: nn.Sequential, one: torch.Tensor) -> int:
    """What the layer outputs of `model` take for the single input `one`, measured by running it."""
    sizes: list[int] = []
    hooks = [
        layer.register_forward_hook(lambda _m, _i, out: sizes.append(out.numel() * out.element_size()))
        for layer in model.modules()
        if not isinstance(layer, (nn.Sequential, nn.ModuleList))
    ]
    try:
        model(one)
    finally:
        for hook in hooks:
            hook.remove()
    return sum(sizes)
