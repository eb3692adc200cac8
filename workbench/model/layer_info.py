"""What shape inference says of one layer (`LayerInfo`, a block's with its layers inside), of the layer that
fails (`LayerError`, located by its path) and of a Residual block's projection; `model/shapes.py` and
`model/block_shapes.py` make them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from workbench.messages import say
from workbench.model.shape_rules import Shape
from workbench.model.spec import ModelSpec
from workbench.model.tree import Path, where


@dataclass(frozen=True)
class Projection:
    """What a Residual block adds to its input when its layers change the channels or the size: a 1×1
    convolution with their overall stride, and BatchNorm2d when they use BatchNorm."""

    in_channels: int
    out_channels: int
    stride: tuple[int, int]
    batch_norm: bool
    params: int
    macs: int

    @property
    def text(self) -> str:
        stride = f", stride {self.stride[0]}×{self.stride[1]}" if self.stride != (1, 1) else ""
        norm = " + BatchNorm2d" if self.batch_norm else ""
        return f"1×1 Conv2d {self.in_channels}→{self.out_channels}{stride}{norm} ({self.params:,} parameters)"


@dataclass(frozen=True)
class LayerInfo:
    index: int  # 1-based position in its own stack, as shown to people
    type: str
    input: Shape
    output: Shape
    params: int  # a block's: its layers' and its projection's
    macs: int
    formula: tuple[str, ...]
    path: Path = ()  # where it sits (`model.tree`)
    branches: tuple[tuple[LayerInfo, ...], ...] = ()  # a block's layers, per stack
    projection: Projection | None = None  # a Residual block's, when it needs one

    def walk(self) -> Iterator[LayerInfo]:
        yield self
        for branch in self.branches:
            for info in branch:
                yield from info.walk()


@dataclass(frozen=True)
class LayerError:
    index: int  # 1-based position of the spec's row that fails (the block that holds the failing layer)
    type: str  # the failing layer's
    input: Shape
    cause: str
    fix: str
    path: Path = ()
    where: str = ""  # 'layer 3 Residual › layer 2 Conv2d'; empty for a row of the spec itself

    @property
    def message(self) -> str:
        where = self.where or say("place.layer", number=self.index, type=self.type)
        return say("layer.problem", where=where, cause=self.cause, fix=self.fix)


def located(spec: ModelSpec, path: Path, type_name: str, shape: Shape, cause: str, fix: str) -> LayerError:
    """The error of the layer at `path`, said where it is."""
    return LayerError(path[0] + 1, type_name, shape, cause, fix, path, where(spec, path) if len(path) > 1 else "")
