"""Training on a CUDA GPU: in the training process, with and without mixed precision, pause/resume/stop,
and out-of-memory. Skipped where there is no CUDA device (the CI machine has none)."""

from __future__ import annotations

import time

import pytest
import torch

from tests.core.synthetic import bars, bars_dataset
from tests.core.test_train import Recorder, small_cnn
from workbench.data.datasets import Dataset
from workbench.events import BatchEnded, Failed, Finished, Paused, Resumed, RunStarted
from workbench.model.spec import LayerSpec, ModelSpec
from workbench.processes.messages import Ended, EventMessage
from workbench.processes.remote import RemoteRun
from workbench.training.config import TrainConfig
from workbench.training.trainer import Trainer

pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")


def cuda_config(**changes) -> TrainConfig:
    return TrainConfig(**{"batch_size": 32, "epochs": 3, "device": "cuda", "lr": 0.01, "seed": 1, **changes})


def start_run(spec, dataset, config) -> RemoteRun:
    run = RemoteRun(spec, dataset, config, weights_interval=0.1)
    run.start()
    return run


def wait_for(run: RemoteRun, done, timeout: float = 120.0) -> list:
    seen, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        seen.append(run.receive())
        if done(seen[-1]):
            return seen
    raise AssertionError(f"timed out; saw {[type(m).__name__ for m in seen][-10:]}")


def test_a_run_in_the_training_process_really_uses_cuda():
    run = start_run(small_cnn(), bars_dataset(), cuda_config())
    seen = wait_for(run, lambda m: isinstance(m, Ended))
    events = [m.event for m in seen if isinstance(m, EventMessage)]
    started = next(e for e in events if isinstance(e, RunStarted))
    assert started.device.startswith("CUDA · ") and "autocast" in started.features
    finished = next(e for e in events if isinstance(e, Finished))
    assert finished.test_accuracy > 0.9 and finished.device.startswith("CUDA")
    assert seen[-1].outcome == "finished"
    run.join(30)


def test_mixed_precision_on_and_off_give_close_accuracy():
    accuracies = []
    for amp in (True, False):
        recorder = Recorder()
        trainer = Trainer(small_cnn(), bars_dataset(train=1024), cuda_config(mixed_precision=amp), listener=recorder)
        assert trainer.fit() == "finished"
        assert ("autocast" in trainer.features()) is amp
        accuracies.append(recorder.of(Finished)[0].test_accuracy)
    assert abs(accuracies[0] - accuracies[1]) <= 0.05, accuracies


def test_pause_resume_and_stop_reach_a_cuda_run():
    dataset = bars_dataset(train=4096)
    run = start_run(small_cnn(), dataset, cuda_config(epochs=50, batch_size=8))
    wait_for(run, lambda m: isinstance(m, EventMessage) and isinstance(m.event, BatchEnded))
    run.pause()
    wait_for(run, lambda m: isinstance(m, EventMessage) and isinstance(m.event, Paused))
    run.resume(lr=0.001)
    wait_for(run, lambda m: isinstance(m, EventMessage) and isinstance(m.event, Resumed))
    run.stop()
    seen = wait_for(run, lambda m: isinstance(m, Ended), timeout=30)
    assert seen[-1].outcome == "stopped"
    run.join(30)


def test_out_of_memory_is_a_message_and_the_model_keeps_its_weights():
    count = 65536
    images = bars(count, size=28)
    dataset = Dataset(
        "bars", "bars", ("0", "1", "2", "3"), (1, 28, 28), images, images.subset(torch.arange(0)),
        images.subset(torch.arange(0)), (0.5,), (0.25,),
    )  # fmt: skip
    wide = ModelSpec(
        (1, 28, 28),
        [
            LayerSpec("Conv2d", {"out_channels": 4096, "kernel_size": 3, "padding": 1}),  # 13 MB per image
            LayerSpec("AdaptiveMaxPool2d", {"output_size": 1}),
            LayerSpec("Flatten"),
            LayerSpec("Linear", {"out_features": 4}),
        ],
    )
    recorder = Recorder()
    trainer = Trainer(wide, dataset, cuda_config(batch_size=count, epochs=1), listener=recorder)
    before = trainer.snapshot_state()
    assert trainer.fit() == "failed"
    (failed,) = recorder.of(Failed)
    assert "ran out of memory at batch size 65536" in failed.reason and "lower the batch size" in failed.reason
    after = trainer.snapshot_state()
    assert all(torch.equal(before[name], after[name]) for name in before)
