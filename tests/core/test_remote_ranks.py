"""The app's distributed run (RemoteRun with processes=2: gloo on loopback through torchrun's launcher) reports
like a single process; pause, settings changed while paused, and stop reach every rank; a killed rank ends
the run with one message naming it."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import pytest
import torch

from tests.core.synthetic import BARS_SPEC, bars_dataset
from tests.core.test_remote import collect, events
from workbench.distributed.launch import process_choices
from workbench.events import BatchEnded, EpochEnded, Failed, Finished, Paused, ProbeUpdate, Resumed, RunStarted
from workbench.files.model_file import load_model
from workbench.processes.messages import EventMessage, Weights
from workbench.processes.remote import RemoteRun
from workbench.training.config import TrainConfig
from workbench.training.trainer import Trainer

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="gloo on loopback, /proc")

CONFIG = TrainConfig(epochs=3, batch_size=32, threads=1, seed=3, device="cpu", channels_last=False)
NEW_LR = 0.002


@pytest.mark.slow
def test_a_two_process_run_reports_like_one_and_a_change_while_paused_reaches_every_rank():
    dataset = bars_dataset()
    run = RemoteRun(
        BARS_SPEC,
        dataset,
        CONFIG,
        probe=(dataset.test.images[0], 0),
        weights_interval=0.0,
        processes=2,
        pause_heartbeat=0.2,
    )
    run.start()
    messages = collect(
        run, until=lambda m: isinstance(m, EventMessage) and isinstance(m.event, BatchEnded) and m.event.step >= 3
    )
    run.pause()
    messages += collect(run, until=lambda m: isinstance(m, EventMessage) and isinstance(m.event, Paused))
    time.sleep(1.0)  # five heartbeats: the other rank waits without its collective timing out
    run.resume(lr=NEW_LR)
    messages += collect(run)
    assert run.join(30)
    seen = events(messages)
    kinds = {type(e) for e in seen}
    assert {RunStarted, ProbeUpdate, Paused, Resumed, Finished} <= kinds and Failed not in kinds
    assert "DDP × 2 (gloo)" in next(e for e in seen if isinstance(e, RunStarted)).features
    outcome, config = messages[-1].outcome, messages[-1].config
    assert outcome == "finished" and config["lr"] == NEW_LR

    # the same run in one process, the learning rate changed after the same step: the same weights
    paused_at = next(e for e in seen if isinstance(e, Paused)).step
    local = Trainer(BARS_SPEC, bars_dataset(), CONFIG, batch_event_interval=0.0)
    local.listener = lambda e: isinstance(e, BatchEnded) and e.step == paused_at and local.request_changes(lr=NEW_LR)
    assert local.fit() == "finished"
    final = [m for m in messages if isinstance(m, Weights)][-1].arrays
    for name, value in local.model.state_dict().items():
        assert torch.allclose(torch.from_numpy(final[name]), value, atol=1e-4), name
    # had the change reached rank 0 alone, the ranks' weights would differ and the run would have failed


@pytest.mark.slow
def test_stop_reaches_every_rank_and_one_process_resumes_the_checkpoint(tmp_path):
    checkpoint = str(tmp_path / "checkpoint.cnnwb")
    config = CONFIG.with_changes(epochs=400)
    run = RemoteRun(BARS_SPEC, bars_dataset(), config, checkpoint_path=checkpoint, processes=2)
    run.start()
    collect(run, until=lambda m: isinstance(m, EventMessage) and isinstance(m.event, BatchEnded) and m.event.epoch >= 2)
    run.stop()
    messages = collect(run)
    assert run.join(30)
    assert messages[-1].outcome == "stopped" and Failed not in {type(e) for e in events(messages)}
    saved = load_model(checkpoint, kind="checkpoint")
    assert 1 <= len(saved.history) < 400

    again = RemoteRun(BARS_SPEC, bars_dataset(), config, checkpoint_path=checkpoint, resume=True)
    again.start()
    first = collect(again, until=lambda m: isinstance(m, EventMessage) and isinstance(m.event, EpochEnded))[-1].event
    again.stop()
    collect(again)
    assert again.join(30)
    assert first.epoch == len(saved.history) + 1  # the epoch count goes on in one process


@pytest.mark.slow
def test_a_killed_rank_ends_the_run_with_one_message_naming_it(tmp_path):
    run = RemoteRun(
        BARS_SPEC,
        bars_dataset(),
        CONFIG.with_changes(epochs=400),
        checkpoint_path=str(tmp_path / "checkpoint.cnnwb"),
        processes=2,
    )
    run.start()
    collect(run, until=lambda m: isinstance(m, EventMessage) and isinstance(m.event, BatchEnded) and m.event.epoch >= 2)
    os.kill(_rank_pid(run.process.pid, 1), signal.SIGKILL)
    messages = collect(run)
    assert run.join(30)
    failures = [e for e in events(messages) if isinstance(e, Failed)]
    assert len(failures) == 1 and messages[-1].outcome == "failed"
    assert failures[0].reason.startswith("rank 1 was killed (signal SIGKILL"), failures[0].reason
    assert "the last checkpoint is kept" in failures[0].reason
    assert load_model(tmp_path / "checkpoint.cnnwb", kind="checkpoint").history


def test_several_processes_are_offered_for_several_gpus_or_when_asked_for_on_the_cpu(monkeypatch):
    monkeypatch.delenv("WORKBENCH_CPU_PROCESSES", raising=False)
    assert process_choices(gpus=1) == []
    assert process_choices(gpus=4) == [("all GPUs (4)", "cuda", 4)]
    monkeypatch.setenv("WORKBENCH_CPU_PROCESSES", "2")
    assert process_choices(gpus=0) == [("CPU × 2 processes", "cpu", 2)]
    monkeypatch.setenv("WORKBENCH_CPU_PROCESSES", "many")
    assert process_choices(gpus=0) == []


def _rank_pid(launcher: int, rank: int, timeout: float = 30) -> int:
    """The process of `rank`, a child of the run's launching process (found in /proc by its RANK)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                environ = (entry / "environ").read_bytes().split(b"\0")
            except (OSError, IndexError, ValueError):
                continue
            if parent == launcher and f"RANK={rank}".encode() in environ:
                return int(entry.name)
        time.sleep(0.2)
    raise AssertionError(f"no process for rank {rank}")
