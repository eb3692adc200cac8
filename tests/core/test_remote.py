"""Training in a child process: the same events and weights as in-process, control by commands,
and a clear message when the process dies."""

from __future__ import annotations

import os
import signal
import time

import numpy as np
import pytest
import torch

from tests.core.synthetic import BARS_SPEC, bars_dataset
from workbench.events import BatchEnded, EpochEnded, Failed, Finished, Paused, ProbeUpdate, RunStarted
from workbench.model.build import build_model
from workbench.model.spec import LayerSpec
from workbench.processes.messages import Ended, EventMessage, Weights
from workbench.processes.remote import TRAINING_NICENESS, RemoteRun, TrainingProcessLost, _Mailbox
from workbench.training.config import ConfigError, TrainConfig
from workbench.training.trainer import Trainer

SPEC = BARS_SPEC
CONFIG = TrainConfig(epochs=2, batch_size=32, threads=1, seed=3)


def collect(run: RemoteRun, until=lambda message: isinstance(message, Ended), timeout: float = 60) -> list:
    messages, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        messages.append(run.receive())
        if until(messages[-1]):
            return messages
    raise AssertionError("the training process did not get there in time")


def events(messages) -> list:
    return [m.event for m in messages if isinstance(m, EventMessage)]


def test_a_run_in_a_process_trains_exactly_as_in_this_one():
    dataset = bars_dataset()
    run = RemoteRun(SPEC, dataset, CONFIG, probe=(dataset.test.images[0], 0), weights_interval=0.0)
    run.start()
    messages = collect(run)
    assert run.join(30)
    kinds = [type(e) for e in events(messages)]
    assert kinds[0] is RunStarted and kinds[-1] is Finished
    assert BatchEnded in kinds and EpochEnded in kinds and ProbeUpdate in kinds
    outcome, history = messages[-1].outcome, messages[-1].history
    assert outcome == "finished" and len(history) == 2

    local = Trainer(SPEC, bars_dataset(), CONFIG)
    local.fit()
    final = [m for m in messages if isinstance(m, Weights)][-1]
    assert final.step == local.step
    for name, value in local.model.state_dict().items():  # same seed, same data: bit for bit
        assert torch.equal(torch.from_numpy(final.arrays[name]), value), name
    model = build_model(SPEC)
    model.load_state_dict({k: torch.from_numpy(v) for k, v in final.arrays.items()})
    assert [row["train_loss"] for row in history] == [row["train_loss"] for row in local.history]


def test_pause_change_the_learning_rate_resume_and_stop():
    run = RemoteRun(SPEC, bars_dataset(train=2048), CONFIG.with_changes(epochs=50, schedule="none"))
    run.start()
    collect(run, lambda m: isinstance(m, EventMessage) and isinstance(m.event, BatchEnded))
    run.pause()
    collect(run, lambda m: isinstance(m, EventMessage) and isinstance(m.event, Paused))
    with pytest.raises(ConfigError):
        run.resume(batch_size=8)  # not a live setting: refused here, before anything is sent
    run.resume(lr=0.0005)
    seen = collect(
        run, lambda m: isinstance(m, EventMessage) and isinstance(m.event, BatchEnded) and m.event.lr == 0.0005
    )
    assert seen
    run.stop()
    messages = collect(run)
    assert messages[-1].outcome == "stopped"
    assert run.join(30)


@pytest.mark.skipif(not hasattr(os, "getpriority"), reason="POSIX scheduling priorities")
def test_the_training_process_runs_below_the_window_s_priority():
    run = RemoteRun(SPEC, bars_dataset(train=2048), CONFIG.with_changes(epochs=50))
    run.start()
    collect(run, lambda m: isinstance(m, EventMessage) and isinstance(m.event, BatchEnded))
    child = os.getpriority(os.PRIO_PROCESS, run.process.pid)
    run.stop()
    collect(run)
    assert run.join(30)
    assert child == min(19, os.getpriority(os.PRIO_PROCESS, 0) + TRAINING_NICENESS)


def test_a_model_that_does_not_fit_the_data_fails_with_the_reason():
    wrong = SPEC.with_layers([*SPEC.layers[:-1], LayerSpec("Linear", {"out_features": 3})])
    run = RemoteRun(wrong, bars_dataset(), CONFIG)
    run.start()
    messages = collect(run)
    failed = [e for e in events(messages) if isinstance(e, Failed)]
    assert failed and "out_features 4" in failed[0].reason
    assert messages[-1].outcome == "failed"
    run.join(30)


def test_a_killed_process_is_reported_in_one_readable_line():
    run = RemoteRun(SPEC, bars_dataset(train=2048), CONFIG.with_changes(epochs=50))
    run.start()
    collect(run, lambda m: isinstance(m, Weights))
    os.kill(run.process.pid, signal.SIGKILL)
    with pytest.raises(TrainingProcessLost) as lost:
        collect(run, lambda m: False)
    message = str(lost.value)
    assert "was killed" in message and "keeps the weights" in message and "\n" not in message


class _SlowConnection:
    def __init__(self):
        self.sent = []

    def send(self, message):
        time.sleep(0.05)
        self.sent.append(message)


def test_the_mailbox_never_blocks_and_keeps_only_the_latest_weights_and_probe():
    connection = _SlowConnection()
    mailbox = _Mailbox(connection)
    started = time.perf_counter()
    for step in range(20):
        mailbox.post(Weights(step, {"w": np.zeros(3)}))
        mailbox.post(EventMessage(BatchEnded(1, step + 1, 20, step + 1, 1.0, 0.5, 0.1, 100.0)))
    posting = time.perf_counter() - started
    mailbox.post(Ended("finished", [], {}))
    mailbox.close()
    assert posting < 0.05  # 40 posts while the connection takes 50 ms per message
    batches = [m.event.step for m in connection.sent if isinstance(m, EventMessage)]
    assert batches == list(range(1, 21))  # events are never dropped, and stay in order
    weights = [m.step for m in connection.sent if isinstance(m, Weights)]
    assert len(weights) < 20 and weights[-1] == 19
    assert isinstance(connection.sent[-1], Ended)


def test_layer_health_comes_from_the_training_process_when_asked():
    from workbench.events import HealthUpdate

    run = RemoteRun(SPEC, bars_dataset(train=512), CONFIG.with_changes(epochs=1), health_interval=0.0)
    run.start()
    updates = [event for event in events(collect(run)) if isinstance(event, HealthUpdate)]
    assert run.join(30)
    assert updates and [entry.type for entry in updates[-1].layers] == ["Conv2d", "ReLU", "Flatten", "Linear"]
    assert updates[-1].layers[1].dead_fraction is not None
