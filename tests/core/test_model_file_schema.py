"""Every field a model file or checkpoint holds is checked on load against its declaration (files/schema.py):
a file whose field holds the wrong kind of value (text where a number belongs, a number where text belongs, a
list where an object belongs…) is one `error:` line naming the field and exit 2 from every command that reads
model files, and a ModelFileError naming it from `load_model`; never exit 70 (a bug) when the value is used.

The fields are walked from the schema's own declarations, so a field added there is tested here at once. The
files start from a real run's model and checkpoint (digits, 100 images) and are changed in one place each."""

from __future__ import annotations

import dataclasses
import types
import typing
from pathlib import Path
from typing import Any

import pytest
import torch
import typing_extensions

from tests.core.hostile import assert_one_error_line, run_cli
from workbench.cli.main import main
from workbench.files import schema
from workbench.files.archive import read_archive, write_archive
from workbench.files.model_file import CHECKPOINT_KIND, MODEL_KIND, ModelFileError, load_model, save_model
from workbench.model.spec import LayerSpec, ModelSpec
from workbench.training.config import TrainConfig

SPEC = ModelSpec((1, 28, 28), (LayerSpec("Flatten"), LayerSpec("Linear", {"out_features": 10})))
WRONG = {  # a value of another kind for each kind of field
    "number": "abc",  # text where a number belongs
    "text": 5,  # a number where text belongs
    "bool": 1,  # a number where true/false belongs
    "list": {"a": 1},  # an object where a list belongs
    "object": [1],  # a list where an object belongs
    "tensor": [1.0],  # a list where a tensor belongs
}


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> dict[str, dict]:
    """The payloads of a real run's model file and checkpoint (kind -> payload)."""
    folder = tmp_path_factory.mktemp("schema-run")
    (folder / "spec.json").write_text(SPEC.dumps(), encoding="utf-8")
    argv = ["--dataset", "digits", "--limit", "100", "--out", str(folder / "run"), "--runs-dir", str(folder / "runs")]
    assert main(["train", str(folder / "spec.json"), *argv, "--epochs", "1", "--threads", "1"]) == 0
    return {kind: read_archive(folder / "run" / f"{kind}.cnnwb", kind) for kind in (MODEL_KIND, CHECKPOINT_KIND)}


def commands(model: Path, run_dir: Path, out: Path) -> list[list[str]]:
    """Every command that reads a model file (or, for --resume, a checkpoint)."""
    return [
        ["evaluate", str(model), "--dataset", "digits"],
        ["calibrate", str(model), "--dataset", "digits", "--out", str(out / "calibrated.cnnwb")],
        ["predict", str(model), str(out), "--out", str(out / "predictions.csv")],
        ["export-logits", str(model), "--dataset", "digits", "--out", str(out / "logits.csv")],
        ["export-code", str(model), "--out", str(out / "code")],
        ["export-onnx", str(model), "--out", str(out / "model.onnx")],
        ["export-train-script", str(model), "--out", str(out / "script")],
        ["train", "--resume", str(run_dir)],
    ]


def with_value(payload: dict, where: tuple, value: Any) -> dict:
    """A copy of `payload` with `value` at `where` (the containers on the way copied, the rest shared)."""
    if not where:
        return value
    head, rest = where[0], where[1:]
    if isinstance(payload, list):
        copy = list(payload)
        copy[head] = with_value(payload[head], rest, value)
        return copy
    copy = dict(payload)
    copy[head] = with_value(payload.get(head, {}), rest, value)
    return copy


def write_both(tmp_path: Path, run: dict[str, dict], where: tuple, value: Any) -> tuple[Path, Path]:
    """The model file and the run folder (its checkpoint) with `value` at `where` in each (a model file's
    `extra` is empty: to change a part of the resume state, the model file gets the checkpoint's)."""
    model, run_dir = tmp_path / "model.cnnwb", tmp_path / "run"
    run_dir.mkdir(exist_ok=True)
    base = {**run[MODEL_KIND], "extra": run[CHECKPOINT_KIND]["extra"]} if where[:1] == ("extra",) else run[MODEL_KIND]
    checkpoint = run[CHECKPOINT_KIND]
    if where[:1] == ("calibration",) and len(where) > 1:  # a calibrated model: its temperature is required
        base, checkpoint = ({**payload, "calibration": {"temperature": 1.5}} for payload in (base, checkpoint))
    write_archive(model, MODEL_KIND, with_value(base, where, value))
    write_archive(run_dir / "checkpoint.cnnwb", CHECKPOINT_KIND, with_value(checkpoint, where, value))
    return model, run_dir


