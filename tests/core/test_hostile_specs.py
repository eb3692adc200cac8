"""Hostile numbers in specs, fuzzed: huge integers (past int64, past json's 4,300 digits), 1e308, 1e400,
NaN and Infinity, booleans, text, lists, objects and null where numbers belong, and JSON nested far
deeper than the recursion limit. Each is a SpecError of one short line from `loads`, and `summary`,
`train --dataset digits` and `export-code` give status 2 and one `error:` line, never a traceback.
Also: a FIFO, a folder or a device given as a spec path is refused at once, without reading it."""

from __future__ import annotations

import json
import os
import random
import signal
import zipfile
from pathlib import Path

import pytest

from tests.core.hostile import deadline
from workbench.cli.main import main
from workbench.files.model_file import MODEL_SUFFIX, SavedModel, save_model
from workbench.model.build import build_model
from workbench.model.catalog import CATALOG
from workbench.model.params import Kind
from workbench.model.shapes import infer
from workbench.model.spec import FORMAT, ModelSpec, SpecError, from_json, load, loads

SEED = 20240611
CASES = 1000  # generated specs checked through loads
CLI_EVERY = 10  # every 10th also through summary, and the rejected ones of those through train and export-code
PLACE = "@@HOSTILE@@"
MAX_MESSAGE = 600  # characters: a message quotes a bad value shortened, never whole

# A valid value for each required parameter, so that the hostile value is the only thing wrong.
REQUIRED = {"out_channels": 4, "kernel_size": 2, "output_size": 2, "out_features": 3}
CONSTANTS = ("1e308", "-1e308", "1e400", "-1e400", "NaN", "Infinity", "-Infinity", "1e-400", "0.5", "-0.0", "3.0")
NOT_NUMBERS = ("true", "false", "null", '"7"', '""', "[]", "{}", "[1, 2, 3]", '{"a": 1}', "[[3, 3], 3]")


def hostile_number(rng: random.Random) -> str:
    """A JSON value as text, where a number belongs."""
    kind = rng.randrange(6)
    if kind == 0:
        return rng.choice(("", "-")) + "9" * rng.choice((20, 31, 400, 4300, 4301, 6000))
    if kind == 1:
        return str(
            rng.choice((2**31, 2**63, 2**64, 10**30, 4097, 65537, 256)) * rng.choice((1, -1)) + rng.randint(-1, 1)
        )
    if kind == 2:
        return rng.choice(CONSTANTS)
    if kind == 3:
        return rng.choice(NOT_NUMBERS)
    if kind == 4:
        return str(rng.randint(-(10**6), 10**6))
    depth = rng.choice((50, 999, 1000, 5000, 100_000))
    return "[" * depth + rng.choice(("1", "", "NaN")) + "]" * depth


def layer_with(rng: random.Random) -> dict:
    """A random catalog layer with its required parameters, and one numeric parameter (or a pair's element)
    set to PLACE."""
    layer_type = rng.choice([t for t in CATALOG.values() if any(p.kind != Kind.BOOL for p in t.params)])
    entry = {"type": layer_type.name}
    entry.update({p.name: REQUIRED[p.name] for p in layer_type.params if p.required})
    param = rng.choice([p for p in layer_type.params if p.kind not in (Kind.BOOL, Kind.CHOICE)] or layer_type.params)
    pair = param.kind in (Kind.PAIR, Kind.PADDING) and rng.random() < 0.3
    entry[param.name] = [2, PLACE] if pair else PLACE
    return entry


def hostile_spec(rng: random.Random) -> str:
    """Spec JSON text with one hostile value: in a layer's parameter, the version or the input shape."""
    doc = {"format": FORMAT, "version": 1, "input": [1, 8, 8], "layers": [{"type": "Flatten"}]}
    where = rng.random()
    if where < 0.7:
        doc["layers"] = [layer_with(rng)]
    elif where < 0.85:
        doc["version"] = PLACE
    else:
        doc["input"][rng.randrange(3)] = PLACE
    return json.dumps(doc).replace(json.dumps(PLACE), hostile_number(rng))


def generated() -> list[str]:
    rng = random.Random(SEED)
    return [hostile_spec(rng) for _ in range(CASES)]


def assert_one_line(message: str) -> None:
    assert "\n" not in message and "\r" not in message, message
    assert len(message) <= MAX_MESSAGE, message[:200]
    assert message.isprintable(), ascii(message[:200])


def assert_within_bounds(spec: ModelSpec) -> None:
    """What a spec accepted holds: values of the right type, inside the bounds the catalog states."""
    for layer in spec.layers:
        for name, value in layer.params.items():
            param = layer.layer_type.param(name)
            for number in value if isinstance(value, tuple) else (value,):
                if isinstance(number, (int, float)) and not isinstance(number, bool):
                    assert param.minimum <= number <= param.maximum, (layer.type, name, number)
    assert infer(spec) is not None


def test_hostile_numbers_are_spec_errors_of_one_line():
    rejected = 0
    for text in generated():
        try:
            spec = loads(text)
        except SpecError as exc:
            assert_one_line(str(exc))
            rejected += 1
        else:
            assert_within_bounds(spec)
    assert rejected > CASES * 0.8  # nearly all are out of range; a few (0, -1, "0.5"…) may be legal somewhere


