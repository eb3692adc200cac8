"""Runs that end on their own: a target validation accuracy, a time budget, early stopping; and the
speed settings (threads, channels_last, torch.compile's fallback) the trainer reports."""

from __future__ import annotations

import os

import pytest
import torch

from tests.core.synthetic import bars_dataset
from tests.core.test_train import Recorder, config, small_cnn
from workbench.distributed.ranks import threads_per_rank
from workbench.events import EpochEnded, Finished, Notice, RunStarted, ValidationChecked
from workbench.model.spec import LayerSpec, ModelSpec
from workbench.training.config import THREADS_VARIABLE, ConfigError, TrainConfig, default_threads
from workbench.training.trainer import Trainer


def run(spec=None, dataset=None, **changes) -> tuple[Trainer, Recorder]:
    recorder = Recorder()
    trainer = Trainer(spec or small_cnn(), dataset or bars_dataset(train=512), config(**changes), listener=recorder)
    assert trainer.fit() == "finished"
    return trainer, recorder


def test_a_target_ends_the_run_at_the_first_check_past_it():
    trainer, recorder = run(epochs=20, target_accuracy=0.9, checks_per_epoch=4)
    checks = recorder.of(ValidationChecked)
    epochs = recorder.of(EpochEnded)
    scores = [c.val_accuracy for c in checks] + [e.val_accuracy for e in epochs]
    assert max(scores) >= 0.9 and len(epochs) < 20  # the bars are easy: far fewer than 20 epochs
    # every check before the last was below the target, and the run ended right at the last one
    ends = [(row["step"], row["val_accuracy"]) for row in trainer.history]
    timeline = sorted({(c.step, c.val_accuracy) for c in checks} | set(ends))
    assert all(accuracy < 0.9 for _, accuracy in timeline[:-1])
    assert timeline[-1][1] >= 0.9
    assert trainer.step == timeline[-1][0]
    finished = recorder.of(Finished)[0]
    assert "target validation accuracy 90%" in finished.reason


def test_checks_fall_evenly_within_an_epoch():
    _, recorder = run(epochs=1, target_accuracy=1.0, checks_per_epoch=4, lr=1e-8)  # lr 1e-8: never reached
    assert [c.batch for c in recorder.of(ValidationChecked)] == [4, 8, 12]  # 16 batches, the 4th check at the end
    assert recorder.of(Finished)[0].reason == "its epoch done"


def test_a_time_budget_ends_the_run_with_the_model_evaluated():
    trainer, recorder = run(epochs=1000, time_budget=0.5)
    finished = recorder.of(Finished)[0]
    assert "time budget of 0.5 s" in finished.reason
    assert trainer.epoch < 1000 and finished.test_accuracy is not None
    trained = sum(row["seconds"] for row in trainer.history)
    assert 0.5 <= trained < 5.0


def test_patience_stops_when_validation_accuracy_stops_improving():
    # lr 0: nothing is learnt, so the accuracy of epoch 1 is never beaten
    trainer, recorder = run(epochs=50, patience=2, lr=1e-8)
    assert trainer.epoch == 3
    assert "did not improve for 2 epochs" in recorder.of(Finished)[0].reason


def test_without_early_ending_every_epoch_runs_and_checks_only_at_its_end():
    trainer, recorder = run(epochs=2)
    assert trainer.epoch == 2 and recorder.of(ValidationChecked) == []
    assert recorder.of(Finished)[0].reason == "all 2 epochs done"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"target_accuracy": 1.5}, "target_accuracy"),
        ({"time_budget": 0.0}, "time_budget"),
        ({"patience": -1}, "patience"),
    ],
)
def test_bad_stopping_settings_are_refused(changes, message):
    with pytest.raises(ConfigError, match=message):
        TrainConfig(**changes)


def test_threads_are_what_the_settings_say_and_default_to_every_core(monkeypatch):
    monkeypatch.delenv(THREADS_VARIABLE, raising=False)  # (the test suite sets it: see tests/conftest.py)
    assert default_threads() == (os.cpu_count() or 1)
    before = torch.get_num_threads()
    try:
        trainer = Trainer(small_cnn(), bars_dataset(), config(threads=2))
        assert trainer.threads == 2 and torch.get_num_threads() == 2
        assert Trainer(small_cnn(), bars_dataset(), config(threads=0)).threads == default_threads()
    finally:
        torch.set_num_threads(before)


@pytest.mark.parametrize(
    ("value", "expected"), [("1", 1), ("3", 3), (" 2 ", 2), ("0", None), ("-1", None), ("two", None), ("", None)]
)
def test_the_environment_can_set_the_default_threads_and_anything_else_means_every_core(monkeypatch, value, expected):
    monkeypatch.setenv(THREADS_VARIABLE, value)
    assert default_threads() == (expected or os.cpu_count() or 1)
    monkeypatch.setenv("LOCAL_WORLD_SIZE", "2")  # two ranks on this machine share that default
    assert threads_per_rank(None) == max(1, default_threads() // 2)
    assert threads_per_rank(8) == 4


def two_convs() -> ModelSpec:
    conv = {"out_channels": 4, "kernel_size": 3, "padding": 1}
    layers = [LayerSpec("Conv2d", conv), LayerSpec("ReLU"), LayerSpec("Conv2d", conv), LayerSpec("Flatten")]
    return ModelSpec((1, 12, 12), [*layers, LayerSpec("Linear", {"out_features": 4})])


def test_convolutional_models_train_in_channels_last_and_save_plain_weights():
    trainer, recorder = run(two_convs())
    assert trainer.channels_last and "channels_last" in recorder.of(RunStarted)[0].features
    weight = trainer.model[2].weight  # 4 input channels: the two layouts differ
    assert weight.is_contiguous(memory_format=torch.channels_last) and not weight.is_contiguous()
    assert all(t.is_contiguous() for t in trainer.snapshot_state().values())
    plain, _ = run(two_convs(), channels_last=False)
    assert not plain.channels_last and plain.model[2].weight.is_contiguous()


def test_channels_last_changes_no_result():
    fast, _ = run(two_convs(), epochs=2, seed=5)
    plain, _ = run(two_convs(), epochs=2, seed=5, channels_last=False)
    for name, value in fast.snapshot_state().items():
        assert torch.allclose(value.float(), plain.snapshot_state()[name].float(), atol=1e-4), name


def test_a_compile_that_cannot_work_is_a_notice_and_the_run_goes_on(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("no C++ compiler found\nmore detail")

    monkeypatch.setattr(torch, "compile", broken)
    _, recorder = run(compile=True)
    notices = [n.message for n in recorder.of(Notice)]
    assert len(notices) == 1
    assert "torch.compile is not available here (RuntimeError: no C++ compiler found)" in notices[0]
    assert "compiled" not in recorder.of(RunStarted)[0].features
    assert recorder.of(Finished)[0].test_accuracy is not None