def assert_refused_everywhere(tmp_path: Path, run: dict, where: tuple, value: Any, name: str, capsys) -> None:
    """load_model and every command refuse the file in one line that names `name`, saying it is damaged."""
    model, run_dir = write_both(tmp_path, run, where, value)
    for argv in commands(model, run_dir, tmp_path):
        code, _, err = run_cli(argv, capsys)
        assert_one_error_line(code, err, argv)
        assert name in err and "damaged" in err, (argv, where, err)
    for path, kind in ((model, MODEL_KIND), (run_dir / "checkpoint.cnnwb", CHECKPOINT_KIND)):
        with pytest.raises(ModelFileError) as caught:
            load_model(path, kind=kind)
        message = str(caught.value)
        assert name in message and "damaged" in message and "\n" not in message, (where, value, message)


# ----- the case the issue names --------------------------------------------------------------------------------


def test_a_seed_of_text_in_the_saved_settings_is_one_error_line_naming_it_not_a_bug(run, tmp_path, capsys):
    assert_refused_everywhere(tmp_path, run, ("train_config", "seed"), "abc", "train_config.seed", capsys)


# ----- every field of the schema -------------------------------------------------------------------------------


def kind_of(annotation: Any) -> str | None:
    """What kind of value a declared field takes (None: anything, e.g. the spec, parsed on its own)."""
    args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
    if typing.get_origin(annotation) in (typing_extensions.Required, typing_extensions.NotRequired):
        return kind_of(args[0])
    if typing.get_origin(annotation) is typing.Annotated:
        metadata = annotation.__metadata__
        if any(type(item).__name__ == "InstanceOf" for item in metadata) or args[0] is torch.Tensor:
            return "tensor"
        return kind_of(args[0])
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return kind_of(args[0])
    if typing.get_origin(annotation) in (list, tuple):
        return "list"
    if typing.get_origin(annotation) is dict or typing_extensions.is_typeddict(annotation):
        return "object"
    return {int: "number", float: "number", str: "text", bool: "bool"}.get(annotation)


def declared(kind: type) -> dict[str, Any]:
    return typing_extensions.get_type_hints(kind, include_extras=True)


def schema_fields() -> list[tuple[tuple, str, str]]:
    """(where in the payload, the name a refusal must show, the field's kind) for every declared field."""
    nested = {
        "train_config": ((), schema.TrainSettings),
        "history": ((0,), schema.HistoryRow),
        "data": ((), schema.Source),
        "extra": ((), schema.ResumeState),
        "calibration": ((), schema.Calibrated),
    }
    cases = []
    for field, annotation in declared(schema.Payload).items():
        kind = kind_of(annotation)
        if kind is not None:
            cases.append(((field,), field, kind))
        if field not in nested:
            continue
        index, inner = nested[field]
        for name, annotation in declared(inner).items():
            shown = f"{field}{''.join(f'[{i}]' for i in index)}.{name}"
            cases.append(((field, *index, name), shown, kind_of(annotation)))
            if typing_extensions.is_typeddict(annotation):  # the optimizer's state
                for deeper, kind in declared(annotation).items():
                    cases.append(((field, *index, name, deeper), f"{shown}.{deeper}", kind_of(kind)))
    return [case for case in cases if case[2] is not None]


FIELDS = schema_fields()
NAMES = {"state": "(state)"}  # the weights' refusal keeps its own words: "the file holds no weights (state)"


def test_the_walk_covers_every_declared_field():
    names = {shown for _, shown, _ in FIELDS}
    assert {"train_config.seed", "history[0].train_loss", "data.image_size", "extra.epoch"} <= names
    assert {"extra.optimizer.state", "class_names", "mean", "std", "dataset", "state"} <= names
    assert len(FIELDS) >= len(dataclasses.fields(TrainConfig)) + 9 + 6 + 9 + 2 + 9


@pytest.mark.parametrize(("where", "name", "kind"), FIELDS, ids=[shown for _, shown, _ in FIELDS])
def test_a_field_holding_the_wrong_kind_of_value_is_refused_by_name(run, tmp_path, capsys, where, name, kind):
    assert_refused_everywhere(tmp_path, run, where, WRONG[kind], NAMES.get(name, name), capsys)