@pytest.mark.parametrize(
    ("layer", "expected"),
    [
        (
            {"type": "Conv2d", "out_channels": 5000, "kernel_size": 3},
            "out_channels=5000 is out of range; use a value from 1 to 4096",
        ),
        (
            {"type": "Conv2d", "out_channels": 4, "kernel_size": 256},
            "kernel_size=256 is out of range; use a value from 1 to 255",
        ),
        (
            {"type": "Conv2d", "out_channels": 4, "kernel_size": 3, "padding": 10**25},
            "padding=<an integer of about 26 digits> is out of range",
        ),
        ({"type": "Linear", "out_features": 10**25}, "use a value from 1 to 65536"),
        (
            {"type": "Dropout", "p": 10**400},
            "p=<an integer of about 401 digits> is out of range; use a value from 0 to 1",
        ),
        ({"type": "Dropout", "p": float("nan")}, "p must be a finite number, not nan"),
        ({"type": "MaxPool2d", "kernel_size": [2, True]}, "kernel_size must be an integer, not true/false (True)"),
        (
            {"type": "LeakyReLU", "negative_slope": ["x"] * 10**6},
            "negative_slope must be a number, not list (<a list of 1000000 values>)",
        ),
    ],
)
def test_out_of_range_messages_state_the_bounds(layer, expected):
    doc = {"format": FORMAT, "version": 1, "input": [1, 8, 8], "layers": [layer]}
    with pytest.raises(SpecError) as info:
        from_json(doc)
    assert expected in str(info.value)
    assert_one_line(str(info.value))


def test_json_past_python_limits_is_one_line():
    for text in ("[" * 100_000 + "]" * 100_000, '{"version": ' + "1" * 5000 + "}"):
        with pytest.raises(SpecError) as info:
            loads(text)
        assert_one_line(str(info.value))


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))  # an exception escaping here is a traceback for the user
    out, err = capsys.readouterr()
    return code, out, err


def assert_cli_error(code: int, err: str) -> None:
    assert code == 2
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err[:500]
    assert len(lines[0]) <= MAX_MESSAGE + 200


def model_file_with_spec(folder: Path, spec_text: str) -> Path:
    """A model file whose spec entry is `spec_text` verbatim (any JSON, hostile numbers included)."""
    spec = ModelSpec((1, 8, 8), ())
    good = folder / f"good{MODEL_SUFFIX}"
    if not good.exists():
        save_model(good, SavedModel(spec, build_model(spec).state_dict(), ("a", "b")))
    with zipfile.ZipFile(good) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    manifest = json.loads(members["manifest.json"])
    manifest["payload"]["spec"] = PLACE
    members["manifest.json"] = json.dumps(manifest).replace(json.dumps(PLACE), spec_text).encode("utf-8")
    target = folder / f"hostile{MODEL_SUFFIX}"
    with zipfile.ZipFile(target, "w") as out:
        for name, data in members.items():
            out.writestr(name, data)
    return target


def test_the_cli_refuses_hostile_numbers_in_one_line(capsys, tmp_path):
    path = tmp_path / "spec.json"
    tried = {"summary": 0, "train": 0, "export-code": 0}
    for text in generated()[::CLI_EVERY]:
        path.write_text(text, encoding="utf-8")
        code, _, err = run(capsys, "summary", str(path))
        tried["summary"] += 1
        if code == 0:
            continue
        assert_cli_error(code, err)
        code, _, err = run(
            capsys, "train", str(path), "--dataset", "digits", "--threads", "1", "--out", str(tmp_path / "r")
        )
        assert_cli_error(code, err)
        code, _, err = run(
            capsys, "export-code", str(model_file_with_spec(tmp_path, text)), "--out", str(tmp_path / "c")
        )
        assert_cli_error(code, err)
        tried["train"] += 1
        tried["export-code"] += 1
    assert tried["train"] >= CASES // CLI_EVERY * 0.8, tried
    assert not (tmp_path / "c" / "model.py").exists()


# ---------------------------------------------------------------- spec paths that are not regular files


def special_paths(tmp_path: Path) -> list[tuple[Path, str]]:
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    (tmp_path / "folder.json").mkdir()
    paths = [(fifo, "is not a regular file"), (tmp_path / "folder.json", "is a folder")]
    paths += [(Path(device), "is not a regular file") for device in ("/dev/zero", "/dev/null") if Path(device).exists()]
    return paths


@pytest.mark.skipif(not hasattr(os, "mkfifo") or not hasattr(signal, "SIGALRM"), reason="needs FIFOs and SIGALRM")
def test_a_fifo_folder_or_device_as_spec_is_refused_without_reading(capsys, tmp_path):
    for path, expected in special_paths(tmp_path):
        with deadline(10):
            with pytest.raises(SpecError, match=expected):
                load(path)
            code, _, err = run(capsys, "summary", str(path))
        assert_cli_error(code, err)
        assert expected in err


def test_a_path_with_a_nul_or_undecodable_bytes_is_one_line(capsys, tmp_path):
    with pytest.raises(SpecError, match="NUL"):
        load(str(tmp_path / "a\0b.json"))
    odd = os.fsdecode(bytes(tmp_path) + b"/caf\xe9.json")
    with pytest.raises(SpecError) as info:
        load(odd)
    assert "caf\\xe9.json" in str(info.value)
    assert_one_line(str(info.value))
