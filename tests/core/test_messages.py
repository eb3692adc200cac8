"""Coded core messages: each is the English line itself, carries its code and values through the pipes
(pickle) and into exceptions, and every code of the table is used by the core."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest

from workbench.files.errors import ModelFileError
from workbench.files.model_file import load_model
from workbench.messages import TEXTS, Said, said_in, say
from workbench.model.shapes import infer
from workbench.model.spec import LayerSpec, ModelSpec

ROOT = Path(__file__).resolve().parents[2]


def test_a_coded_message_is_its_english_line_and_survives_pickling():
    said = say("file.problem", name="m.cnnwb", problem=say("file.empty"))
    assert said == "m.cnnwb: the file is empty; it was not saved completely, so save or copy it again"
    back = pickle.loads(pickle.dumps(said))
    assert back == said and back.code == "file.problem" and isinstance(back.values["problem"], Said)
    assert said_in(ModelFileError(said)) is said and said_in(ValueError("plain")) is None
    with pytest.raises(KeyError):
        say("shape.linear")  # a value missing is a bug, found at once


def test_every_code_is_used_by_the_core_and_every_value_named():
    """Used by the core, or by the window for values it hands the core (where a model's weights come from)."""
    files = [*(ROOT / "workbench").rglob("*.py"), *(ROOT / "ui").rglob("*.py")]
    source = "\n".join(path.read_text() for path in files if path.name != "messages.py")
    unused = [code for code in TEXTS if f'"{code}"' not in source]
    assert not unused, f"codes no longer used: {unused}"
    for code, text in TEXTS.items():
        assert re.findall(r"\{(\w*)\}", text) == [name for name in re.findall(r"\{(\w+)\}", text)], code


def test_shape_errors_are_coded_where_they_sit():
    image = LayerSpec("Conv2d", {"out_channels": 4, "kernel_size": 3})
    spec = ModelSpec(
        (1, 8, 8), (LayerSpec("Residual", {}, branches=((image, LayerSpec("Linear", {"out_features": 2})),)),)
    )
    error = infer(spec).error
    assert error.cause.code == "shape.linear" and error.cause.values == {"shape": "4×6×6"}
    assert error.where.code == "place.in" and error.where == "layer 1 Residual › layer 2 Linear"
    assert error.message.code == "layer.problem"
    assert error.message == (
        "layer 1 Residual › layer 2 Linear: Linear needs a flat vector but gets 4×6×6; add a Flatten layer before it"
    )


def test_file_errors_are_coded_with_the_file_name(tmp_path):
    empty = tmp_path / "empty.cnnwb"
    empty.write_bytes(b"")
    with pytest.raises(ModelFileError) as caught:
        load_model(empty)
    said = said_in(caught.value)
    assert said.code == "file.problem" and said.values["name"] == "empty.cnnwb"
    assert said.values["problem"].code == "file.empty"
