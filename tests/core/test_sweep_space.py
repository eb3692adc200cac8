"""A search space is checked before any training: each hostile or mistyped SPACE.json is one line naming the entry,
and a value that cannot work whatever else is chosen is refused up front, while one that works with some choice
of the others is left to the trials."""

from __future__ import annotations

import json

import pytest

from workbench.cli.main import main
from workbench.experiments.apply import check_feasible, configure
from workbench.experiments.space import (
    SpaceError,
    check_setting_domain,
    load_space,
    parse_space,
    setting_kind,
    space_of,
)
from workbench.model import templates
from workbench.model.params import Kind
from workbench.model.spec import SpecError, from_json
from workbench.model.vary import Domain, range_kinds
from workbench.training.config import TrainConfig

SPEC = templates.template("mnist-fast")


def test_a_space_reads_every_kind_of_domain_and_puts_a_trials_values_in_place():
    space = parse_space(
        {
            "lr": {"log": [1e-4, 1e-2]},
            "batch_size": {"choice": [64, 128]},
            "layers.0.out_channels": {"choice": [8, 16, 32]},
            "layers.4.kernel_size": {"int": [1, 5]},
            "weight_decay": {"uniform": [0, 0.01]},
            "optimizer": {"choice": ["adam", "sgd"]},
        },
        SPEC,
    )
    assert space.names[:3] == ("lr", "batch_size", "layers.0.out_channels")
    assert space.grid_size() is None and not space.all_choices
    spec, config = configure(
        SPEC, TrainConfig(), {"layers.0.out_channels": 8, "batch_size": 128, "weight_decay": 0, "optimizer": "sgd"}
    )
    assert spec.layers[0].params["out_channels"] == 8 and spec.layers[4].params == SPEC.layers[4].params
    assert (config.batch_size, config.weight_decay, config.optimizer) == (128, 0.0, "sgd")


@pytest.mark.parametrize(
    ("space", "message"),
    [
        ([1, 2], "a JSON object mapping names"),
        ({}, "the search space is empty"),
        ({"seed": {"choice": [1, 2]}}, "'seed' is not a setting an experiment can vary"),
        ({"device": {"choice": ["cpu"]}}, "not a setting an experiment can vary"),
        ({"layers.99.out_channels": {"choice": [8]}}, "layers.99.out_channels: the model has 17 layers"),
        ({"layers.0.colour": {"choice": [8]}}, "layer 1 Conv2d has no parameter 'colour'"),
        ({"layers.x.p": {"choice": [8]}}, "is not a layer parameter"),
        ({"lr": {"log": [1e-2, 1e-4]}}, "empty or inverted"),
        ({"lr": {"uniform": [0.1, 0.1]}}, "empty or inverted"),
        ({"lr": {"log": [0, 1e-2]}}, "a log range starts above 0"),
        ({"lr": {"choice": []}}, "a non-empty list"),
        ({"lr": {"choice": [0.1, 0.1]}}, "repeat a value"),
        ({"lr": {"choice": [[0.1]]}}, "is not a number, text or true/false"),
        ({"lr": {"log": [1e-4, 1e400]}}, "two finite numbers"),
        ({"lr": {"log": [1e-4, 1e3]}}, "lr = 1000.0 cannot be used: lr must be"),
        ({"lr": {"normal": [0, 1]}}, "a domain is one of"),
        ({"lr": {"log": [1e-4, 1e-2], "choice": [1]}}, "a domain is one of"),
        ({"batch_size": {"uniform": [16, 64]}}, "is a whole number"),
        ({"batch_size": {"int": [0, 64]}}, "batch_size = 0 cannot be used"),
        ({"batch_size": {"choice": [64.5]}}, "batch_size must be a whole number"),
        ({"optimizer": {"choice": ["adam", "magic"]}}, "optimizer = 'magic' cannot be used"),
        ({"augment": {"int": [0, 1]}}, 'vary it with {"choice"'),
        ({"layers.0.out_channels": {"choice": [8, -1]}}, "layers.0.out_channels = -1 cannot be used"),
        ({"layers.0.out_channels": {"int": [1, 10**30]}}, "cannot be used"),
        ({"layers.0.padding_mode": {"choice": ["zeros", "mirror"]}}, "'mirror' is not allowed"),
        ({f"layers.{i}.bias": {"choice": [True]} for i in range(40)}, "at most 32 may vary"),
        ({"lr": {"choice": list(range(1, 102))}}, "give at most 100"),
        ({f"layers.{i}.out_channels": {"choice": list(range(1, 12))} for i in (0, 4, 8, 11)}, "the grid has 14,641"),
    ],
)
def test_a_hostile_space_is_one_line_naming_the_entry(space, message):
    with pytest.raises(SpaceError, match=None) as caught:
        parse_space(space, SPEC)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_a_file_nested_too_deeply_or_too_large_or_not_json_is_one_line(tmp_path):
    cases = {
        "deep.json": "[" * 100_000 + "]" * 100_000,
        "broken.json": '{"lr": {"log": [1e-4, ',
        "huge.json": '{"lr": {"choice": [' + "1," * 600_000 + "1]}}",
    }
    for name, text in cases.items():
        (tmp_path / name).write_text(text)
    messages = []
    for name in cases:
        with pytest.raises(SpaceError) as caught:
            load_space(tmp_path / name, SPEC)
        messages.append(str(caught.value))
    assert "nested too deeply" in messages[0] or "a JSON object" in messages[0]
    assert "not valid JSON" in messages[1]
    assert "larger than 1024 KB" in messages[2]


