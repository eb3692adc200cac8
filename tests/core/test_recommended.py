"""A spec's recommended training settings ("recommended" in its JSON, a template's recipe): kept through JSON and
model files, refused in one line when they are not plain, and taken by `train SPEC` for every setting the command
line does not give explicitly (abbreviated options count as given)."""

from __future__ import annotations

import json

import pytest

from tests.core.hostile import assert_one_error_line, run_cli
from workbench.files.model_file import load_model
from workbench.model import templates
from workbench.model.spec import SpecError, from_json, loads

SPEC = templates.template("mlp")


def test_templates_carry_their_recipe_and_it_survives_json():
    fast = templates.template("mnist-fast")
    assert dict(fast.recommended) == templates.recipe("mnist-fast") and fast.recommended["batch_size"] == 128
    assert loads(fast.dumps()) == fast
    assert "recommended" not in templates.template("mlp").to_json()  # its recipe is the defaults: nothing said
    assert json.loads(fast.dumps())["recommended"]["label_smoothing"] == 0.1


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ([1, 2], "maps up to"),
        ({"lr": float("inf")}, "not a finite number"),
        ({"lr": 10**30}, "not a finite number"),
        ({"lr": {"a": 1}}, "not a plain value"),
        ({"betas": [0.9, 0.99, 0.1, 0.2, 0.3]}, "not a plain value"),
        ({"optimizer": "adam\x1b[2J"}, "plain text"),
        ({"not a name": 1}, "not the name of a training setting"),
        ({f"s{i}": 1 for i in range(40)}, "maps up to"),
    ],
)
def test_a_recommended_value_that_is_not_plain_is_one_line(value, says):
    data = {**SPEC.to_json(), "recommended": value}
    with pytest.raises(SpecError, match=says) as caught:
        from_json(data)
    assert "\n" not in str(caught.value) and str(caught.value).startswith("recommended: ")


def _train(tmp_path, capsys, spec, *options):
    path = tmp_path / "spec.json"
    path.write_text(spec.dumps(), encoding="utf-8")
    out = tmp_path / f"run{len(list(tmp_path.iterdir()))}"
    argv = ["train", str(path), "--dataset", "digits", "--limit", "200", "--out", str(out), *options]
    return (*run_cli(argv, capsys), out)


def test_train_takes_the_recommended_settings_the_command_line_leaves_out(tmp_path, capsys):
    spec = SPEC.with_recommended({"batch_size": 32, "lr": 0.005, "epochs": 2, "optimizer": "sgd"})
    code, _, err, out = _train(tmp_path, capsys, spec)
    assert code == 0, err
    config = load_model(out / "model.cnnwb").train_config
    assert (config["batch_size"], config["lr"], config["epochs"], config["optimizer"]) == (32, 0.005, 2, "sgd")
    code, _, err, out = _train(tmp_path, capsys, spec, "--batch", "16", "--epochs", "1", "--opt", "adam")
    assert code == 0, err  # given explicitly, abbreviated or not: those win
    config = load_model(out / "model.cnnwb").train_config
    assert (config["batch_size"], config["lr"], config["epochs"], config["optimizer"]) == (16, 0.005, 1, "adam")


@pytest.mark.parametrize(
    ("recommended", "says"),
    [({"learning_rate": 0.1}, "'learning_rate', which is not a training setting"), ({"batch_size": 0}, "batch")],
)
def test_recommended_settings_a_run_cannot_take_are_one_line_before_any_training(tmp_path, capsys, recommended, says):
    code, _, err, out = _train(tmp_path, capsys, SPEC.with_recommended(recommended))
    assert_one_error_line(code, err, recommended)
    assert says in err and not (out / "model.cnnwb").exists()
