"""Hostile input to the CLI's options, output paths and evaluations: every one gives exit 0 or 2 with one
`error:` line, never a traceback; what can be known before training is refused before training (nothing
is written); a failing save keeps the last good checkpoint and says where it is.

Inputs are drawn by seeded generators (the same inputs every run); each family's count is printed."""

from __future__ import annotations

import contextlib
import random
from pathlib import Path

import pytest
import torch

from tests.core.hostile import assert_one_error_line, run_cli
from workbench.cli import train as cli_train
from workbench.files.archive import read_archive, write_archive
from workbench.files.model_file import SavedModel, load_model, save_model
from workbench.model.build import build_model
from workbench.model.spec import LayerSpec, ModelSpec
from workbench.training import run_folder
from workbench.training.config import ConfigError, TrainConfig

DIGITS_SPEC = ModelSpec((1, 28, 28), (LayerSpec("Flatten"), LayerSpec("Linear", {"out_features": 10})))
NUMBER_OPTIONS = (
    "--seed", "--epochs", "--batch-size", "--lr", "--momentum", "--weight-decay", "--label-smoothing",
    "--threads", "--patience", "--checks-per-epoch", "--target-accuracy", "--time-budget", "--limit",
    "--val-fraction", "--gamma", "--step-size",
)  # fmt: skip
HOSTILE_NUMBERS = (
    "0", "-1", "1e400", "-1e400", "inf", "-inf", "nan", "NaN", str(2**64), str(2**63), str(-(2**63) - 1),
    "9" * 5000, "abc", "", " ", "1_000", "0x10", "1.5", "٣", "½", "1e-400", "3", "0.5", "2e9", "-0",
)  # fmt: skip
HOSTILE_DEVICES = ("xpu", "meta", "cuda:99", "cpu:0", "", "CPU", "mps", "cuda", "vulkan", "auto;rm", "cuda:-1")


@pytest.fixture
def spec_file(tmp_path) -> Path:
    path = tmp_path / "digits.json"
    path.write_text(DIGITS_SPEC.dumps(), encoding="utf-8")
    return path


def test_hostile_numbers_and_devices_in_the_options_are_refused_before_any_training(spec_file, tmp_path, capsys):
    rng = random.Random(17)
    cases = [[option, value] for option in NUMBER_OPTIONS for value in HOSTILE_NUMBERS]
    cases = rng.sample(cases, 160) + [["--device", device] for device in HOSTILE_DEVICES]
    cases += [[*rng.choice(cases), *rng.choice(cases)] for _ in range(20)]  # two at once
    trained = 0
    for index, extra in enumerate(cases):
        out = tmp_path / f"run{index}"
        argv = ["train", str(spec_file), "--dataset", "digits", "--out", str(out), "--limit", "300", *extra]
        code, _, err = run_cli(argv, capsys)
        if code == 0:
            trained += 1
            continue
        assert_one_error_line(code, err, extra)
        assert not (out / "model.cnnwb").exists() and not (out / "checkpoint.cnnwb").exists(), extra
    print(f"options: {len(cases)} generated inputs, {trained} of them valid (trained)")
    assert 0 < trained < len(cases) // 2


def test_the_epoch_count_zero_is_refused_not_taken_for_one(spec_file, tmp_path, capsys):
    code, _, err = run_cli(["train", str(spec_file), "--dataset", "digits", "--out", str(tmp_path / "r"),
                            "--epochs", "0"], capsys)  # fmt: skip
    assert_one_error_line(code, err, "--epochs 0")
    assert "epochs" in err


def test_hostile_training_settings_in_a_checkpoint_are_a_config_error():
    rng = random.Random(5)
    values = [float("inf"), float("nan"), 2**64, -(2**70), "1", None, [], {}, True, 1e308, "cuda;", "meta", "xpu"]
    names = [name for name in TrainConfig().to_json()]
    tried = 0
    for _ in range(300):
        data = TrainConfig().to_json()
        for name in rng.sample(names, rng.randint(1, 3)):
            data[name] = rng.choice(values)
        with contextlib.suppress(ConfigError):
            TrainConfig.from_json(data)
        tried += 1
    for hostile in ([], "text", None, 3, {1: 2}):
        with pytest.raises(ConfigError):
            TrainConfig.from_json(hostile)
    print(f"checkpoint settings: {tried + 5} generated inputs")