@pytest.mark.parametrize(
    ("where", "value", "name"),
    [
        (("train_config", "seed"), 2**64, "train_config.seed"),  # past int64
        (("train_config", "epochs"), 2.0, "train_config.epochs"),  # a float where a whole number belongs
        (("train_config", "augment"), "true", "train_config.augment"),
        (("train_config", "lr"), float("nan"), "train_config.lr"),
        (("train_config", "newer_setting"), {"a": 1}, "train_config.newer_setting"),  # not a plain value
        (("history", 0, "epoch"), -1, "history[0].epoch"),
        (("history", 0, "note"), [[1]], "history[0].note"),
        (("data", "image_size"), [28, "28"], "data.image_size[1]"),
        (("data", "image_size"), [1, 2, 3, 4, 5], "data.image_size"),
        (("data", "newer_field"), [1.5], "data.newer_field"),
        (("extra", "optimizer", "param_groups"), [1], "extra.optimizer.param_groups[0]"),
        (("extra", "optimizer", "state"), {"a": {}}, "extra.optimizer.state has the key 'a'"),  # keyed by numbers
        (("extra", "schedule", 3), 1, "extra.schedule has the key 3"),
        (("extra", "epoch"), 2**63, "extra.epoch"),
        (("class_names", 3), 3, "class_names[3]"),
        (("mean", 0), float("inf"), "mean"),
        (("state", "1.weight"), [1.0], "weights entry '1.weight'"),
        (("train_config", 7), 1, "train_config must be an object with text keys"),
    ],
    ids=lambda value: None if isinstance(value, (tuple, str)) else repr(value)[:20],
)
def test_values_of_the_right_kind_but_not_of_the_file_s_are_refused_by_name(run, tmp_path, capsys, where, value, name):
    assert_refused_everywhere(tmp_path, run, where, value, name, capsys)


# ----- what the app writes still loads ----------------------------------------------------------------------------


def test_what_the_app_writes_loads_as_it_was_written(run, tmp_path):
    model, run_dir = write_both(tmp_path, run, ("train_config", "newer_setting"), [0.9, 0.999])
    loaded = load_model(model)
    assert loaded.train_config["newer_setting"] == [0.9, 0.999]  # a newer app's setting is kept
    assert isinstance(loaded.train_config["seed"], int) and isinstance(loaded.train_config["lr"], float)
    assert loaded.data["name"] == "digits" and loaded.data["limit"] == 100
    checkpoint = load_model(run_dir / "checkpoint.cnnwb", kind=CHECKPOINT_KIND)
    assert checkpoint.extra["epoch"] == 1 and isinstance(checkpoint.extra["torch_rng"], torch.Tensor)
    assert checkpoint.history[0]["epoch"] == 1 and isinstance(checkpoint.history[0]["step"], int)
    empty = dataclasses.replace(loaded, train_config={}, history=[], data={}, extra={})  # saved before training
    save_model(tmp_path / "untrained.cnnwb", empty)
    again = load_model(tmp_path / "untrained.cnnwb")
    assert (again.train_config, again.history, again.data, again.extra) == ({}, [], {}, {})


def test_a_diverged_run_s_losses_load_as_they_were(run, tmp_path):
    row = {**run[MODEL_KIND]["history"][0], "train_loss": float("nan"), "val_loss": float("inf")}
    model, _ = write_both(tmp_path, run, ("history", 0), row)
    loaded = load_model(model).history[0]
    assert loaded["train_loss"] != loaded["train_loss"] and loaded["val_loss"] == float("inf")


def test_save_model_refuses_what_load_model_would(run, tmp_path):
    write_archive(tmp_path / "good.cnnwb", MODEL_KIND, run[MODEL_KIND])
    saved = load_model(tmp_path / "good.cnnwb")
    broken = dataclasses.replace(saved, train_config={**saved.train_config, "seed": "abc"})
    with pytest.raises(ModelFileError, match=r"cannot save: train_config\.seed must be a whole number, not 'abc'"):
        save_model(tmp_path / "broken.cnnwb", broken)
    assert not (tmp_path / "broken.cnnwb").exists()


def test_the_saved_settings_are_declared_as_train_config_declares_them():
    """TrainSettings mirrors TrainConfig (files may not import training): a new setting must be added to both."""
    config = typing.get_type_hints(TrainConfig)
    settings = typing_extensions.get_type_hints(schema.TrainSettings)  # Annotated[...] stripped: the bare types
    assert settings == {field.name: config[field.name] for field in dataclasses.fields(TrainConfig)}
