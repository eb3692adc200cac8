"""Hostile model files and checkpoints: whatever a manifest holds where a number, a list or an object belongs
(integers of thousands of digits or past int64, NaN and Infinity, 1e400, text, nulls, markers, JSON nested a
thousand deep), and whatever the path names (a pipe, a device, a folder), `load_model` gives one
ModelFileError line or a model whose fields hold only what the app writes. Never another exception, never a
hang.

Inputs are drawn by seeded generators (the same inputs every run); each family's count is printed."""

from __future__ import annotations

import json
import math
import os
import random
import sys
import zipfile
from pathlib import Path

import pytest
import torch

from tests.core.hostile import deadline
from workbench.files.model_file import CHECKPOINT_KIND, MODEL_KIND, ModelFileError, SavedModel, load_model, save_model
from workbench.model.build import build_model
from workbench.model.spec import LayerSpec, ModelSpec

SPEC = ModelSpec(
    (1, 8, 8),
    (
        LayerSpec("Conv2d", {"out_channels": 2, "kernel_size": 3}),
        LayerSpec("ReLU"),
        LayerSpec("Flatten"),
        LayerSpec("Linear", {"out_features": 3}),
    ),
)
HOLE = "@@hostile@@"
INT64 = 2**63
DEEP = 990  # json.loads itself parses this deep; a few levels more and it raises RecursionError

HOSTILE_VALUES = (
    "1" + "0" * 5000,  # int() refuses over 4,300 digits with a bare ValueError
    "-" + "9" * 4400,
    str(2**1100),  # too big for a float
    str(-(2**1100)),
    str(INT64),  # one past int64
    str(-INT64 - 1),
    str(2**64),
    "1" * 25,
    "1e400",  # parses as infinity
    "-1e400",
    "1e-400",
    "NaN",
    "Infinity",
    "-Infinity",
    '{"__float__": "nan"}',
    '{"__float__": "inf"}',
    '{"__float__": "-inf"}',
    '{"__float__": ["nan"]}',
    '{"__float__": {}}',
    '{"__tensor__": "t0"}',
    '{"__tensor__": "t0", "dtype": "bfloat16"}',
    '{"__tensor__": "t0", "dtype": ["bfloat16"]}',
    '{"__tensor__": 5}',
    '{"__tensor__": null}',
    '{"__items__": [[1, 2]]}',
    '{"__items__": [[[1], 2]]}',
    '{"__items__": {"a": 1}}',
    '"text"',
    '""',
    '"\\u0000\\n"',
    "null",
    "true",
    "false",
    "0",
    "-1",
    "0.5",
    "[]",
    "{}",
    "[1, 2]",
    "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]",
    '[null, "a", 1.5]',
    "[[1], [2]]",
    '{"a": 1}',
    '{"a": {"b": [1]}}',
    "[" * DEEP + "]" * DEEP,
    "[" * 1000 + "]" * 1000,
    "[" * 5000 + "]" * 5000,
    '{"a":' * DEEP + "1" + "}" * DEEP,
    "[" * 20 + "1" * 5000 + "]" * 20,
    "[" + ",".join(["[" * 300 + "]" * 300] * 9) + "]",
)


def saved() -> SavedModel:
    torch.manual_seed(0)
    return SavedModel(
        spec=SPEC,
        state={k: v.detach().clone() for k, v in build_model(SPEC).state_dict().items()},
        class_names=("a", "b", "c"),
        mean=(0.5,),
        std=(0.25,),
        train_config={"optimizer": "adam", "lr": 0.001, "epochs": 2, "seed": 7, "betas": [0.9, 0.999]},
        history=[{"epoch": 1, "train_loss": 0.5, "val_accuracy": None}, {"epoch": 2, "train_loss": 0.25}],
        dataset="digits",
        extra={"epoch": 2, "step": 10, "note": "x"},
        data={"dataset": "digits", "limit": 100, "val_fraction": 0.1, "seed": 7, "image_size": [8, 8]},
        calibration={"temperature": 1.5, "ece_before": 0.1, "ece_after": 0.02, "split": "val", "images": 10},
    )


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> tuple[dict, dict[str, bytes]]:
    """A valid checkpoint's manifest (decoded) and its tensor members."""
    path = tmp_path_factory.mktemp("template") / "good.cnnwb"
    save_model(path, saved(), kind=CHECKPOINT_KIND)
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist() if name != "manifest.json"}
        return json.loads(archive.read("manifest.json")), members


