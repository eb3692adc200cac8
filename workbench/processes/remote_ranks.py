"""The app's distributed run: the training process of a `RemoteRun(processes=N)` starts N ranks through
torchrun's own launcher (`launch`), and relays between the app and rank 0, so that the window sees exactly
the messages of a single-process run (events, weights copies, the end) and its commands (pause, resume
with changes, stop, probe, explain) reach rank 0, which passes its decisions on to the other ranks
(see RankGroup.agree in workbench/distributed/ranks.py).

    app ──pipes── this process (the agent) ──authenticated socket── rank 0 ──process group── ranks 1…N−1

The ranks read the run from a job folder this process writes (the spec, settings and options as JSON, the
dataset and weights as plain tensors, read back with weights_only) and find the relay's address in it; the
socket's key travels in the environment only. When a rank fails, the launcher ends the others and this
process tells the app in one line naming the rank; rank 0 never reports its own failure, which may only be
the consequence of another rank's.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import tempfile
import threading
from multiprocessing import AuthenticationError
from multiprocessing.connection import Listener
from pathlib import Path
from typing import Any

import numpy as np
import torch

from workbench.data.datasets import Dataset, split_tensors, splits_from_tensors
from workbench.events import Failed, Notice
from workbench.processes.messages import Ended, EventMessage, Message, Stop
from workbench.processes.priority import yield_to_the_window

__all__ = ["read_job", "serve_ranks", "write_job"]

KEY_VARIABLE = "WORKBENCH_RELAY_KEY"
JOB_FILE, TENSORS_FILE = "job.json", "tensors.pt"
LAST_MESSAGES_S = 30.0  # after the launcher returned: how long rank 0's last messages may take to arrive


def serve_ranks(outbox, inbox, spec_json: str, dataset: Dataset, config_json: dict, probe, options: dict) -> None:
    """The training process of a distributed run (the counterpart of remote.serve)."""
    from workbench.distributed.launch import LaunchError, Placement, launch
    from workbench.distributed.ranks import check_world
    from workbench.training.trainer import TrainingError

    yield_to_the_window()  # the ranks inherit the lower priority
    processes = int(options["processes"])
    try:
        check_world(int(config_json.get("batch_size", 0)), processes)
    except TrainingError as exc:
        _fail(outbox, str(exc), config_json)
        return
    key = secrets.token_bytes(32)
    with tempfile.TemporaryDirectory(prefix="workbench-ranks-") as job, Listener(("127.0.0.1", 0), authkey=key) as ear:
        write_job(Path(job), spec_json, dataset, config_json, probe, options, ear.address)
        outbox.send(EventMessage(Notice(f"starting {processes} training processes through torchrun's launcher")))
        relay = _Relay(ear, outbox, inbox)
        os.environ[KEY_VARIABLE] = key.hex()  # the ranks inherit this process's environment
        failure = None
        try:
            launch(Placement(processes), [job], module="workbench.processes.rank_job")
        except LaunchError as exc:
            failure = str(exc)
        except Exception as exc:  # the launcher itself (rendezvous, a port): still one line for the window
            failure = f"the launcher failed: {type(exc).__name__}: {exc}".replace("\n", " ")
        relay.finish(LAST_MESSAGES_S)
        if not relay.ended:
            reason = failure or "the training processes ended without a result"
            _fail(outbox, f"{reason}; {_what_is_kept(options)}", config_json)


def _what_is_kept(options: dict) -> str:
    checkpoint = options.get("checkpoint_path")
    if checkpoint and Path(checkpoint).is_file():
        return f"the last checkpoint is kept ({checkpoint}): Resume continues from it"
    return "the model keeps the weights of its last update"


def _fail(outbox, reason: str, config_json: dict) -> None:
    with contextlib.suppress(OSError):  # the app is gone: nobody to tell
        outbox.send(EventMessage(Failed(reason)))
        outbox.send(Ended("failed", [], config_json))


class _Relay:
    """Rank 0's messages to the app, the app's commands to rank 0 (once it is connected: until then they
    wait in the pipe). The app gone means stop, as for a single process."""

    def __init__(self, ear: Listener, outbox, inbox) -> None:
        self.ear, self.outbox, self.inbox = ear, outbox, inbox
        self.ended = False  # rank 0's Ended went to the app
        self._rank0 = None
        self._connected = threading.Event()
        self._forwarding = threading.Thread(target=self._to_app, daemon=True, name="relay-out")
        self._forwarding.start()
        threading.Thread(target=self._to_rank0, daemon=True, name="relay-in").start()

    def finish(self, timeout: float) -> None:
        """Wait for rank 0's last messages (if it ever connected)."""
        if self._connected.is_set():
            self._forwarding.join(timeout)

    def _to_app(self) -> None:
        try:
            self._rank0 = self.ear.accept()
        except (OSError, AuthenticationError):  # the listener closed, or a stranger without the key
            return
        self._connected.set()
        while True:
            try:
                message = self._rank0.recv()
            except (EOFError, OSError):
                return
            try:
                self.outbox.send(message)
            except OSError:
                self._command(Stop())  # the app is gone
                return
            if isinstance(message, Ended):
                self.ended = True

    def _to_rank0(self) -> None:
        self._connected.wait()
        while True:
            try:
                command = self.inbox.recv()
            except (EOFError, OSError):
                self._command(Stop())
                return
            if not self._command(command):
                return

    def _command(self, command: Message) -> bool:
        try:
            self._rank0.send(command)
        except (OSError, AttributeError):
            return False
        return True


