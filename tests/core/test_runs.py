"""The run store: runs recorded as they go (CLI and engine), kept through a kill, versions and damage
handled with one clear line, and architectures compared layer by layer."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.core.synthetic import bars_dataset
from tests.core.test_train import config, small_cnn
from workbench.cli.main import main
from workbench.model import templates
from workbench.model.spec import LayerSpec
from workbench.runs.diff import diff_specs, summary_line
from workbench.runs.recorder import start_recording
from workbench.runs.store import MAX_BATCH_POINTS, SCHEMA_VERSION, RunStore, RunStoreError
from workbench.training.trainer import Trainer

ROOT = Path(__file__).resolve().parents[2]


def cli_train(tmp_path: Path, name: str, *extra: str) -> dict:
    spec = tmp_path / f"{name}.json"
    spec.write_text(templates.template("mlp").dumps())
    argv = ["train", str(spec), "--dataset", "digits", "--threads", "1", "--out", str(tmp_path / name), *extra]
    return argv


def runs_json(capsys) -> list[dict]:
    capsys.readouterr()
    assert main(["runs", "list", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_two_cli_runs_are_listed_with_their_accuracy_and_epochs(tmp_path, capsys):
    finals = []
    for name, epochs in (("first", "1"), ("second", "2")):
        assert main(cli_train(tmp_path, name, "--epochs", epochs)) == 0
        finals.append(json.loads(capsys.readouterr().out.strip().splitlines()[-1]))
    runs = runs_json(capsys)
    assert [run["epochs"] for run in runs] == [2, 1]  # newest first
    for run, final in zip(runs, reversed(finals), strict=True):
        assert run["id"] == final["run"] and run["outcome"] == "finished" and run["source"] == "cli"
        assert run["test_accuracy"] == pytest.approx(final["test_accuracy"])
        assert run["model_path"] == str(Path(final["model"]).resolve())
        assert run["dataset"] == "digits" and run["parameters"] == final["parameters"]


def test_a_resumed_cli_run_continues_the_same_run(tmp_path, capsys):
    assert main(cli_train(tmp_path, "r", "--epochs", "1")) == 0
    assert main(["train", "--resume", str(tmp_path / "r"), "--epochs", "3", "--threads", "1"]) == 0
    (run,) = runs_json(capsys)
    assert run["epochs"] == 3 and run["outcome"] == "finished"
    capsys.readouterr()
    assert main(["runs", "show", str(run["id"]), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert [row["epoch"] for row in shown["history"]] == [1, 2, 3]


def test_a_run_killed_mid_epoch_is_lost_with_the_epochs_it_finished(tmp_path, isolated_run_store):
    argv = cli_train(tmp_path, "killed", "--epochs", "500", "--batch-size", "8", "--limit", "1500")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-m", "workbench", *argv], env=env, cwd=tmp_path, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 120
        done = 0
        while time.monotonic() < deadline and done < 2:
            time.sleep(0.2)
            if (isolated_run_store / "runs.sqlite").exists():
                try:
                    with sqlite3.connect(isolated_run_store / "runs.sqlite", timeout=10) as db:
                        done = (db.execute("SELECT max(epochs) FROM runs").fetchone() or (0,))[0] or 0
                except sqlite3.OperationalError:  # the child has made the file but not yet its tables
                    continue
        assert done >= 2, "the run did not finish two epochs in time"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(30)
    store = RunStore()
    (run,) = store.runs()
    record = store.record(run.id)
    assert run.outcome == "lost" and "killed" in run.reason
    assert run.epochs >= 2 and [row["epoch"] for row in record.history] == list(range(1, run.epochs + 1))
    assert record.batch_steps and record.batch_steps[-1] >= record.history[-1]["step"]


def test_the_engine_recorded_matches_the_trainer(isolated_run_store):
    store = RunStore()
    trainer = Trainer(small_cnn(), bars_dataset(), config(epochs=2))
    recorder = start_recording(store, trainer.spec, trainer.config, "bars", "app")
    trainer.listener = recorder
    assert trainer.fit() == "finished"
    record = store.record(recorder.run_id)
    assert record.summary.outcome == "finished" and record.summary.epochs == 2
    assert [row["train_loss"] for row in record.history] == pytest.approx([r["train_loss"] for r in trainer.history])
    assert record.summary.device == "CPU · 1 thread" and record.spec == trainer.spec
    assert len(record.batch_steps) == trainer.step  # every batch loss, short runs are not thinned


def test_long_runs_keep_a_thinned_loss_curve(isolated_run_store):
    store = RunStore()
    run_id = store.start_run(small_cnn(), {}, "bars", source="cli")
    for start in range(0, 20000, 1000):
        store.add_batches(run_id, list(range(start + 1, start + 1001)), [1.0] * 1000)
    steps = store.record(run_id).batch_steps
    assert MAX_BATCH_POINTS // 2 <= len(steps) <= MAX_BATCH_POINTS and steps[0] == 1 and steps[-1] > 19000


def test_a_store_from_a_newer_version_is_refused_with_one_line(isolated_run_store, capsys):
    RunStore().close()
    with sqlite3.connect(isolated_run_store / "runs.sqlite") as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(RunStoreError, match="written by a newer CNN Workbench"):
        RunStore()
    assert main(["runs", "list"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: the run store") and "update the app" in err


def test_a_damaged_store_is_moved_aside_and_a_new_one_started(isolated_run_store, capsys):
    isolated_run_store.mkdir()
    (isolated_run_store / "runs.sqlite").write_bytes(b"this is not a database" * 100)
    keep = isolated_run_store / "7"
    keep.mkdir()
    (keep / "model.cnnwb").write_bytes(b"the user's model")
    store = RunStore()
    assert store.notice and "was damaged" in store.notice and store.runs() == []
    (aside,) = isolated_run_store.glob("runs.sqlite.damaged-*")
    assert aside.read_bytes().startswith(b"this is not a database")
    assert (keep / "model.cnnwb").read_bytes() == b"the user's model"  # nothing else touched
    store.close()
    assert main(["runs", "list"]) == 0  # the new store works


def one_more_conv():
    classic = templates.template("mnist-classic")
    layers = list(classic.layers)
    layers.insert(3, LayerSpec("Conv2d", {"out_channels": 10, "kernel_size": 3, "padding": 1}))
    return classic, classic.with_layers(layers)


def test_the_diff_lists_the_added_layer_and_the_shapes_that_change_after_it():
    left, right = one_more_conv()
    rows = diff_specs(left, right)
    added = [row for row in rows if row.kind == "added"]
    assert len(added) == 1 and added[0].right.index == 4 and added[0].right.layer.startswith("Conv2d(")
    assert [row.kind for row in rows].count("same") == len(left.layers)
    changed_shapes = [row.left.index for row in rows if row.kind == "same" and row.shape_changed]
    assert changed_shapes == []  # padding 1 keeps 10×12×12: nothing after it changes shape
    assert summary_line(rows) == "1 added"
    narrowing = list(right.layers)
    narrowing[3] = LayerSpec("Conv2d", {"out_channels": 10, "kernel_size": 3})  # no padding: 12×12 → 10×10
    rows = diff_specs(left, left.with_layers(narrowing))
    shape_rows = [row for row in rows if row.kind == "same" and row.shape_changed]
    assert [row.right.index for row in shape_rows] == [5, 6, 7, 8]  # Conv2d, ReLU, MaxPool, Flatten
    assert shape_rows[0].left.output == "20×8×8" and shape_rows[0].right.output == "20×6×6"
    linear = rows[8]  # the same Linear(50) output, from 320 inputs before and 180 now
    assert linear.right.index == 9 and linear.parameters_changed and not linear.shape_changed
    assert summary_line(rows) == "1 added, 4 with new output shapes, 1 with new parameter counts"


def test_runs_compare_and_delete(tmp_path, capsys, isolated_run_store):
    assert main(cli_train(tmp_path, "a", "--epochs", "1")) == 0
    assert main(cli_train(tmp_path, "b", "--epochs", "1", "--lr", "0.01")) == 0
    first, second = sorted(run["id"] for run in runs_json(capsys))
    capsys.readouterr()
    assert main(["runs", "compare", str(first), str(second), "--json"]) == 0
    compared = json.loads(capsys.readouterr().out)
    assert [run["id"] for run in compared["runs"]] == [first, second]
    assert compared["architecture_diffs"] == {str(second): []}  # the same model
    model = tmp_path / "a" / "model.cnnwb"
    assert model.exists()
    assert main(["runs", "delete", str(first)]) == 0
    assert not model.exists() and (tmp_path / "a" / "history.csv").exists()
    assert [run["id"] for run in runs_json(capsys)] == [second]
    assert main(["runs", "show", str(first)]) == 2


def test_a_run_from_trained_weights_continues_their_history():
    from tests.core.test_train import Recorder
    from workbench.events import BatchEnded, EpochEnded, RunStarted

    dataset = bars_dataset()
    first = Trainer(small_cnn(), dataset, config(epochs=2, schedule="one-cycle"))
    assert first.fit() == "finished"
    recorder = Recorder()
    more = Trainer(
        small_cnn(),
        dataset,
        config(epochs=4, schedule="one-cycle"),
        initial_state=first.snapshot_state(),
        history=first.history,
        listener=recorder,
    )
    assert more.fit() == "finished"
    started = recorder.of(RunStarted)[0]
    assert started.start_epoch == 3 and started.start_step == first.step
    assert [e.epoch for e in recorder.of(EpochEnded)] == [3, 4]
    assert [row["epoch"] for row in more.history] == [1, 2, 3, 4]
    assert recorder.of(BatchEnded)[0].steps[0] == first.step + 1 and more.step == 2 * first.step
    assert more.lr() == pytest.approx(first.lr())  # its one-cycle spans the 2 new epochs, as a 2-epoch run


def test_a_run_exported_for_tensorboard_has_its_scalars_and_first_filters(tmp_path, capsys):
    event_accumulator = pytest.importorskip("tensorboard.backend.event_processing.event_accumulator")
    spec = tmp_path / "cnn.json"
    spec.write_text(templates.template("lenet5").dumps())
    argv = ["train", str(spec), "--dataset", "digits", "--threads", "1", "--epochs", "2", "--out", str(tmp_path / "r")]
    assert main(argv) == 0
    run_id = json.loads(capsys.readouterr().out.strip().splitlines()[-1])["run"]
    assert main(["runs", "tensorboard", str(run_id), "--out", str(tmp_path / "tb")]) == 0
    events = event_accumulator.EventAccumulator(str(tmp_path / "tb" / f"run-{run_id}"), size_guidance={"images": 0})
    events.Reload()
    tags = events.Tags()
    assert [e.step for e in events.Scalars("epoch/val_accuracy")] == [
        row["step"] for row in RunStore().record(run_id).history
    ]
    assert len(events.Scalars("batch/train_loss")) == len(RunStore().record(run_id).batch_steps)
    assert "first_conv_filters" in tags["images"]


def test_tensorboard_export_without_the_package_says_how_to_get_it(tmp_path, capsys, monkeypatch):
    run_id = RunStore().start_run(small_cnn(), {}, "bars", source="cli")
    monkeypatch.setitem(sys.modules, "torch.utils.tensorboard", None)  # as if tensorboard were not installed
    assert main(["runs", "tensorboard", str(run_id), "--out", str(tmp_path / "tb")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "pip install 'cnn-workbench[tensorboard]'" in err
