"""`python -m workbench train / evaluate / export-logits` on the built-in offline digits."""

from __future__ import annotations

import csv
import json
import urllib.error
import urllib.request

import numpy as np
import pytest

from workbench.cli.main import main
from workbench.model import templates

SPEC = templates.template("mlp")


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    spec = folder / "mlp.json"
    spec.write_text(SPEC.dumps())
    code = main(
        [
            "train",
            str(spec),
            "--dataset",
            "digits",
            "--epochs",
            "1",
            "--batch-size",
            "32",
            "--threads",
            "1",
            "--out",
            str(folder / "run"),
        ]
    )
    assert code == 0
    return folder / "run"


def test_train_writes_history_model_checkpoint_and_a_json_summary(run_dir, capsys):
    rows = list(csv.DictReader((run_dir / "history.csv").open()))
    assert [r["epoch"] for r in rows] == ["1"]
    assert set(rows[0]) == {
        "epoch",
        "train_loss",
        "train_accuracy",
        "val_loss",
        "val_accuracy",
        "seconds",
        "images_per_second",
    }
    assert float(rows[0]["val_accuracy"]) > 0.5
    assert (run_dir / "model.cnnwb").is_file() and (run_dir / "checkpoint.cnnwb").is_file()


def test_final_line_is_json_with_test_accuracy(tmp_path, capsys):
    spec = tmp_path / "mlp.json"
    spec.write_text(SPEC.dumps())
    main(["train", str(spec), "--dataset", "digits", "--limit", "300", "--threads", "1", "--out", str(tmp_path / "r")])
    out = capsys.readouterr().out.strip().splitlines()
    summary = json.loads(out[-1])
    assert 0 <= summary["test_accuracy"] <= 1 and summary["epochs"] == 1 and summary["parameters"] == 235_146


def test_resume_continues_to_the_new_total(run_dir, capsys, tmp_path):
    import shutil

    copy = tmp_path / "run"
    shutil.copytree(run_dir, copy)
    assert main(["train", "--resume", str(copy), "--epochs", "2", "--threads", "1"]) == 0
    rows = list(csv.DictReader((copy / "history.csv").open()))
    assert [r["epoch"] for r in rows] == ["1", "2"]
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["epochs"] == 2


def test_evaluate_and_export_logits_agree(run_dir, capsys, tmp_path):
    assert main(["evaluate", str(run_dir / "model.cnnwb")]) == 0
    line = capsys.readouterr().out.strip()
    accuracy = float(line.split("accuracy: ")[1].split("%")[0]) / 100
    out = tmp_path / "logits.npy"
    assert main(["export-logits", str(run_dir / "model.cnnwb"), "--split", "test", "--out", str(out)]) == 0
    table = np.load(out, allow_pickle=False)
    assert (table["predicted"] == table["label"]).mean() == pytest.approx(accuracy, abs=5e-5)
    assert f"wrote {len(table)} rows" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["train", "--dataset", "digits", "--out", "r"], "error: give a model spec JSON file"),
        (["train", "{spec}", "--dataset", "digits"], "error: give --out RUN_DIR"),
        (["train", "{spec}", "--dataset", "imagenet", "--out", "r"], "error: argument --dataset: invalid choice"),
        (["train", "{spec}", "--dataset", "digits", "--lr", "-1", "--out", "r"], "error: lr must be a number"),
        (["train", "--resume", "nowhere"], "error: nowhere has no checkpoint.cnnwb"),
        (["evaluate", "missing.cnnwb"], "error: "),
        (["train", "{cifar_spec}", "--dataset", "digits", "--out", "r"], "error: the model's input is 3×32×32"),
    ],
)
def test_bad_training_input_is_one_error_line(argv, message, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "spec.json").write_text(SPEC.dumps())
    (tmp_path / "cifar.json").write_text(templates.template("vgg-mini").dumps())
    argv = [a.replace("{spec}", "spec.json").replace("{cifar_spec}", "cifar.json") for a in argv]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1


def test_missing_mnist_offline_says_where_to_put_the_files(tmp_path, monkeypatch, capsys):
    def offline(*args, **kwargs):
        raise urllib.error.URLError("no network")

    monkeypatch.setattr(urllib.request, "urlopen", offline)
    spec = tmp_path / "spec.json"
    spec.write_text(SPEC.dumps())
    code = main(["train", str(spec), "--dataset", "mnist", "--data-dir", str(tmp_path / "data"), "--out", "r"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert str(tmp_path / "data") in err and "train-images-idx3-ubyte" in err
