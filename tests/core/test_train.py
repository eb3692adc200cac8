"""The training engine: events, stop and pause within one batch, NaN handling, exact resume, probe."""

from __future__ import annotations

import threading

import numpy as np
import pytest
import torch

from tests.core.synthetic import bars_dataset
from workbench.events import (
    BatchEnded,
    EpochEnded,
    Failed,
    Finished,
    Paused,
    ProbeUpdate,
    Resumed,
    RunStarted,
    Stopped,
)
from workbench.model.spec import LayerSpec, ModelSpec
from workbench.training.config import ConfigError, TrainConfig
from workbench.training.control import RunControl
from workbench.training.trainer import Trainer, TrainingError


def small_cnn(classes: int = 4, size: int = 12, batchnorm: bool = False, dropout: bool = False) -> ModelSpec:
    layers = [LayerSpec("Conv2d", {"out_channels": 4, "kernel_size": 3, "padding": 1})]
    if batchnorm:
        layers.append(LayerSpec("BatchNorm2d"))
    layers += [LayerSpec("ReLU"), LayerSpec("MaxPool2d", {"kernel_size": 2}), LayerSpec("Flatten")]
    if dropout:
        layers.append(LayerSpec("Dropout", {"p": 0.3}))
    layers.append(LayerSpec("Linear", {"out_features": classes}))
    return ModelSpec((1, size, size), layers)


class Recorder:
    def __init__(self, on_event=None):
        self.events = []
        self.on_event = on_event

    def __call__(self, event):
        self.events.append(event)
        if self.on_event:
            self.on_event(event)

    def of(self, kind):
        return [e for e in self.events if isinstance(e, kind)]


def config(**changes) -> TrainConfig:
    defaults = {"batch_size": 32, "epochs": 1, "device": "cpu", "threads": 1, "lr": 0.01, "schedule": "none"}
    return TrainConfig(**{**defaults, **changes})


def test_a_run_reports_start_batches_epochs_and_finish_and_learns():
    recorder = Recorder()
    trainer = Trainer(small_cnn(), bars_dataset(), config(epochs=3), listener=recorder, batch_event_interval=0)
    assert trainer.fit() == "finished"
    kinds = [type(e) for e in recorder.events]
    assert kinds[0] is RunStarted and kinds[-1] is Finished
    batches = recorder.of(BatchEnded)
    assert [b.step for b in batches] == list(range(1, 25))  # 256 / 32 = 8 batches × 3 epochs
    assert sum(len(b.losses) for b in batches) == 24
    epochs = recorder.of(EpochEnded)
    assert [e.epoch for e in epochs] == [1, 2, 3]
    assert epochs[-1].confusion.shape == (4, 4) and epochs[-1].confusion.sum() == 64
    finished = recorder.of(Finished)[0]
    assert finished.test_accuracy > 0.9  # the bars are easy
    assert epochs[-1].train_loss < epochs[0].train_loss
    assert recorder.of(RunStarted)[0].device == "CPU · 1 thread"


def test_batch_events_are_rate_limited_but_carry_every_point():
    recorder = Recorder()
    Trainer(small_cnn(), bars_dataset(), config(), listener=recorder, batch_event_interval=3600).fit()
    batches = recorder.of(BatchEnded)
    assert len(batches) == 1  # only the forced one at the end of the epoch
    assert batches[0].steps == tuple(range(1, 9)) and len(batches[0].losses) == 8


def test_stop_takes_effect_within_one_batch():
    control = RunControl()
    recorder = Recorder(lambda e: control.stop() if isinstance(e, BatchEnded) and e.step == 3 else None)
    trainer = Trainer(
        small_cnn(), bars_dataset(), config(epochs=5), listener=recorder, control=control, batch_event_interval=0
    )
    assert trainer.fit() == "stopped"
    assert trainer.step == 3
    assert recorder.of(Stopped)[0].step == 3