# ----- the job folder -----------------------------------------------------------------------------------


def write_job(folder: Path, spec_json: str, dataset: Dataset, config_json: dict, probe, options, relay) -> None:
    """Everything a rank needs to train: JSON for the text, plain tensors for the arrays."""
    tensors = split_tensors(dataset)
    for name, value in (options.get("initial_state") or {}).items():
        tensors[f"initial/{name}"] = torch.as_tensor(np.asarray(value))
    probe_label = None
    if probe is not None:
        tensors["probe"] = torch.as_tensor(np.asarray(probe[0]))
        probe_label = probe[1]
    torch.save(tensors, folder / TENSORS_FILE)
    described = {
        "name": dataset.name,
        "title": dataset.title,
        "class_names": list(dataset.class_names),
        "input_shape": list(dataset.input_shape),
        "mean": list(dataset.mean),
        "std": list(dataset.std),
        "source": dict(dataset.source),
    }
    kept = {key: value for key, value in options.items() if key != "initial_state"}
    job = {
        "spec": spec_json,
        "config": config_json,
        "options": kept,
        "dataset": described,
        "probe_label": probe_label,
        "relay": [relay[0], relay[1]],
    }
    (folder / JOB_FILE).write_text(json.dumps(job), encoding="utf-8")


def read_job(folder: Path) -> dict[str, Any]:
    """The job as written: spec (JSON text), config (dict), options (with initial_state), dataset, probe, relay."""
    job = json.loads((folder / JOB_FILE).read_text(encoding="utf-8"))
    tensors = torch.load(folder / TENSORS_FILE, weights_only=True)  # plain tensors: no code runs
    described = job["dataset"]
    splits = splits_from_tensors(tensors)
    job["dataset"] = Dataset(
        name=described["name"],
        title=described["title"],
        class_names=tuple(described["class_names"]),
        input_shape=tuple(described["input_shape"]),
        mean=tuple(described["mean"]),
        std=tuple(described["std"]),
        source=described.get("source", {}),
        **splits,
    )
    initial = {key.removeprefix("initial/"): value for key, value in tensors.items() if key.startswith("initial/")}
    job["options"]["initial_state"] = initial or None
    job["probe"] = (tensors["probe"].numpy(), job.pop("probe_label")) if "probe" in tensors else None
    job["relay"] = tuple(job["relay"])
    return job