def test_hostile_output_folders_are_refused_before_training_and_an_earlier_run_needs_force(spec_file, tmp_path, capsys):
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder")
    earlier = tmp_path / "earlier"
    earlier.mkdir()
    (earlier / "model.cnnwb").write_bytes(b"an earlier run's model")
    rng = random.Random(3)
    outs = [a_file, a_file / "below", earlier, tmp_path / ("x" * 300), tmp_path / "a" / ("y" * 300) / "b"]
    outs += [
        tmp_path / "".join(rng.choice("ab\u00e9 .-\u4e2d") for _ in range(rng.randint(300, 400))) for _ in range(15)
    ]
    for out in outs:
        argv = ["train", str(spec_file), "--dataset", "digits", "--out", str(out)]
        assert_one_error_line(*run_cli(argv, capsys)[::2], out)
    assert (earlier / "model.cnnwb").read_bytes() == b"an earlier run's model"  # not replaced
    code = run_cli(["train", str(spec_file), "--dataset", "digits", "--out", str(earlier), "--force"], capsys)[0]
    assert code == 0 and load_model(earlier / "model.cnnwb").history
    print(f"output folders: {len(outs) + 1} generated inputs")


@pytest.fixture
def digits_model(spec_file, tmp_path, capsys) -> Path:
    out = tmp_path / "run"
    assert run_cli(["train", str(spec_file), "--dataset", "digits", "--out", str(out)], capsys)[0] == 0
    return out / "model.cnnwb"


def test_hostile_logits_paths_are_refused_before_the_work(digits_model, tmp_path, capsys):
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    outs = [tmp_path, tmp_path / "logits", tmp_path / "logits.txt", tmp_path / "missing" / "l.csv",
            a_file / "l.csv", tmp_path / ("z" * 300 + ".csv"), tmp_path / "dir.csv"]  # fmt: skip
    (tmp_path / "dir.csv").mkdir()
    for out in outs:
        code, _, err = run_cli(["export-logits", str(digits_model), "--out", str(out)], capsys)
        assert_one_error_line(code, err, out)
    print(f"logits paths: {len(outs)} inputs")


def test_a_model_with_another_number_of_outputs_is_refused_by_evaluate_and_export_logits(tmp_path, capsys):
    rng = random.Random(11)
    tried = 0
    for index in range(24):
        outputs = rng.choice([k for k in range(1, 31) if k != 10])
        ending = rng.choice([[], [LayerSpec("Softmax")], [LayerSpec("LogSoftmax")]])
        layers = [LayerSpec("Flatten"), LayerSpec("Linear", {"out_features": outputs}), *ending]
        if index % 6 == 5:  # an output that is not a vector of class scores at all
            layers = [LayerSpec("Conv2d", {"out_channels": 10, "kernel_size": 3})]
        spec = ModelSpec((1, 28, 28), tuple(layers))
        state = {name: value.detach() for name, value in build_model(spec).state_dict().items()}
        path = tmp_path / f"m{index}.cnnwb"
        save_model(path, SavedModel(spec, state, dataset="digits"))
        for command in (["evaluate", str(path)], ["export-logits", str(path), "--out", str(tmp_path / "l.csv")]):
            code, _, err = run_cli(command, capsys)
            assert_one_error_line(code, err, (outputs, command[0]))
            assert "outputs" in err and "classes" in err
            tried += 1
    assert not (tmp_path / "l.csv").exists()
    print(f"class counts: {tried} generated inputs")


