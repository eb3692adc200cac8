"""Edits of a model spec as pure functions, so the builder's undo commands (and tests) never
mutate anything: each returns a new spec."""

from __future__ import annotations

from typing import Any

from workbench.model.catalog import CATALOG
from workbench.model.params import as_pair
from workbench.model.spec import LayerSpec, ModelSpec

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
    """A layer of this type with usable values for its required parameters."""
    if type_name not in CATALOG:
        raise KeyError(type_name)
    return LayerSpec(type_name, STARTER_VALUES.get(type_name, {}))


def _check_index(spec: ModelSpec, index: int, allow_end: bool = False) -> None:
    limit = len(spec.layers) + (1 if allow_end else 0)
    if not 0 <= index < limit:
        raise IndexError(f"layer position {index} is outside 0..{limit - 1}")


def insert_layer(spec: ModelSpec, index: int, layer: LayerSpec) -> ModelSpec:
    _check_index(spec, index, allow_end=True)
    layers = list(spec.layers)
    layers.insert(index, layer)
    return spec.with_layers(layers)


def remove_layer(spec: ModelSpec, index: int) -> ModelSpec:
    _check_index(spec, index)
    return spec.with_layers(spec.layers[:index] + spec.layers[index + 1 :])


def move_layer(spec: ModelSpec, source: int, target: int) -> ModelSpec:
    """Move the layer at `source` so that it ends up at position `target`."""
    _check_index(spec, source)
    _check_index(spec, target)
    layers = list(spec.layers)
    layers.insert(target, layers.pop(source))
    return spec.with_layers(layers)


def duplicate_layer(spec: ModelSpec, index: int) -> ModelSpec:
    _check_index(spec, index)
    return insert_layer(spec, index + 1, spec.layers[index])


def replace_layer(spec: ModelSpec, index: int, layer: LayerSpec) -> ModelSpec:
    _check_index(spec, index)
    layers = list(spec.layers)
    layers[index] = layer
    return spec.with_layers(layers)


def setting_value(value) -> str:
    """One parameter value as people read it: 3×5 for a pair, 0.001 not 0.0010000."""
    if isinstance(value, tuple):
        h, w = as_pair(value)
        return f"{h}×{w}"
    return f"{value:g}" if isinstance(value, float) else str(value)


def settings_text(layer: LayerSpec) -> str:
    """The explicitly set parameters, compactly: 'out_channels=10, kernel_size=3×5'."""
    return ", ".join(f"{name}={setting_value(value)}" for name, value in layer.params.items())