def test_a_value_that_cannot_work_whatever_else_is_chosen_is_refused_and_one_that_can_is_left_to_the_trials():
    small = from_json(
        {
            "format": "cnn-workbench.model",
            "version": 1,
            "input": [1, 8, 8],
            "layers": [{"type": "Conv2d", "out_channels": 4, "kernel_size": 3}],
        }
    )
    fine = parse_space({"layers.0.kernel_size": {"choice": [3, 5]}}, small)
    check_feasible(fine, small)
    never = parse_space({"layers.0.kernel_size": {"choice": [3, 40]}}, small)
    with pytest.raises(SpaceError, match=r"layers.0.kernel_size = 40 cannot work whatever else is chosen \(layer 1"):
        check_feasible(never, small)
    # 9 alone is too large for 8×8, but with padding 1 it fits: a trial's business, not a refusal
    sometimes = parse_space({"layers.0.kernel_size": {"choice": [3, 9]}, "layers.0.padding": {"choice": [1, 0]}}, small)
    check_feasible(sometimes, small)
    both_ends = parse_space({"layers.0.kernel_size": {"int": [30, 40]}}, small)
    with pytest.raises(SpaceError, match="neither end of the range"):
        check_feasible(both_ends, small)


def test_the_cli_refuses_a_bad_space_or_storage_in_one_line_before_any_training(tmp_path, capsys):
    spec = tmp_path / "m.json"
    spec.write_text(SPEC.dumps())
    space = tmp_path / "space.json"
    space.write_text(json.dumps({"layers.0.kernel_size": {"choice": [3, 40]}}))
    assert main(["sweep", str(spec), "--dataset", "digits", "--space", str(space)]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    space.write_text(json.dumps({"lr": {"log": [1e-3, 1e-2]}}))
    refused = "postgresql://nobody@127.0.0.1:1/none"
    assert main(["sweep", str(spec), "--dataset", "digits", "--space", str(space), "--storage", refused]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: cannot use the study storage postgresql://nobody@127.0.0.1:1/none")
    assert "check that the server is running" in err and err.count("\n") == 1
    assert main(["sweep", str(spec), "--dataset", "digits", "--space", str(space), "--storage", "mysql://x/y"]) == 2
    assert "is not a study storage URL" in capsys.readouterr().err
    assert main(["sweep", "show", "missing"]) == 2
    assert "there is no study 'missing'" in capsys.readouterr().err


MARKED = {
    "format": "cnn-workbench.model",
    "version": 1,
    "input": [1, 28, 28],
    "vary": {"lr": {"log": [0.001, 0.01]}},
    "layers": [
        {"type": "Conv2d", "out_channels": 8, "kernel_size": 3, "vary": {"out_channels": {"choice": [4, 8]}}},
        {"type": "ReLU"},
        {"type": "Flatten"},
        {"type": "Linear", "out_features": 10},
    ],
}


def test_marks_live_in_the_spec_round_trip_and_make_the_space_and_a_trial_has_none():
    spec = from_json(MARKED)
    assert spec.marked and from_json(json.loads(spec.dumps())) == spec
    assert spec.layers[0].vary["out_channels"].values == (4, 8) and spec.vary["lr"].kind == "log"
    moved = spec.with_layers([spec.layers[1], spec.layers[0], *spec.layers[2:]])
    assert [layer.vary for layer in moved.layers][1] == spec.layers[0].vary  # a mark follows its layer
    assert spec.layers[0].with_params(kernel_size=5).vary == spec.layers[0].vary
    space = space_of(spec, TrainConfig())
    assert space.names == ("layers.0.out_channels", "lr") and not space.all_choices
    trial_spec, config = configure(spec, TrainConfig(), {"layers.0.out_channels": 4, "lr": 0.005})
    assert not trial_spec.marked and trial_spec.layers[0].params["out_channels"] == 4 and config.lr == 0.005
    with pytest.raises(SpaceError, match="nothing in the model is marked"):
        space_of(spec.without_marks(), TrainConfig())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["layers"][0].update(vary={"colour": {"choice": [1]}}), "vary names unknown parameter 'colour'"),
        (lambda d: d["layers"][0].update(vary={"out_channels": {"choice": [0]}}), "out_channels = 0 cannot be used"),
        (lambda d: d["layers"][0].update(vary=[1]), '"vary" maps parameter names to domains'),
        (lambda d: d.update(vary={"lr": {"log": [1, 0.1]}}), "vary: lr: the range [1, 0.1] is empty or inverted"),
        (lambda d: d.update(vary={"not a name": {"choice": [1]}}), "is not the name of a training setting"),
    ],
)
def test_a_hostile_mark_in_a_spec_is_one_line_naming_the_layer(change, message):
    data = json.loads(json.dumps(MARKED))
    change(data)
    with pytest.raises(SpecError) as caught:
        from_json(data)
    assert message in str(caught.value)


