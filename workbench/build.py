"""Turn a spec into a torch `nn.Sequential`, inferring the derived sizes from shape inference.

Module i of the Sequential is layer i+1 of the spec, so state-dict keys are "0.weight", "3.bias"…
"""

from __future__ import annotations

from torch import nn

from workbench.shapes import infer
from workbench.spec import ModelSpec


class BuildError(ValueError):
    """The spec cannot be built; the message names the layer (from shape inference)."""


def build_model(spec: ModelSpec) -> nn.Sequential:
    inference = infer(spec)
    if inference.error is not None:
        raise BuildError(inference.error.message)
    modules = []
    for layer, info in zip(spec.layers, inference.layers, strict=True):
        kwargs = layer.resolved()
        derived = layer.layer_type.derived
        if derived is not None:
            kwargs = {derived: info.input[0], **kwargs}  # channels or features come first
        modules.append(getattr(nn, layer.type)(**kwargs))
    return nn.Sequential(*modules)


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
