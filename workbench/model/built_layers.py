"""A built model's layers in forward order, blocks' layers included, found from the modules alone.

The insight features (the probe's feature maps, layer health, Grad-CAM) and the explorer's first convolution
get a built `nn.Sequential`, not its spec. Its blocks are `model.blocks` modules, whose attribute names say
where their layers sit, so the walk gives each layer the same path as `model.tree.walk` gives the spec's
(depth first, a block before its layers), its module name (`model.get_submodule`, as `tree.module_name`)
and a short place for people ("3 Residual › 1 Conv2d", "4 Concat › branch 2 › 1 MaxPool2d"). A Residual's
projection (the 1×1 convolution that reshapes its input for the sum) is walked after the block's layers,
marked `projection`, with no spec path of its own ("3 Residual › projection Conv2d").
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

from torch import nn

from workbench.messages import say
from workbench.model.blocks import Concat, Residual

__all__ = ["BuiltLayer", "walk_modules"]


@dataclass(frozen=True, eq=False)
class BuiltLayer:
    path: tuple[int, ...]  # as `model.tree` (0-based); a projection's layer has its block's path
    name: str  # the module's name in the model: "0", "1.body.0", "2.branches.1.0", "1.projection.0"
    module: nn.Module
    place: str  # "2 Conv2d", "3 Residual › 1 Conv2d", "3 Residual › projection Conv2d" (1-based)
    before: tuple[nn.Module, ...]  # the modules that make its input from the model's, in order
    projection: bool = False
    where: str = ""  # the place in words with codes (`model.tree.where`'s): 'layer 3 Residual › layer 1 Conv2d'

    @property
    def type(self) -> str:
        return type(self.module).__name__

    @property
    def top_level(self) -> bool:
        """A layer of the model's own stack (not inside a block)."""
        return len(self.path) == 1 and not self.projection


def walk_modules(model: nn.Module, projections: bool = True) -> Iterator[BuiltLayer]:
    """Every layer of `model` (an nn.Sequential as `model.build` makes it) with where it sits, in forward order;
    with `projections` False, only the layers a spec has (`tree.walk`'s)."""
    yield from _walk_stack(list(model.children()), (), "", "", (), projections, None)


def _walk_stack(
    layers: list[nn.Module],
    stack: tuple[int, ...],
    prefix: str,
    words: str,
    before: tuple,
    projections: bool,
    outer: Callable[[str], str] | None,
) -> Iterator[BuiltLayer]:
    """`outer`: where a layer of this stack is, from its own place (None for the model's own stack)."""
    for index, module in enumerate(layers):
        path, name = (*stack, index), f"{prefix}{index}"
        place = f"{words}{index + 1} {type(module).__name__}"
        here = say("place.layer", number=index + 1, type=type(module).__name__)
        where = here if outer is None else outer(here)
        made_by = before + tuple(layers[:index])
        yield BuiltLayer(path, name, module, place, made_by, where=where)
        if isinstance(module, Residual):
            inside = partial(_inside, where)
            body = list(module.body)
            yield from _walk_stack(body, (*path, 0), f"{name}.body.", f"{place} › ", made_by, projections, inside)
            if projections and module.projection is not None:
                yield from _walk_projection(module.projection, path, name, place, made_by, where)
        elif isinstance(module, Concat):
            for branch, inner in enumerate(module.branches):
                words_in = f"{place} › branch {branch + 1} › "
                in_branch, named = partial(_in_branch, where, branch + 1), f"{name}.branches.{branch}."
                yield from _walk_stack(list(inner), (*path, branch), named, words_in, made_by, projections, in_branch)


def _inside(outer: str, inner: str) -> str:
    return say("place.in", outer=outer, inner=inner)


def _in_branch(outer: str, branch: int, inner: str) -> str:
    return say("place.in_branch", outer=outer, branch=branch, inner=inner)


def _walk_projection(
    projection: nn.Sequential, path: tuple[int, ...], name: str, place: str, before: tuple, where: str
) -> Iterator[BuiltLayer]:
    layers = list(projection)
    for index, module in enumerate(layers):
        words = f"{place} › projection {type(module).__name__}"
        made_by = before + tuple(layers[:index])
        said = say("place.projection", outer=where, type=type(module).__name__)
        yield BuiltLayer(path, f"{name}.projection.{index}", module, words, made_by, projection=True, where=said)
