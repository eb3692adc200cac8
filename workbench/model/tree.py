"""Where a layer sits in a spec whose rows may be blocks: paths, their text, their torch module names.

A path is a tuple of ints of odd length: `(i,)` is the spec's layer i (0-based); `(i, b, j)` is layer j of
branch b of the block at `(i,)` (a Residual block has one branch, 0); and so on down the blocks. A stack is
named by the path of its block and the branch, `(i, b)`, or `()` for the spec's own layers.

    (2,)        layers.2                 module "2"
    (2, 0, 0)   layers.2.layers.0        module "2.body.0"            (a Residual's layer)
    (3, 1, 0)   layers.3.branches.1.0    module "3.branches.1.0"      (a Concat's branch 1, layer 0)

The text form is what parameter paths use everywhere (`layers.2.layers.0.out_channels`), the module names are
the built model's (`model.get_submodule`, state-dict keys), and `where` is how messages say it to a person
("layer 3 Residual › layer 1 Conv2d", 1-based).
"""

from __future__ import annotations

from collections.abc import Iterator

from workbench.messages import say
from workbench.model.catalog import CONCAT, RESIDUAL
from workbench.model.spec import LayerSpec, ModelSpec

Path = tuple[int, ...]
Stack = tuple[int, ...]  # () or a block's path and a branch: (i, b), (i, b, j, c), …


class PathError(ValueError):
    """A path or its text does not name a layer of the spec; the message says what does."""


def walk(spec: ModelSpec) -> Iterator[tuple[Path, LayerSpec]]:
    """Every layer with its path, depth first in forward order, a block before its layers."""
    yield from walk_stack(spec.layers, ())


def walk_stack(layers: tuple[LayerSpec, ...], stack: Stack) -> Iterator[tuple[Path, LayerSpec]]:
    for index, layer in enumerate(layers):
        path = (*stack, index)
        yield path, layer
        for branch, inner in enumerate(layer.branches):
            yield from walk_stack(inner, (*path, branch))


def stack_of(path: Path) -> Stack:
    """The stack that holds the layer at `path`."""
    return path[:-1]


def stack_layers(spec: ModelSpec, stack: Stack) -> tuple[LayerSpec, ...]:
    """The layers of a stack; PathError if it is not one."""
    if not stack:
        return spec.layers
    block = layer_at(spec, stack[:-1])
    if not 0 <= stack[-1] < len(block.branches):
        raise PathError(f"{where(spec, stack[:-1])} has no branch {stack[-1] + 1}")
    return block.branches[stack[-1]]


def layer_at(spec: ModelSpec, path: Path) -> LayerSpec:
    if len(path) % 2 != 1:
        raise PathError(f"{path} is not the path of a layer (it has an odd number of steps)")
    layers = stack_layers(spec, path[:-1])
    if not 0 <= path[-1] < len(layers):
        raise PathError(f"position {path[-1]} is outside the {len(layers)} layers of {_stack_words(spec, path[:-1])}")
    return layers[path[-1]]


def exists(spec: ModelSpec, path: Path) -> bool:
    try:
        layer_at(spec, path)
    except PathError:
        return False
    return True


def with_stack(spec: ModelSpec, stack: Stack, layers: tuple[LayerSpec, ...]) -> ModelSpec:
    """The spec with the layers of `stack` replaced (the blocks above it rebuilt, everything else shared)."""
    if not stack:
        return spec.with_layers(layers)
    block = layer_at(spec, stack[:-1])
    branches = list(block.branches)
    branches[stack[-1]] = tuple(layers)
    return with_layer(spec, stack[:-1], block.with_branches(branches))


def with_layer(spec: ModelSpec, path: Path, layer: LayerSpec) -> ModelSpec:
    layers = list(stack_layers(spec, path[:-1]))
    layers[path[-1]] = layer
    return with_stack(spec, path[:-1], tuple(layers))


def path_text(spec: ModelSpec, path: Path) -> str:
    """`layers.2.layers.0` or `layers.3.branches.1.0`: the prefix of a parameter path."""
    return ".".join(["layers", *_named_steps(spec, path, "layers")])


