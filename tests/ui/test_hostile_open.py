"""File ▸ Open with hostile files: every one gives a one-line message, and the model being edited stays
as it was (its layers, its undo history, its file). Inputs come from seeded generators."""

from __future__ import annotations

import io
import json
import os
import random
import sys
import zipfile

import pytest
from PySide6.QtWidgets import QMessageBox

from ui.main_window import MainWindow
from workbench.files.archive import read_archive, write_archive
from workbench.files.model_file import SavedModel, save_model
from workbench.model.build import build_model
from workbench.model.spec import LayerSpec, ModelSpec

EDITED = ModelSpec(
    (1, 28, 28),
    (LayerSpec("Conv2d", {"out_channels": 4, "kernel_size": 3}), LayerSpec("ReLU"), LayerSpec("Flatten"),
     LayerSpec("Linear", {"out_features": 10})),
    name="being edited",
)  # fmt: skip
HUGE = "<a 5,000-digit integer>"  # json.dumps cannot write one: put in after dumping (see dumped)
HOSTILE_VALUES = [
    HUGE, 2**64, -(2**63) - 1, 1e308, float("inf"), float("nan"), -1, 0, True, None, "3", [], {}, [3, 3],
    "\ud800", "a\x00b", "\x1b[31m", "x" * 10000,
]  # fmt: skip


def dumped(data) -> str:
    return json.dumps(data, allow_nan=True).replace(json.dumps(HUGE), "9" * 5000)


def hostile_specs(rng: random.Random, count: int) -> list[str]:
    """Texts of spec files: a valid spec with hostile values put in, cut short, or nested deep."""
    base = EDITED.to_json()
    texts = []
    for index in range(count):
        data = json.loads(json.dumps(base))
        kind = index % 5
        if kind == 0:
            layer = rng.choice(data["layers"])
            layer[rng.choice([*layer, "kernel_size", "padding"])] = rng.choice(HOSTILE_VALUES)
        elif kind == 1:
            data[rng.choice(["name", "input", "version", "layers", "format"])] = rng.choice(HOSTILE_VALUES)
        elif kind == 2:
            data["input"] = [rng.choice(HOSTILE_VALUES) for _ in range(rng.choice([1, 3]))]
        elif kind == 3:
            depth = rng.randint(500, 5000)
            texts.append('{"format": "cnn-workbench.model", "layers": ' + "[" * depth + "]" * depth + "}")
            continue
        else:
            text = dumped(data)
            texts.append(text[: rng.randint(0, len(text) - 1)])
            continue
        texts.append(dumped(data))
    return texts


def hostile_model_files(rng: random.Random, count: int, good: bytes) -> list[bytes]:
    """Bytes of .cnnwb files: a good one with bytes flipped, cut short, or its manifest made hostile."""
    files = []
    for index in range(count):
        kind = index % 3
        if kind == 0:
            data = bytearray(good)
            for _ in range(rng.randint(1, 20)):
                data[rng.randrange(len(data))] = rng.randrange(256)
            files.append(bytes(data))
        elif kind == 1:
            files.append(good[: rng.randrange(len(good))])
        else:
            files.append(_with_hostile_manifest(good, rng))
    return files


def _with_hostile_manifest(good: bytes, rng: random.Random) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(good))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith(".json"):
                manifest = json.loads(data)
                key = rng.choice(sorted(manifest))
                manifest[key] = rng.choice(HOSTILE_VALUES)
                data = dumped(manifest).encode("utf-8", "surrogatepass")
            target.writestr(info.filename, data)
    return out.getvalue()


@pytest.fixture
def window(qtbot, monkeypatch):
    window = MainWindow(EDITED)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.document.undo_stack.setClean()
    window.close()
    window.deleteLater()


def test_hostile_files_opened_in_the_window_give_one_line_and_leave_the_model_as_it_was(window, tmp_path, monkeypatch):
    messages = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *rest: messages.append(text))
    monkeypatch.setattr(window, "_confirm_discard", lambda doing: True)
    document = window.document
    document.load(EDITED, None)
    document.add_layer(len(EDITED.layers), "Softmax")  # one undo step, not saved
    before = (document.spec, document.path, document.undo_stack.count(), document.modified)
    rng = random.Random(23)
    spec = EDITED
    state = {name: value.detach() for name, value in build_model(spec).state_dict().items()}
    good_path = tmp_path / "good.cnnwb"
    save_model(good_path, SavedModel(spec, state, class_names=tuple("0123456789"), mean=(0.1,), std=(0.3,)))
    paths = []
    for index, text in enumerate(hostile_specs(rng, 60)):
        path = tmp_path / f"spec{index}.json"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        paths.append(path)
    for index, data in enumerate(hostile_model_files(rng, 45, good_path.read_bytes())):
        path = tmp_path / f"model{index}.cnnwb"
        path.write_bytes(data)
        paths.append(path)
    (tmp_path / "folder.json").mkdir()
    (tmp_path / "folder.cnnwb").mkdir()
    paths += [tmp_path / "folder.json", tmp_path / "folder.cnnwb", tmp_path / "missing.json"]
    if sys.platform != "win32":
        for name in ("fifo.json", "fifo.cnnwb"):
            os.mkfifo(tmp_path / name)
            paths.append(tmp_path / name)
    refused = 0
    for path in paths:
        messages.clear()
        if window.open_path(path):  # a mutation that happens to be a valid file: put the model back
            document.load(EDITED, None)
            document.add_layer(len(EDITED.layers), "Softmax")
            continue
        refused += 1
        assert len(messages) == 1 and "\n" not in messages[0] and messages[0].strip(), (path, messages)
        assert (document.spec, document.path, document.undo_stack.count(), document.modified) == before, path
    print(f"File > Open: {len(paths)} generated files, {refused} refused")
    assert refused > len(paths) * 0.8


@pytest.mark.parametrize(
    ("field", "value", "name"),
    [
        ("seed", "abc", "train_config.seed"),
        ("epochs", [1], "train_config.epochs"),
        ("device", 0, "train_config.device"),
    ],
)
def test_a_model_file_whose_settings_hold_the_wrong_kind_of_value_is_one_line_naming_it(
    window, tmp_path, monkeypatch, field, value, name
):
    """Text where a number belongs in the saved training settings (files/schema.py): refused on opening."""
    messages = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *rest: messages.append(text))
    monkeypatch.setattr(window, "_confirm_discard", lambda doing: True)
    state = {key: tensor.detach() for key, tensor in build_model(EDITED).state_dict().items()}
    good = tmp_path / "good.cnnwb"
    save_model(good, SavedModel(EDITED, state, tuple("0123456789"), (0.1,), (0.3,), {"seed": 0, "epochs": 1}))
    payload = read_archive(good, "model")
    path = tmp_path / "settings.cnnwb"
    write_archive(path, "model", {**payload, "train_config": {**payload["train_config"], field: value}})
    before = (window.document.spec, window.document.path)
    assert not window.open_path(path)
    assert len(messages) == 1 and "\n" not in messages[0] and name in messages[0] and "damaged" in messages[0]
    assert (window.document.spec, window.document.path) == before