def test_pause_within_one_batch_then_change_lr_and_resume_keeps_optimizer_state():
    control = RunControl()
    paused = threading.Event()
    recorder = Recorder(lambda e: control.pause() if isinstance(e, BatchEnded) and e.step == 2 else None)
    recorder.on_event = _chain(recorder.on_event, lambda e: paused.set() if isinstance(e, Paused) else None)
    trainer = Trainer(
        small_cnn(), bars_dataset(), config(epochs=2), listener=recorder, control=control, batch_event_interval=0
    )
    worker = threading.Thread(target=trainer.fit)
    worker.start()
    assert paused.wait(10)
    assert trainer.step == 2  # paused right after the batch that asked for it
    with pytest.raises(ConfigError):
        trainer.request_changes(batch_size=8)
    trainer.request_changes(lr=0.002)
    assert trainer.optimizer.param_groups[0]["lr"] == pytest.approx(0.01)  # not before resume
    control.resume()
    worker.join(30)
    assert not worker.is_alive()
    assert recorder.of(Resumed)[0].config["lr"] == pytest.approx(0.002)
    assert trainer.optimizer.param_groups[0]["lr"] == pytest.approx(0.002)
    adam_steps = [int(s["step"]) for s in trainer.optimizer.state.values()]
    assert adam_steps and all(step == 16 for step in adam_steps)  # state kept across the pause
    assert isinstance(recorder.events[-1], Finished)


def _chain(first, second):
    def both(event):
        if first:
            first(event)
        second(event)

    return both


def test_nan_loss_fails_with_advice_and_keeps_last_good_weights(monkeypatch):
    good = {}
    recorder = Recorder(lambda e: good.update(trainer.snapshot_state()) if isinstance(e, BatchEnded) else None)
    trainer = Trainer(small_cnn(batchnorm=True), bars_dataset(), config(), listener=recorder, batch_event_interval=0)
    real_loss = trainer._loss

    def loss_turning_nan_on_the_fifth_batch(out, yb):
        return real_loss(out, yb) * (float("nan") if trainer.step == 4 else 1.0)

    monkeypatch.setattr(trainer, "_loss", loss_turning_nan_on_the_fifth_batch)
    assert trainer.fit() == "failed"
    reason = recorder.of(Failed)[0].reason
    assert "NaN" in reason and "lower the learning rate" in reason and "\n" not in reason
    assert recorder.of(BatchEnded)[-1].step == 4
    after = trainer.snapshot_state()
    assert "1.running_mean" in after
    assert all(torch.equal(good[k], after[k]) for k in good)  # incl. BatchNorm running stats and counter


def test_one_epoch_then_resume_for_a_second_equals_two_straight_epochs(tmp_path):
    dataset = bars_dataset()
    spec = small_cnn(batchnorm=True, dropout=True)
    straight = Trainer(spec, dataset, config(epochs=2))
    straight.fit()

    first = Trainer(spec, dataset, config(epochs=1), checkpoint_path=str(tmp_path / "c.cnnwb"))
    first.fit()
    resumed = Trainer.from_checkpoint(str(tmp_path / "c.cnnwb"), dataset, epochs=2)
    assert (resumed.epoch, resumed.step) == (1, 8)
    assert resumed.fit() == "finished"
    assert [row["epoch"] for row in resumed.history] == [1, 2]
    assert_same_weights(straight, resumed)


def test_a_run_stopped_at_an_epoch_end_resumes_its_schedule(tmp_path):
    dataset = bars_dataset()
    spec = small_cnn(dropout=True)
    straight = Trainer(spec, dataset, config(epochs=2, schedule="cosine"))
    straight.fit()

    control = RunControl()
    stop_after_epoch = Recorder(lambda e: control.stop() if isinstance(e, EpochEnded) else None)
    path = str(tmp_path / "c.cnnwb")
    first = Trainer(
        spec,
        dataset,
        config(epochs=2, schedule="cosine"),
        listener=stop_after_epoch,
        control=control,
        checkpoint_path=path,
    )
    assert first.fit() == "stopped"
    resumed = Trainer.from_checkpoint(path, dataset)
    assert resumed.optimizer.param_groups[0]["lr"] == pytest.approx(first.optimizer.param_groups[0]["lr"])
    assert resumed.fit() == "finished"
    assert_same_weights(straight, resumed)