def _named_steps(spec: ModelSpec, path: Path, residual: str) -> list[str]:
    """The path's steps as names: a Residual's layers under `residual`, a Concat's under `branches.B`."""
    parts = [str(path[0])]
    for depth in range(1, len(path), 2):
        if layer_at(spec, path[:depth]).type == CONCAT:
            parts += ["branches", str(path[depth]), str(path[depth + 1])]
        else:
            parts += [residual, str(path[depth + 1])]
    return parts


def parse_path(spec: ModelSpec, parts: list[str]) -> tuple[Path, list[str]]:
    """Read a layer's path from the front of `parts` (`["layers", "2", "layers", "0", "out_channels"]`): the
    path and what is left (the parameter's name). PathError, in words, if it names no layer of `spec`."""
    if len(parts) < 2 or parts[0] != "layers":
        raise PathError("a layer's path starts with layers.N (e.g. layers.0.out_channels)")
    path: tuple[int, ...] = (_position(parts[1], spec.layers, "the model"),)
    rest = parts[2:]
    while rest and rest[0] in ("layers", "branches"):
        block = layer_at(spec, path)
        words = where(spec, path)
        if rest[0] == "layers" and block.type == RESIDUAL and len(rest) >= 2:
            path, rest = (*path, 0, _position(rest[1], block.layers, words)), rest[2:]
        elif rest[0] == "branches" and block.type == CONCAT and len(rest) >= 3:
            branch = _position(rest[1], block.branches, words, "branches")
            index = _position(rest[2], block.branches[branch], f"{words} › branch {branch + 1}")
            path, rest = (*path, branch, index), rest[3:]
        else:
            kind = {RESIDUAL: "layers.N", CONCAT: "branches.B.N"}.get(block.type)
            how = f"its layers are {kind}" if kind else "it is not a block"
            raise PathError(f"{words} has no {'.'.join(rest[:3])}: {how}")
    return path, rest


def _position(text: str, items: tuple, words: str, what: str = "layers") -> int:
    if not text.isdigit() or int(text) >= len(items):
        raise PathError(f"{words} has {len(items)} {what} (0 to {len(items) - 1}), not {text!r}")
    return int(text)


def module_name(spec: ModelSpec, path: Path) -> str:
    """The built model's name for the layer at `path` (its `get_submodule` name, its state-dict prefix)."""
    return ".".join(_named_steps(spec, path, "body"))


def where(spec: ModelSpec, path: Path) -> str:
    """The layer at `path` as people say it: 'layer 3 Residual › layer 1 Conv2d' (1-based)."""
    said = say("place.layer", number=path[0] + 1, type=layer_at(spec, path[:1]).type)
    for depth in range(2, len(path), 2):
        inner = say("place.layer", number=path[depth] + 1, type=layer_at(spec, path[: depth + 1]).type)
        if layer_at(spec, path[: depth - 1]).type == CONCAT:
            said = say("place.in_branch", outer=said, branch=path[depth - 1] + 1, inner=inner)
        else:
            said = say("place.in", outer=said, inner=inner)
    return said


def label(spec: ModelSpec, path: Path) -> str:
    """The short, 1-based number of the layer at `path` as tables show it: '3', '3.2' (the second layer in
    the block of row 3), '4.b2.1' (the first layer of branch 2 of row 4's Concat)."""
    parts = [str(path[0] + 1)]
    for depth in range(1, len(path), 2):
        if layer_at(spec, path[:depth]).type == CONCAT:
            parts.append(f"b{path[depth] + 1}")
        parts.append(str(path[depth + 1] + 1))
    return ".".join(parts)


def _stack_words(spec: ModelSpec, stack: Stack) -> str:
    if not stack:
        return "the model"
    block = layer_at(spec, stack[:-1])
    branch = f" › branch {stack[-1] + 1}" if block.type == CONCAT else ""
    return where(spec, stack[:-1]) + branch


def depth_of(path: Path) -> int:
    """How many blocks hold the layer at `path` (0 for the spec's own layers)."""
    return len(path) // 2


def count_layers(spec: ModelSpec) -> int:
    """Every layer, blocks and the layers inside them included."""
    return sum(1 for _ in walk(spec))
