from __future__ import annotations

import pytest

from workbench.model import templates
from workbench.model.catalog import CATALOG
from workbench.model.edits import (
    duplicate_layer,
    insert_layer,
    move_layer,
    new_layer,
    remove_layer,
    replace_layer,
    settings_text,
)
from workbench.model.shapes import infer
from workbench.model.spec import LayerSpec, ModelSpec

SPEC = templates.template("mnist-classic")


def types(spec: ModelSpec) -> list[str]:
    return [layer.type for layer in spec.layers]


def test_every_catalog_layer_can_be_added_with_valid_required_values():
    for name in CATALOG:
        layer = new_layer(name)
        for param in layer.layer_type.params:
            if param.required:
                assert param.check(layer.params[param.name]) == layer.params[param.name]


def test_insert_remove_move_duplicate_replace_return_new_specs():
    added = insert_layer(SPEC, 1, new_layer("BatchNorm2d"))
    assert types(added)[:3] == ["Conv2d", "BatchNorm2d", "ReLU"] and types(SPEC)[1] == "ReLU"
    assert remove_layer(added, 1) == SPEC
    moved = move_layer(SPEC, 0, 2)
    assert types(moved)[:3] == ["ReLU", "MaxPool2d", "Conv2d"]
    assert move_layer(moved, 2, 0) == SPEC
    assert types(duplicate_layer(SPEC, 1))[:3] == ["Conv2d", "ReLU", "ReLU"]
    replaced = replace_layer(SPEC, 0, SPEC.layers[0].with_params(out_channels=8))
    assert infer(replaced).layers[0].output == (8, 24, 24)
    assert insert_layer(SPEC, len(SPEC.layers), new_layer("Softmax")).layers[-1].type == "Softmax"


def test_positions_outside_the_stack_are_refused():
    with pytest.raises(IndexError):
        remove_layer(SPEC, 10)
    with pytest.raises(IndexError):
        move_layer(SPEC, 0, 10)
    with pytest.raises(IndexError):
        insert_layer(SPEC, 11, new_layer("ReLU"))


def test_settings_text_is_compact():
    layer = LayerSpec("Conv2d", {"out_channels": 10, "kernel_size": (3, 5), "padding": "same"})
    assert settings_text(layer) == "out_channels=10, kernel_size=3×5, padding=same"
    assert settings_text(LayerSpec("Dropout", {"p": 0.25})) == "p=0.25"