def test_a_setting_mark_the_settings_refuse_is_one_line_when_the_space_is_made():
    data = json.loads(json.dumps(MARKED))
    data["vary"] = {"seed": {"choice": [1, 2]}}
    with pytest.raises(SpaceError, match="'seed' is not a setting an experiment can vary"):
        space_of(from_json(data), TrainConfig())


def test_one_setting_mark_is_checked_against_the_settings_it_varies_as_the_window_asks():
    assert check_setting_domain("lr", {"log": [1e-4, 1e-2]}) == Domain("log", (), 1e-4, 1e-2)
    assert check_setting_domain("batch_size", {"choice": [32, 64]}, TrainConfig(epochs=3)).values == (32, 64)
    kinds = (setting_kind("lr"), setting_kind("optimizer"), setting_kind("augment"))
    assert kinds == (Kind.FLOAT, Kind.CHOICE, Kind.BOOL)
    for name, entry, message in [
        ("seed", {"choice": [1, 2]}, "'seed' is not a setting an experiment can vary"),
        ("batch_size", {"log": [16, 256]}, "batch_size is a whole number"),
        ("label_smoothing", {"choice": [0.1, 1.5]}, "label_smoothing = 1.5 cannot be used"),
        ("optimizer", {"choice": ["adam", "lion"]}, "optimizer = 'lion' cannot be used"),
    ]:
        with pytest.raises(SpaceError, match=message):
            check_setting_domain(name, entry)


def test_the_ranges_a_kind_of_value_takes():
    assert range_kinds(Kind.FLOAT) == range_kinds(None) == ("uniform", "log", "int")
    assert range_kinds(Kind.INT) == range_kinds(Kind.PAIR) == range_kinds(Kind.PADDING) == ("int",)
    assert range_kinds(Kind.BOOL) == range_kinds(Kind.CHOICE) == ()
