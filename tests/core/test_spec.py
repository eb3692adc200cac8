"""Spec JSON: round trips, hand-written files with defaults, and rejection messages that name the entry."""

from __future__ import annotations

import json

import pytest

from workbench.model import templates
from workbench.model.spec import FORMAT, LayerSpec, ModelSpec, SpecError, from_json, loads


def doc(*layers, **top):
    return {"format": FORMAT, "version": 1, "input": [1, 28, 28], "layers": list(layers), **top}


@pytest.mark.parametrize("name", sorted(templates.TEMPLATES))
def test_templates_round_trip_through_json(name):
    spec = templates.template(name)
    text = spec.dumps()
    assert loads(text) == spec
    assert loads(loads(text).dumps()).dumps() == text


def test_hand_written_file_takes_torch_defaults():
    spec = from_json(doc({"type": "Conv2d", "out_channels": 10, "kernel_size": [3, 5]}, {"type": "ReLU"}))
    conv = spec.layers[0]
    assert conv.params == {"out_channels": 10, "kernel_size": (3, 5)}
    resolved = conv.resolved()
    assert resolved["stride"] == 1 and resolved["padding"] == 0 and resolved["padding_mode"] == "zeros"
    assert resolved["bias"] is True and resolved["groups"] == 1 and resolved["dilation"] == 1


def test_pairs_survive_as_pairs_and_ints_as_ints():
    spec = from_json(doc({"type": "MaxPool2d", "kernel_size": 2, "stride": [2, 1]}))
    again = loads(spec.dumps())
    assert again.layers[0].params == {"kernel_size": 2, "stride": (2, 1)}
    assert json.loads(again.dumps())["layers"][0] == {"type": "MaxPool2d", "kernel_size": 2, "stride": [2, 1]}


@pytest.mark.parametrize(
    ("layers", "top", "expected"),
    [
        ([{"type": "Conv3d"}], {}, "layer 1: unknown layer type 'Conv3d'"),
        (
            [{"type": "ReLU"}, {"type": "Conv2d", "out_channels": 4, "kernel_size": 3, "colour": 1}],
            {},
            "layer 2 Conv2d: unknown parameter 'colour'",
        ),
        (
            [{"type": "Conv2d", "out_channels": 4, "kernel_size": 3, "in_channels": 1}],
            {},
            "in_channels is inferred from the previous layer",
        ),
        (
            [{"type": "Conv2d", "out_channels": "ten", "kernel_size": 3}],
            {},
            "layer 1 Conv2d: out_channels must be an integer, not text ('ten')",
        ),
        (
            [{"type": "Conv2d", "out_channels": 4, "kernel_size": 3, "bias": 1}],
            {},
            "layer 1 Conv2d: bias must be true or false",
        ),
        ([{"type": "Conv2d", "out_channels": 0, "kernel_size": 3}], {}, "out_channels=0 is out of range"),
        (
            [{"type": "Conv2d", "out_channels": 4, "kernel_size": [3, 3, 3]}],
            {},
            "kernel_size must be one integer or a pair",
        ),
        (
            [{"type": "Conv2d", "out_channels": 4, "kernel_size": 3, "padding": "full"}],
            {},
            "padding='full' is not allowed",
        ),
        (
            [{"type": "Conv2d", "out_channels": 4, "kernel_size": 3, "padding_mode": "mirror"}],
            {},
            "padding_mode='mirror' is not allowed; use one of 'zeros', 'reflect', 'replicate', 'circular'",
        ),
        ([{"type": "Dropout", "p": 1.5}], {}, "layer 1 Dropout: p=1.5 is out of range; use a value from 0 to 1"),
        ([{"type": "Linear"}], {}, "layer 1 Linear: missing required parameter 'out_features'"),
        (["ReLU"], {}, "layer 1: must be an object"),
        ([], {"version": 2}, "newer than this app"),
        ([], {"version": "1"}, "version: must be an integer"),
        ([], {"format": "keras"}, "format: expected 'cnn-workbench.model'"),
        ([], {"input": [1, 28]}, "input: must be [channels, height, width]"),
        ([], {"input": [1, 0, 28]}, "input: must be"),
        ([], {"optimizer": "adam"}, "unknown top-level entry 'optimizer'"),
    ],
)
def test_bad_specs_are_rejected_naming_the_entry(layers, top, expected):
    with pytest.raises(SpecError) as info:
        from_json(doc(*layers, **top))
    assert expected in str(info.value)


def test_not_json_and_not_an_object():
    with pytest.raises(SpecError, match="not valid JSON"):
        loads("{ nope")
    with pytest.raises(SpecError, match="must be a JSON object"):
        loads("[1, 2]")


def test_specs_are_immutable_values():
    layer = LayerSpec("Conv2d", {"out_channels": 4, "kernel_size": 3})
    changed = layer.with_params(stride=2)
    assert layer.params == {"out_channels": 4, "kernel_size": 3}
    assert changed.params["stride"] == 2
    assert changed.with_params(stride=None) == layer
    with pytest.raises(TypeError):
        layer.params["stride"] = 2  # type: ignore[index]
    spec = ModelSpec((1, 28, 28), [layer])
    assert isinstance(spec.layers, tuple) and spec.with_layers([]).layers == ()
