"""Shape inference: walk a spec and report, per layer, output shape, parameters, MACs and the
output-size formula, or a located error. Never raises into the caller and never needs torch."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from workbench.messages import say
from workbench.model.block_shapes import infer_block
from workbench.model.layer_info import LayerError, LayerInfo, Projection, located
from workbench.model.shape_rules import LayerProblem, LayerShape, Shape, shape_text
from workbench.model.spec import LayerSpec, ModelSpec
from workbench.model.tree import Path, Stack

__all__ = ["Inference", "LayerError", "LayerInfo", "Projection", "describe_shape", "infer", "infer_stack"]

BYTES_PER_VALUE = 4  # float32
# The largest model this app builds. Above it a model is refused in one line before any memory is taken: a
# file or spec asking for more (a 65536→65536 Linear is 16 GiB) would otherwise reach the allocator and take the
# machine's memory or die there. 1 GiB of weights (268 million) is 2,000 times the largest template; with
# Adam's two moments and the gradients it trains in about 4 GiB, and its checkpoint (3 GiB) stays within what
# `model_file.CHECKPOINT_MAX_BYTES` reads back. 256 MiB of layer outputs per image leaves room for a batch of 8
# within 4 GiB counting backward's copies. Under a 4 GB address-space limit (`ulimit -v 4000000`) torch's own
# libraries already take 1-3.3 GB (3.2 GB with its CUDA libraries), so there the point is the refusal: an
# over-budget model is one line before any allocation, and one near the budget fails at its first allocation.
MAX_PARAM_BYTES = 1024**3
MAX_ACTIVATION_BYTES = 256 * 1024**2


@dataclass(frozen=True)
class Inference:
    input: Shape
    layers: tuple[LayerInfo, ...]  # the layers that worked, in order, up to any error
    error: LayerError | None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def output(self) -> Shape:
        return self.layers[-1].output if self.layers else self.input

    def walk(self) -> Iterator[LayerInfo]:
        """Every layer's info, those inside blocks too, depth first in forward order."""
        for info in self.layers:
            yield from info.walk()

    def at(self, path: Path) -> LayerInfo | None:
        """The info of the layer at `path`, or None where inference stopped before it."""
        return next((info for info in self.walk() if info.path == tuple(path)), None)

    @property
    def total_params(self) -> int:
        return sum(layer.params for layer in self.layers)

    @property
    def total_macs(self) -> int:
        return sum(layer.macs for layer in self.layers)

    @property
    def activation_bytes(self) -> int:
        """Memory of all layer outputs for one sample in float32 (forward pass)."""
        return BYTES_PER_VALUE * sum(_count(layer.output) for layer in self.walk())

    @property
    def param_bytes(self) -> int:
        return BYTES_PER_VALUE * self.total_params

    @property
    def over_budget(self) -> str | None:
        """Why the model is too large to build (one line), or None."""
        if self.param_bytes > MAX_PARAM_BYTES:
            return (
                f"the model has {self.total_params:,} parameters ({_gib(self.param_bytes)}), more than the "
                f"{_gib(MAX_PARAM_BYTES)} this app builds; make its Linear or Conv2d layers smaller"
            )
        if self.activation_bytes > MAX_ACTIVATION_BYTES:
            return (
                f"the model's layer outputs take {_gib(self.activation_bytes)} per image, more than the "
                f"{_gib(MAX_ACTIVATION_BYTES)} allowed; use fewer channels, a smaller input or pool earlier"
            )
        return None

    def to_json(self) -> dict:
        return {
            "input": list(self.input),
            "layers": [_layer_json(layer) for layer in self.layers],
            "error": None if self.error is None else self.error.message,
            "total_params": self.total_params,
            "total_macs": self.total_macs,
            "activation_bytes": self.activation_bytes,
            "param_bytes": self.param_bytes,
            "over_budget": self.over_budget,
        }


def _layer_json(layer: LayerInfo) -> dict:
    """One layer's figures; a block's with its layers (`branches`, one list per stack) and its projection."""
    data = {
        "index": layer.index,
        "type": layer.type,
        "output": list(layer.output),
        "params": layer.params,
        "macs": layer.macs,
        "formula": list(layer.formula),
    }
    if layer.branches:
        data["branches"] = [[_layer_json(info) for info in branch] for branch in layer.branches]
    if layer.projection is not None:
        data["projection"] = {"text": layer.projection.text, "params": layer.projection.params}
    return data


def _gib(count: int) -> str:
    return f"{count / 1024**3:.2f} GiB" if count >= 1024**3 else f"{count / 1024**2:.0f} MiB"


def _count(shape: Shape) -> int:
    total = 1
    for dim in shape:
        total *= dim
    return total


def infer(spec: ModelSpec) -> Inference:
    """Per-layer shapes up to the first layer that cannot work (which is reported, not raised)."""
    infos, error = infer_stack(spec, spec.layers, (), tuple(spec.input))
    return Inference(spec.input, infos, error)


def infer_stack(
    spec: ModelSpec, layers: tuple[LayerSpec, ...], stack: Stack, shape: Shape
) -> tuple[tuple[LayerInfo, ...], LayerError | None]:
    """The infos of one stack's layers from input `shape`, up to the first that fails."""
    infos: list[LayerInfo] = []
    for position, layer in enumerate(layers):
        path = (*stack, position)
        if layer.is_block:
            info, error = infer_block(spec, layer, path, shape, infer_stack)
            if error is not None:
                return tuple(infos), error
        else:
            try:
                result: LayerShape = layer.layer_type.rule(shape, layer.resolved())
            except LayerProblem as problem:
                return tuple(infos), located(spec, path, layer.type, shape, problem.cause, problem.fix)
            except Exception as exc:  # a rule bug must not take the app down; report it at the layer
                cause = f"cannot work out the output shape ({type(exc).__name__}: {exc})"
                return tuple(infos), located(spec, path, layer.type, shape, cause, say("fix.parameters"))
            info = LayerInfo(
                position + 1, layer.type, shape, result.output, result.params, result.macs, result.formula, path
            )
        infos.append(info)
        shape = info.output
    return tuple(infos), None


def describe_shape(shape: Shape) -> str:
    return shape_text(shape)
