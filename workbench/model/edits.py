"""Edits of a model spec as pure functions, so the builder's undo commands (and tests) never
mutate anything: each returns a new spec."""

from __future__ import annotations

from typing import Any

from workbench.messages import say
from workbench.model import tree
from workbench.model.catalog import CATALOG, CONCAT, RESIDUAL
from workbench.model.params import as_pair
from workbench.model.spec import MAX_BRANCHES, MAX_DEPTH, LayerSpec, ModelSpec
from workbench.model.tree import Path

# Values for required parameters when a layer is first added (torch has no default for them).
STARTER_VALUES: dict[str, dict[str, Any]] = {
    "Conv2d": {"out_channels": 16, "kernel_size": 3},
    "MaxPool2d": {"kernel_size": 2},
    "AvgPool2d": {"kernel_size": 2},
    "AdaptiveAvgPool2d": {"output_size": 1},
    "AdaptiveMaxPool2d": {"output_size": 1},
    "Linear": {"out_features": 10},
}


def new_layer(type_name: str) -> LayerSpec:
    """A layer of this type with usable values for its required parameters; a block with starter layers that
    work on any image (they keep its size), so it can be dropped anywhere a convolution works."""
    if type_name not in CATALOG:
        raise KeyError(type_name)
    if type_name == RESIDUAL:
        conv = LayerSpec("Conv2d", {"out_channels": 16, "kernel_size": 3, "padding": 1})
        return LayerSpec(RESIDUAL, {"relu_after": True}, branches=((conv, LayerSpec("ReLU"), conv),))
    if type_name == CONCAT:
        one = LayerSpec("Conv2d", {"out_channels": 8, "kernel_size": 1})
        three = LayerSpec("Conv2d", {"out_channels": 8, "kernel_size": 3, "padding": 1})
        return LayerSpec(CONCAT, branches=((one,), (three,)))
    return LayerSpec(type_name, STARTER_VALUES.get(type_name, {}))


def _path(where: int | Path) -> Path:
    """A position of the spec's own stack (an int, as the flat builder gave) or a path (`model.tree`)."""
    return (where,) if isinstance(where, int) else tuple(where)


def _check_index(spec: ModelSpec, path: Path, allow_end: bool = False) -> tuple[LayerSpec, ...]:
    try:
        layers = tree.stack_layers(spec, path[:-1])
    except tree.PathError as exc:
        raise IndexError(str(exc)) from None
    limit = len(layers) + (1 if allow_end else 0)
    if not 0 <= path[-1] < limit:
        raise IndexError(f"layer position {path[-1]} is outside 0..{limit - 1}")
    return layers


def _check_depth(path: Path, layer: LayerSpec) -> None:
    deepest = max(tree.depth_of(inner) for inner, _ in tree.walk_stack((layer,), ()))
    if tree.depth_of(path) + deepest > MAX_DEPTH:
        raise IndexError(say("edit.too_deep", most=MAX_DEPTH, depth=tree.depth_of(path) + deepest))


def insert_layer(spec: ModelSpec, index: int | Path, layer: LayerSpec) -> ModelSpec:
    path = _path(index)
    layers = list(_check_index(spec, path, allow_end=True))
    _check_depth(path, layer)
    layers.insert(path[-1], layer)
    return tree.with_stack(spec, path[:-1], tuple(layers))


def remove_layer(spec: ModelSpec, index: int | Path) -> ModelSpec:
    path = _path(index)
    layers = _check_index(spec, path)
    return tree.with_stack(spec, path[:-1], layers[: path[-1]] + layers[path[-1] + 1 :])


def move_layer(spec: ModelSpec, source: int | Path, target: int | Path) -> ModelSpec:
    """Move the layer at `source` so that it ends up at position `target`.

    Within one stack, `target` is the position it ends up at (as before blocks). Into another stack, `target`
    is the position it is inserted at there, read before the move; a block cannot move into itself."""
    source, target = _path(source), _path(target)
    _check_index(spec, source)
    layer = tree.layer_at(spec, source)
    if source[:-1] == target[:-1]:
        layers = list(_check_index(spec, target))
        layers.insert(target[-1], layers.pop(source[-1]))
        return tree.with_stack(spec, source[:-1], tuple(layers))
    if target[: len(source)] == source:
        raise IndexError(say("edit.into_itself"))
    inserted = insert_layer(spec, target, layer)
    # the source's path moves on by one where the insertion went before it (or before a block holding it)
    shifted = list(source)
    depth = len(target) - 1
    if len(source) > depth and source[:depth] == target[:depth] and target[-1] <= source[depth]:
        shifted[depth] += 1
    return remove_layer(inserted, tuple(shifted))


def duplicate_layer(spec: ModelSpec, index: int | Path) -> ModelSpec:
    path = _path(index)
    _check_index(spec, path)
    return insert_layer(spec, (*path[:-1], path[-1] + 1), tree.layer_at(spec, path))


def replace_layer(spec: ModelSpec, index: int | Path, layer: LayerSpec) -> ModelSpec:
    path = _path(index)
    _check_index(spec, path)
    return tree.with_layer(spec, path, layer)


def add_branch(spec: ModelSpec, block: Path) -> ModelSpec:
    """A Concat block with one more branch, empty (it passes the input through) at the end."""
    layer = tree.layer_at(spec, block)
    if layer.type != CONCAT:
        raise IndexError(f"{tree.where(spec, block)} is not a Concat block; only Concat has branches to add")
    if len(layer.branches) >= MAX_BRANCHES:
        raise IndexError(say("edit.too_many_branches", most=MAX_BRANCHES))
    return tree.with_layer(spec, block, layer.with_branches((*layer.branches, ())))


def remove_branch(spec: ModelSpec, block: Path, branch: int) -> ModelSpec:
    layer = tree.layer_at(spec, block)
    if layer.type != CONCAT or not 0 <= branch < len(layer.branches) or len(layer.branches) == 1:
        raise IndexError(say("edit.last_branch"))
    return tree.with_layer(spec, block, layer.with_branches(layer.branches[:branch] + layer.branches[branch + 1 :]))


def setting_value(value) -> str:
    """One parameter value as people read it: 3×5 for a pair, 0.001 not 0.0010000."""
    if isinstance(value, tuple):
        h, w = as_pair(value)
        return f"{h}×{w}"
    return f"{value:g}" if isinstance(value, float) else str(value)


def settings_text(layer: LayerSpec) -> str:
    """The explicitly set parameters, compactly: 'out_channels=10, kernel_size=3×5'."""
    return ", ".join(f"{name}={setting_value(value)}" for name, value in layer.params.items())