def test_stop_midway_and_resume_equals_an_uninterrupted_run(tmp_path):
    dataset = bars_dataset()
    spec = small_cnn(dropout=True)
    straight = Trainer(spec, dataset, config(epochs=2))
    straight.fit()

    control = RunControl()
    stop_at_5 = Recorder(lambda e: control.stop() if isinstance(e, BatchEnded) and e.step == 5 else None)
    path = str(tmp_path / "c.cnnwb")
    first = Trainer(
        spec,
        dataset,
        config(epochs=2),
        listener=stop_at_5,
        control=control,
        checkpoint_path=path,
        batch_event_interval=0,
    )
    assert first.fit() == "stopped"
    resumed = Trainer.from_checkpoint(path, dataset)
    assert (resumed.epoch, resumed.step, resumed.batch_in_epoch) == (0, 5, 5)
    assert resumed.fit() == "finished"
    assert_same_weights(straight, resumed)


def assert_same_weights(a: Trainer, b: Trainer) -> None:
    sa, sb = a.snapshot_state(), b.snapshot_state()
    assert sa.keys() == sb.keys()
    for key in sa:
        assert torch.equal(sa[key], sb[key]), key


def test_probe_follows_the_pinned_sample_through_every_layer():
    recorder = Recorder()
    dataset = bars_dataset()
    spec = ModelSpec((1, 12, 12), [*small_cnn().layers, LayerSpec("Softmax")])
    trainer = Trainer(spec, dataset, config(), listener=recorder, probe_interval=0)
    trainer.set_probe(dataset.test.images[0], int(dataset.test.labels[0]))
    assert trainer.fit() == "finished"
    probes = recorder.of(ProbeUpdate)
    assert len(probes) >= 8
    last = probes[-1]
    assert [index for index, _, _ in last.layers] == list(range(1, len(spec.layers) + 1))
    assert last.layers[0][2].shape == (4, 12, 12) and last.layers[2][2].shape == (4, 6, 6)
    assert last.probabilities.sum() == pytest.approx(1.0, abs=1e-5)
    assert not np.allclose(last.logits.sum(), 1.0)  # logits are taken before the final Softmax
    np.testing.assert_allclose(last.layers[-1][2], last.probabilities, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            small_cnn(classes=3),
            "ends with 3 outputs but Bars has 4 classes; make the last Linear layer's out_features 4",
        ),
        (small_cnn(size=14), "the model's input is 1×14×14 but Bars images are 1×12×12"),
    ],
)
def test_model_and_data_that_do_not_fit_are_refused_with_a_fix(spec, message):
    with pytest.raises(TrainingError, match=message):
        Trainer(spec, bars_dataset(), config())


@pytest.mark.parametrize("optimizer", ["sgd", "adam", "adamw", "rmsprop"])
@pytest.mark.parametrize("schedule", ["none", "step", "one-cycle"])
def test_every_optimizer_and_schedule_trains(optimizer, schedule):
    recorder = Recorder()
    trainer = Trainer(
        small_cnn(), bars_dataset(train=64), config(optimizer=optimizer, schedule=schedule, epochs=2), listener=recorder
    )
    assert trainer.fit() == "finished", recorder.of(Failed)


@pytest.mark.parametrize("ending", ["Softmax", "LogSoftmax"])
def test_every_output_ending_trains_on_torch_s_cross_entropy_of_the_logits(ending):
    """A final Softmax or LogSoftmax is left out of training: the loss is cross-entropy on the logits, so the
    run is the run without it, step for step."""
    base = small_cnn()
    dataset = bars_dataset(train=64, val=0, test=8)
    settings = config(batch_size=64, epochs=3, lr=0.05)  # one batch per epoch
    plain = Trainer(base, dataset, settings)
    x, y = plain._split("train")
    expected = torch.nn.functional.cross_entropy(plain.model(x), y).item()  # the initial weights' loss
    assert plain.fit() == "finished"
    ended = Trainer(base.with_layers([*base.layers, LayerSpec(ending)]), dataset, settings)
    assert ended.fit() == "finished"
    assert plain.history[0]["train_loss"] == pytest.approx(expected, rel=1e-5)
    for row, other in zip(plain.history, ended.history, strict=True):
        assert other["train_loss"] == pytest.approx(row["train_loss"], rel=1e-5)
    assert ended.history[-1]["train_loss"] < ended.history[0]["train_loss"] and ended.history[-1]["train_loss"] > 0
