"""Shape inference: walk a spec and report, per layer, output shape, parameters, MACs and the
output-size formula, or a located error. Never raises into the caller and never needs torch."""

from __future__ import annotations

from dataclasses import dataclass

from workbench.model.shape_rules import LayerProblem, LayerShape, Shape, shape_text
from workbench.model.spec import ModelSpec

BYTES_PER_VALUE = 4  # float32


@dataclass(frozen=True)
class LayerInfo:
    index: int  # 1-based, as shown to people
    type: str
    input: Shape
    output: Shape
    params: int
    macs: int
    formula: tuple[str, ...]


@dataclass(frozen=True)
class LayerError:
    index: int
    type: str
    input: Shape
    cause: str
    fix: str

    @property
    def message(self) -> str:
        return f"layer {self.index} {self.type}: {self.cause}; {self.fix}"


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

    @property
    def total_params(self) -> int:
        return sum(layer.params for layer in self.layers)

    @property
    def total_macs(self) -> int:
        return sum(layer.macs for layer in self.layers)

    @property
    def activation_bytes(self) -> int:
        """Memory of all layer outputs for one sample in float32 (forward pass)."""
        return BYTES_PER_VALUE * sum(_count(layer.output) for layer in self.layers)

    @property
    def param_bytes(self) -> int:
        return BYTES_PER_VALUE * self.total_params

    def to_json(self) -> dict:
        return {
            "input": list(self.input),
            "layers": [
                {
                    "index": layer.index,
                    "type": layer.type,
                    "output": list(layer.output),
                    "params": layer.params,
                    "macs": layer.macs,
                    "formula": list(layer.formula),
                }
                for layer in self.layers
            ],
            "error": None if self.error is None else self.error.message,
            "total_params": self.total_params,
            "total_macs": self.total_macs,
            "activation_bytes": self.activation_bytes,
            "param_bytes": self.param_bytes,
        }


def _count(shape: Shape) -> int:
    total = 1
    for dim in shape:
        total *= dim
    return total


def infer(spec: ModelSpec) -> Inference:
    """Per-layer shapes up to the first layer that cannot work (which is reported, not raised)."""
    shape: Shape = tuple(spec.input)
    infos: list[LayerInfo] = []
    for index, layer in enumerate(spec.layers, start=1):
        try:
            result: LayerShape = layer.layer_type.rule(shape, layer.resolved())
        except LayerProblem as problem:
            return Inference(spec.input, tuple(infos), LayerError(index, layer.type, shape, problem.cause, problem.fix))
        except Exception as exc:  # a rule bug must not take the app down; report it at the layer
            cause = f"cannot work out the output shape ({type(exc).__name__}: {exc})"
            return Inference(
                spec.input, tuple(infos), LayerError(index, layer.type, shape, cause, "check its parameters")
            )
        infos.append(LayerInfo(index, layer.type, shape, result.output, result.params, result.macs, result.formula))
        shape = result.output
    return Inference(spec.input, tuple(infos), None)


def describe_shape(shape: Shape) -> str:
    return shape_text(shape)