def places(manifest: dict) -> list[tuple]:
    """Every path in the manifest's payload where a hostile value can go (each value, and a new key)."""
    found: list[tuple] = []

    def walk(value, path):
        if isinstance(value, dict) and "__tensor__" not in value:
            found.append((*path, "extra_key"))
            for key, item in value.items():
                walk(item, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, (*path, index))
            found.append(path)
        else:
            found.append(path)

    walk(manifest["payload"], ("payload",))
    found += [("version",), ("kind",), ("payload",), ("payload", "data"), ("payload", "train_config")]
    return found


def with_hole(manifest: dict, path: tuple) -> str:
    """The manifest's JSON text with the value at `path` replaced by HOLE (to be filled with raw text)."""
    copy = json.loads(json.dumps(manifest))
    target = copy
    for key in path[:-1]:
        target = target[key]
    last = path[-1]
    if isinstance(target, dict) and last not in target and last == "extra_key":
        target["hostile"] = HOLE
    else:
        target[last] = HOLE
    return json.dumps(copy)


def write(path: Path, manifest_text: str, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", manifest_text)
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def assert_plain(name: str, data: dict, *, list_items: int = 8) -> None:
    """What load_model promises of train_config, history rows and data: text keys, plain finite values."""
    assert isinstance(data, dict), (name, data)
    for key, value in data.items():
        assert isinstance(key, str), (name, key)
        items = value if isinstance(value, list) else [value]
        assert not isinstance(value, list) or len(value) <= list_items, (name, key)
        for item in items:
            assert item is None or isinstance(item, (bool, str, int, float)), (name, key, item)
            if isinstance(item, int) and not isinstance(item, bool):
                assert -INT64 <= item < INT64, (name, key)
            if isinstance(item, float) and name != "history":  # a diverged run's loss is kept as NaN
                assert math.isfinite(item), (name, key, item)


def assert_loaded_is_sane(loaded: SavedModel) -> None:
    assert all(isinstance(n, str) for n in loaded.class_names)
    assert all(isinstance(v, float) and math.isfinite(v) for v in (*loaded.mean, *loaded.std))
    assert all(v > 0 for v in loaded.std)
    assert_plain("train_config", loaded.train_config)
    assert_plain("data", loaded.data, list_items=4)
    for row in loaded.history:
        assert_plain("history", row)
    assert isinstance(loaded.extra, dict) and isinstance(loaded.dataset, str)
    assert isinstance(loaded.temperature, float) and 0 < loaded.temperature < math.inf
    json.dumps([loaded.train_config, loaded.history, loaded.data], allow_nan=True)  # no deep nesting, no objects


def assert_one_line(exc: ModelFileError) -> None:
    message = str(exc)
    assert message and "\n" not in message and len(message) < 600, message


def test_a_good_checkpoint_keeps_every_field_including_data(tmp_path):
    path = tmp_path / "good.cnnwb"
    save_model(path, saved(), kind=CHECKPOINT_KIND)
    loaded = load_model(path, kind=CHECKPOINT_KIND)
    assert loaded.data == saved().data and loaded.train_config == saved().train_config
    assert loaded.history == saved().history and loaded.extra == saved().extra


def test_hostile_numbers_and_values_anywhere_in_the_manifest_are_one_error_line(template, tmp_path):
    manifest, members = template
    rng = random.Random(23)
    cases = [(path, value) for path in places(manifest) for value in HOSTILE_VALUES]
    rng.shuffle(cases)
    cases = cases[:1500]
    outcomes = {"refused": 0, "loaded": 0}
    for index, (path, value) in enumerate(cases):
        text = with_hole(manifest, path).replace(json.dumps(HOLE), value)
        file = write(tmp_path / f"h{index % 8}.cnnwb", text, members)
        try:
            loaded = load_model(file, kind=CHECKPOINT_KIND)
        except ModelFileError as exc:
            assert_one_line(exc)
            outcomes["refused"] += 1
        else:
            assert_loaded_is_sane(loaded)
            outcomes["loaded"] += 1
    print(f"numbers and values in manifests: {len(cases)} generated files, {outcomes}")


def test_random_nesting_and_random_json_in_each_field_is_one_error_line(template, tmp_path):
    manifest, members = template
    rng = random.Random(41)
    fields = ["mean", "std", "history", "train_config", "extra", "class_names", "data", "spec", "state", "dataset"]
    fields += ["calibration"]
    count = 300
    for index in range(count):
        text = with_hole(manifest, ("payload", rng.choice(fields))).replace(json.dumps(HOLE), random_json(rng))
        file = write(tmp_path / f"r{index % 8}.cnnwb", text, members)
        try:
            assert_loaded_is_sane(load_model(file, kind=CHECKPOINT_KIND))
        except ModelFileError as exc:
            assert_one_line(exc)
    print(f"random JSON in manifest fields: {count} generated files")


def random_json(rng: random.Random, depth: int = 0) -> str:
    if depth > 3 or rng.random() < 0.3:
        return rng.choice(HOSTILE_VALUES[:45])
    if rng.random() < 0.5:
        return "[" + ",".join(random_json(rng, depth + 1) for _ in range(rng.randint(0, 9))) + "]"
    keys = ["a", "epoch", "lr", "__tensor__", "__float__", "__items__", "dtype", "seed", "image_size"]
    items = [f"{json.dumps(rng.choice(keys))}: {random_json(rng, depth + 1)}" for _ in range(rng.randint(0, 4))]
    return "{" + ",".join(items) + "}"


def test_a_manifest_nested_a_thousand_deep_is_one_error_line(tmp_path):
    count = 0
    for depth in (64, 100, 500, 900, 990, 1000, 1001, 5000, 100_000):
        for opener, closer in (("[", "]"), ('{"a":', "}")):
            body = opener * depth + "1" + closer * depth if opener != "[" else opener * depth + closer * depth
            text = '{"format": "cnn-workbench.archive", "version": 1, "kind": "model", "payload": ' + body + "}"
            with pytest.raises(ModelFileError) as caught:
                load_model(write(tmp_path / "deep.cnnwb", text, {}))
            assert_one_line(caught.value)
            count += 1
    print(f"deep nesting: {count} generated manifests")


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs and /dev")
def test_a_pipe_a_device_or_a_folder_as_the_model_path_is_one_error_line_without_waiting(tmp_path):
    fifo = tmp_path / "pipe.cnnwb"
    os.mkfifo(fifo)
    folder = tmp_path / "folder.cnnwb"
    folder.mkdir()
    targets = [fifo, folder, Path("/dev/null"), Path("/dev/zero"), Path("/dev/urandom"), tmp_path]
    links = []
    for index, target in enumerate(targets):
        link = tmp_path / f"link{index}.cnnwb"
        link.symlink_to(target)
        links.append(link)
    rng = random.Random(5)
    cases = [
        (path, kind, form) for path in (*targets, *links) for kind in (MODEL_KIND, CHECKPOINT_KIND) for form in "sp"
    ]
    rng.shuffle(cases)
    for path, kind, form in cases:
        with deadline(10), pytest.raises(ModelFileError) as caught:
            load_model(str(path) if form == "s" else path, kind=kind)
        assert_one_line(caught.value)
    print(f"special paths: {len(cases)} generated loads")


def test_old_files_without_data_load_with_an_empty_data(template, tmp_path):
    manifest, members = template
    old = json.loads(json.dumps(manifest))
    del old["payload"]["data"]
    assert load_model(write(tmp_path / "old.cnnwb", json.dumps(old), members), kind=CHECKPOINT_KIND).data == {}


def test_hostile_data_definitions_are_refused_and_good_ones_round_trip(tmp_path):
    rng = random.Random(11)
    good = [
        {"dataset": "folder", "folder": "/x/y", "limit": None, "val_fraction": 0.25, "seed": 3, "image_size": [28, 28]},
        {"dataset": "mnist", "limit": 1000, "augment": True, "image_size": [1, 2, 3, 4]},
        {},
    ]
    bad_values = [math.nan, math.inf, -math.inf, INT64, -INT64 - 1, [1, 2, 3, 4, 5], [1.5, 2], ["a"], {"a": 1}]
    bad_values += [[[1]], torch.zeros(2), [None], [True, 1]]
    count = 0
    for _ in range(60):
        data = dict(rng.choice(good))
        if rng.random() < 0.7:
            data[rng.choice(["limit", "seed", "image_size", "new"])] = rng.choice(bad_values)
            with pytest.raises(ModelFileError) as caught:
                save_model(tmp_path / "d.cnnwb", SavedModel(**{**saved().__dict__, "data": data}))
            assert_one_line(caught.value)
        else:
            save_model(tmp_path / "d.cnnwb", SavedModel(**{**saved().__dict__, "data": data}))
            assert load_model(tmp_path / "d.cnnwb").data == data
        count += 1
    print(f"data definitions: {count} generated")


def test_trained_model_copies_the_datasets_source():
    from workbench.files.model_file import trained_model
    from workbench.training.config import TrainConfig

    class Data:
        class_names, mean, std, name = ("a", "b", "c"), (0.5,), (0.25,), "digits"

    plain = trained_model(SPEC, saved().state, Data(), TrainConfig(), [])
    assert plain.data == {}
    Data.source = {"dataset": "digits", "limit": 10}
    kept = trained_model(SPEC, saved().state, Data(), TrainConfig(), [])
    assert kept.data == {"dataset": "digits", "limit": 10} and kept.data is not Data.source
    Data.source = "not a dict"
    assert trained_model(SPEC, saved().state, Data(), TrainConfig(), []).data == {}
