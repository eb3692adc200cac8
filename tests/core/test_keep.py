"""Keeping the user's work in the core: the autosaved spec and its restore decision, starting a process run
from given weights or from its checkpoint, split logits export and a saved history drawn as epochs."""

from __future__ import annotations

import time

import numpy as np
import pytest
import torch

from tests.core.synthetic import bars_dataset
from tests.core.test_remote import CONFIG, SPEC
from workbench.events import EpochEnded, RunStarted, epoch_events
from workbench.files.errors import ExportError
from workbench.files.logits import export_split_logits
from workbench.files.model_file import load_model, save_model
from workbench.files.recovery import Autosave, state_dir
from workbench.model.build import build_model
from workbench.processes.messages import Ended, EventMessage
from workbench.processes.remote import RemoteRun
from workbench.training.config import TrainConfig
from workbench.training.trainer import Trainer


def test_the_state_folder_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.delenv("WORKBENCH_STATE_DIR", raising=False)
    assert state_dir(tmp_path / "app") == tmp_path / "app"
    monkeypatch.setenv("WORKBENCH_STATE_DIR", str(tmp_path / "elsewhere"))
    assert state_dir(tmp_path / "app") == tmp_path / "elsewhere"


def test_an_autosave_left_behind_is_offered_back_and_a_clean_exit_leaves_nothing(tmp_path):
    keeper = Autosave(tmp_path / "state")
    assert keeper.pending_restore() is None  # nothing yet: a first start offers nothing
    keeper.write(SPEC, tmp_path / "mine.json")
    recovered = Autosave(tmp_path / "state").pending_restore()  # "the next start"
    assert recovered.spec == SPEC and recovered.path == tmp_path / "mine.json"
    keeper.clear()
    assert keeper.pending_restore() is None


def test_a_damaged_autosave_is_dropped_not_offered(tmp_path):
    keeper = Autosave(tmp_path)
    keeper.spec_path.write_text('{"format": "cnn-workbench-autosave", "spec": {"layers": 3}}')
    assert keeper.pending_restore() is None
    assert not keeper.spec_path.exists()


def test_a_crash_while_autosaving_keeps_the_previous_autosave(tmp_path, monkeypatch):
    keeper = Autosave(tmp_path)
    keeper.write(SPEC)
    other = SPEC.with_input((1, 16, 16))

    def crash(*_args):
        raise OSError("disk full")

    monkeypatch.setattr("os.replace", crash)
    with pytest.raises(OSError):
        keeper.write(other)
    monkeypatch.undo()
    assert keeper.pending_restore().spec == SPEC


def collect(run: RemoteRun, timeout: float = 60) -> list:
    messages, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        messages.append(run.receive())
        if isinstance(messages[-1], Ended):
            return messages
    raise AssertionError("the training process did not end in time")


def test_a_process_run_starts_from_given_weights_and_writes_its_checkpoint(tmp_path):
    dataset = bars_dataset()
    start = {k: torch.full_like(v, 0.01) for k, v in build_model(SPEC).state_dict().items()}
    checkpoint = tmp_path / "run.cnnwb"
    config = TrainConfig(epochs=1, batch_size=32, threads=1, seed=3)
    run = RemoteRun(SPEC, dataset, config, initial_state=start, checkpoint_path=str(checkpoint), weights_interval=0.0)
    run.start()
    assert collect(run)[-1].outcome == "finished"
    assert run.join(30)
    local = Trainer(SPEC, bars_dataset(), config, initial_state=start)
    local.fit()
    saved = load_model(checkpoint, kind="checkpoint")
    for name, value in local.model.state_dict().items():
        assert torch.equal(saved.state[name], value), name
    assert [row["epoch"] for row in saved.history] == [1]


def test_a_process_run_resumes_from_a_checkpoint_as_the_run_would_have_continued(tmp_path):
    checkpoint = tmp_path / "run.cnnwb"
    first = Trainer(
        SPEC, bars_dataset(), TrainConfig(epochs=1, batch_size=32, threads=1, seed=3), checkpoint_path=str(checkpoint)
    )
    first.fit()
    saved = load_model(checkpoint, kind="checkpoint")  # one epoch of a two-epoch run, as after a kill
    config = TrainConfig.from_json({**saved.train_config, "epochs": 2})
    saved.train_config = config.to_json()
    save_model(checkpoint, saved, kind="checkpoint")
    copy = tmp_path / "copy.cnnwb"
    copy.write_bytes(checkpoint.read_bytes())
    run = RemoteRun(saved.spec, bars_dataset(), config, checkpoint_path=str(checkpoint), resume=True)
    run.start()
    messages = collect(run)
    assert run.join(30)
    started = next(m.event for m in messages if isinstance(m, EventMessage) and isinstance(m.event, RunStarted))
    assert started.start_epoch == 2
    assert [row["epoch"] for row in messages[-1].history] == [1, 2]
    here = Trainer.from_checkpoint(str(copy), bars_dataset())  # the same resume in this process
    here.fit()
    resumed = load_model(checkpoint, kind="checkpoint")
    for name, value in here.model.state_dict().items():
        assert torch.equal(resumed.state[name], value), name


def test_split_logits_are_the_models_logits_on_that_split(tmp_path):
    dataset = bars_dataset()
    trainer = Trainer(SPEC, dataset, TrainConfig(epochs=1, batch_size=32, threads=1))
    trainer.fit()
    saved = trainer.saved_model()
    ticks = []
    path = tmp_path / "val.npy"
    rows = export_split_logits(saved, dataset, "validation", path, progress=lambda d, t: ticks.append(d))
    table = np.load(tmp_path / "val.npy")
    assert rows == len(table) == len(dataset.val) and ticks[-1] == len(dataset.val)
    assert "probabilities" in table.dtype.names
    assert np.array_equal(table["label"], dataset.val.labels.numpy())
    rows = export_split_logits(saved, dataset, "train", tmp_path / "train.csv", probabilities=False)
    header = (tmp_path / "train.csv").read_text().splitlines()[0]
    assert rows == len(dataset.train) and "prob_0" not in header


def test_split_logits_refuse_a_dataset_the_model_does_not_fit(tmp_path):
    trainer = Trainer(SPEC, bars_dataset(), TrainConfig(epochs=1, batch_size=32, threads=1))
    other = bars_dataset(size=16)
    with pytest.raises(ExportError, match="choose the dataset it was trained on"):
        export_split_logits(trainer.saved_model(), other, "test", tmp_path / "x.csv")


def test_a_saved_history_becomes_epoch_points_at_their_steps():
    trainer = Trainer(SPEC, bars_dataset(), CONFIG)
    trainer.fit()
    points = epoch_events(trainer.history)
    assert [step for step, _ in points] == [trainer.batches_per_epoch, 2 * trainer.batches_per_epoch]
    assert all(isinstance(event, EpochEnded) for _, event in points)
    old = [{k: v for k, v in row.items() if k != "step"} for row in trainer.history] + [{"epoch": "?"}]
    assert [step for step, _ in epoch_events(old, 5)] == [5, 10]  # no step: epoch × batches; junk skipped