@pytest.mark.parametrize(
    "failure",
    [
        MemoryError(),
        torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 12.00 GiB"),
        RuntimeError("[enforce fail at alloc_cpu.cpp:117] DefaultCPUAllocator: can't allocate memory: you tried 4 GB"),
    ],
)
def test_an_allocator_failure_anywhere_in_a_command_is_one_line(failure, spec_file, capsys, monkeypatch):
    def fail(args):
        raise failure

    monkeypatch.setattr(cli_train, "_cmd_train", fail)
    code, _, err = run_cli(["train", str(spec_file), "--out", "x"], capsys)
    assert_one_error_line(code, err, failure)
    assert "out of memory" in err


def test_an_unexpected_error_is_one_line_saying_it_is_a_bug_not_status_2(spec_file, capsys, monkeypatch):
    monkeypatch.setattr(cli_train, "_cmd_train", lambda args: {}["missing"])
    code, _, err = run_cli(["train", str(spec_file), "--out", "x"], capsys)
    assert code == 70 and err.count("\n") == 1 and "bug" in err and "Traceback" not in err


def test_hostile_counts_in_a_checkpoint_s_training_state_are_one_line_on_resume(spec_file, tmp_path, capsys):
    run = tmp_path / "run"
    code, _, err = run_cli(
        ["train", str(spec_file), "--dataset", "digits", "--out", str(run), "--limit", "300"], capsys
    )
    assert code == 0, err
    good = read_archive(run / "checkpoint.cnnwb", "checkpoint")
    values = [float("inf"), float("nan"), 2**64, -1, 1e308, 2.0, "3", None, True, []]
    tried = 0
    for key in ("epoch", "step", "batch_in_epoch"):
        for value in values:  # written as a damaged file would be: save_model refuses to write them
            hostile = {**good, "extra": {**good["extra"], key: value}}
            write_archive(run / "checkpoint.cnnwb", "checkpoint", hostile)
            code, _, err = run_cli(["train", "--resume", str(run), "--epochs", "2"], capsys)
            assert_one_error_line(code, err, (key, value))
            assert "damaged" in err
            tried += 1
    print(f"checkpoint training state: {tried} generated inputs")


def test_a_save_that_fails_after_training_keeps_the_checkpoint_and_says_where(spec_file, tmp_path, capsys, monkeypatch):
    def disk_full(path, saved, **kwargs):
        if Path(path).name == "model.cnnwb":
            raise OSError(28, "No space left on device")
        return save_model(path, saved, **kwargs)

    monkeypatch.setattr(run_folder, "save_model", disk_full)
    out = tmp_path / "run"
    code, _, err = run_cli(["train", str(spec_file), "--dataset", "digits", "--out", str(out), "--epochs", "2"], capsys)
    assert_one_error_line(code, err, "disk full")
    assert "No space left" in err and f"--resume {out}" in err
    assert len(load_model(out / "checkpoint.cnnwb", kind="checkpoint").history) == 2


def test_resume_restores_the_run_s_data_exactly_and_refuses_options_that_would_change_it(
    spec_file, tmp_path, capsys, monkeypatch
):
    out = tmp_path / "run"
    argv = ["train", str(spec_file), "--dataset", "digits", "--out", str(out), "--limit", "500"]
    assert run_cli([*argv, "--val-fraction", "0.3", "--seed", "4"], capsys)[0] == 0
    loads = []
    real = cli_train.load_dataset
    monkeypatch.setattr(cli_train, "load_dataset", lambda *a, **k: loads.append(k) or real(*a, **k))
    assert run_cli(["train", "--resume", str(out), "--epochs", "2"], capsys)[0] == 0
    assert loads and {k: loads[-1][k] for k in ("limit", "val_fraction", "seed")} == {
        "limit": 500,
        "val_fraction": 0.3,
        "seed": 4,
    }
    saved = load_model(out / "model.cnnwb")
    assert saved.data["limit"] == 500 and len(saved.history) == 2
    for option in (["--limit", "1000"], ["--val-fraction", "0.1"]):
        code, _, err = run_cli(["train", "--resume", str(out), "--epochs", "3", *option], capsys)
        assert_one_error_line(code, err, option)
        assert "keeps its data" in err
