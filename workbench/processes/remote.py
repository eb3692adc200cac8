"""Run a `Trainer` in a separate process and talk to it through two pipes.

Why a process and not a thread: training in a thread of the app shares the interpreter lock with the
GUI thread, and every redraw of the live panels (Python code in pyqtgraph) held up the training
loop's Python between torch ops: the app trained at 0.85 of the bare engine's speed. In its own
process training runs at full speed however busy the window is, a crash in it (out of memory, a
driver fault) cannot take the window and the user's model down, and the app never touches the
weights being trained: it receives copies.

The process and its pipes are a `child.ChildProcess`; the messages are the dataclasses of `messages`:
EventMessage (every event the trainer emits), Weights (a copy a few times a second and at the end) and
Ended (after `fit` returned) from the training process; Pause, Resume, Stop, Probe and Explain to it.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections import deque
from typing import Any

import numpy as np

from workbench.data.datasets import Dataset
from workbench.data.images import DataError
from workbench.events import BatchEnded, EpochEnded, Event, Failed, HealthUpdate, ProbeUpdate
from workbench.model.spec import ModelSpec, loads
from workbench.processes.child import ChildProcess, TrainingProcessLost, plain_arrays, serve_commands
from workbench.processes.messages import (
    Ended,
    EventMessage,
    Explain,
    Message,
    Pause,
    Probe,
    Resume,
    Stop,
    Weights,
)
from workbench.processes.priority import TRAINING_NICENESS, yield_to_the_window
from workbench.training.config import ConfigError, TrainConfig
from workbench.training.control import RunControl

__all__ = ["TRAINING_NICENESS", "RemoteRun", "TrainingProcessLost", "yield_to_the_window"]

KEPT = "the model keeps the weights of its last update. Train again to continue"  # when the process is lost


class RemoteRun(ChildProcess):
    """One training run in a child process. Control methods never block; `receive` does."""

    def __init__(
        self,
        spec: ModelSpec,
        dataset: Dataset,
        config: TrainConfig,
        *,
        probe: tuple[Any, int | None] | None = None,
        batch_event_interval: float = 0.2,
        weights_interval: float = 0.5,
        initial_state: dict[str, Any] | None = None,
        history: list[dict[str, Any]] | None = None,
        checkpoint_path: str | None = None,
        resume: bool = False,
        health_interval: float | None = None,
        processes: int = 1,
        pause_heartbeat: float | None = None,
    ) -> None:
        """`initial_state` starts from those weights instead of fresh ones; `checkpoint_path` is written at
        each epoch end and on stop; `resume` continues the run saved in that checkpoint instead (then `spec`
        and `config` should be the checkpoint's: the app shows them). `health_interval`: seconds between layer-health
        measurements (HealthUpdate events), None for none. `processes` > 1: a distributed run of that many
        processes through torchrun's launcher (see remote_ranks), its rank 0 reporting as a single process
        does; `pause_heartbeat`: how often, while paused, rank 0 tells the others (None: the default)."""
        if resume and checkpoint_path is None:
            raise ValueError("resume needs the checkpoint_path to continue from")
        self.config = config
        options = {
            "batch_event_interval": batch_event_interval,
            "weights_interval": weights_interval,
            "checkpoint_path": None if checkpoint_path is None else str(checkpoint_path),
            "resume": resume,
            "initial_state": None if initial_state is None else plain_arrays(initial_state),
            "history": list(history or ()),
            "health_interval": health_interval,
            "processes": processes,
            "pause_heartbeat": pause_heartbeat,
        }
        if processes > 1:
            from workbench.processes.remote_ranks import serve_ranks as target
        else:
            target = serve_and_exit
        args = (spec.dumps(), dataset, config.to_json(), probe, options)
        super().__init__(target, args, name="workbench-training", title="the training process", kept=KEPT)

    # ----- control (any thread) ----------------------------------------------------------------

    def pause(self) -> None:
        self.send(Pause())

    def resume(self, **changes: Any) -> None:
        """Continue, first applying changed live settings (checked here: ConfigError if invalid)."""
        if changes:
            self.config = self.config.with_live_changes(**changes)
        self.send(Resume(changes))

    def stop(self) -> None:
        self.send(Stop())

    def set_probe(self, image, label: int | None) -> None:
        self.send(Probe(np.asarray(image), label))

    def set_explain(self, method: str | None, target: int | None = None) -> None:
        """The probe's saliency map with each ProbeUpdate (see Trainer.set_explain)."""
        self.send(Explain(method, target))


# ----- the child process ------------------------------------------------------------------------------


def serve_and_exit(*args: Any) -> None:
    """The training process's target: `serve`, then exit at once. Its last message is delivered by then (the
    mailbox is closed) and its files are written; the interpreter's orderly teardown of torch would only keep
    the process alive about 0.9 s of CPU longer (at its lower priority, over 3 s on a busy 2-core machine)."""
    serve(*args)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def serve(outbox, inbox, spec_json: str, dataset: Dataset, config_json: dict, probe, options: dict) -> None:
    """The training process's main: build the trainer, obey commands, report everything."""
    from workbench.files.errors import ModelFileError
    from workbench.training.trainer import TrainingError  # here: the parent may only need the messages

    yield_to_the_window()
    reporter = Reporter(outbox, options["weights_interval"])
    control = RunControl()
    try:
        trainer = make_trainer(spec_json, dataset, config_json, options, reporter.event, control)
    except (TrainingError, ConfigError, DataError, ModelFileError) as exc:
        reporter.send(EventMessage(Failed(str(exc))))
        reporter.send(Ended("failed", [], config_json))
        reporter.mailbox.close()
        return
    reporter.trainer = trainer
    if probe is not None:
        trainer.set_probe(*probe)
    threading.Thread(target=obey, args=(inbox, control, trainer), daemon=True, name="commands").start()
    outcome = trainer.fit()
    reporter.weights()
    reporter.send(Ended(outcome, trainer.history, trainer.config.to_json()))
    reporter.mailbox.close()


def make_trainer(
    spec_json: str,
    dataset: Dataset,
    config_json: dict,
    options: dict,
    listener,
    control,
    *,
    kind=None,
    machine: dict | None = None,
    **extra: Any,
):
    """The run's Trainer (or `kind`, a subclass, with the `extra` arguments), fresh or from its checkpoint;
    `machine` overrides the settings of where it runs (device, threads)."""
    import torch

    from workbench.training.trainer import Trainer

    kind = kind or Trainer
    common = {
        "listener": listener,
        "control": control,
        "batch_event_interval": options["batch_event_interval"],
        "checkpoint_path": options.get("checkpoint_path"),
        "health_interval": options.get("health_interval"),
        **extra,
    }
    if options.get("resume"):  # where it runs is the device asked for now, not the checkpoint's
        machine = machine or {"device": config_json.get("device", "auto")}
        return kind.from_checkpoint(options["checkpoint_path"], dataset, machine=machine, **common)
    initial = options.get("initial_state")
    state = None if initial is None else {name: torch.as_tensor(value) for name, value in initial.items()}
    config = TrainConfig.from_json(config_json)
    if machine:
        config = config.with_changes(**machine)
    history = options.get("history")
    return kind(loads(spec_json), dataset, config, initial_state=state, history=history, **common)


class _Mailbox:
    """Sends on its own thread, so the training loop never waits for the app to read: a message
    larger than the pipe's buffer blocks its sender until the app's reader takes it, and that reader
    shares its interpreter lock with the busy GUI thread. A newer copy of the weights, or a newer
    probe update, replaces one still waiting: only the latest matters."""

    def __init__(self, connection) -> None:
        self._connection = connection
        self._pending: deque[Message] = deque()
        self._ready = threading.Condition()
        self._closed = False
        self._thread = threading.Thread(target=self._run, daemon=True, name="mailbox")
        self._thread.start()

    def post(self, message: Message) -> None:
        key = _replaceable(message)
        with self._ready:
            if key is not None:
                self._pending = deque(m for m in self._pending if _replaceable(m) != key)
            self._pending.append(message)
            self._ready.notify()

    def close(self, timeout: float = 60) -> None:
        """Deliver what is waiting, then stop."""
        with self._ready:
            self._closed = True
            self._ready.notify()
        self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            with self._ready:
                while not self._pending and not self._closed:
                    self._ready.wait()
                if not self._pending:
                    return
                message = self._pending.popleft()
            try:
                self._connection.send(message)
            except OSError:
                return  # the app is gone; the command reader stops the run


def _replaceable(message: Message) -> str | None:
    if isinstance(message, Weights):
        return "weights"
    if isinstance(message, EventMessage) and isinstance(message.event, ProbeUpdate):
        return "probe"
    if isinstance(message, EventMessage) and isinstance(message.event, HealthUpdate):
        return "health"
    return None


class Reporter:
    """Forwards events; after a batch or epoch, sends the weights if `interval` seconds have passed.
    It runs on the training thread between optimizer steps, so the copy is always consistent."""

    def __init__(self, outbox, interval: float) -> None:
        self.mailbox, self.interval = _Mailbox(outbox), interval
        self.trainer = None
        self._last = -1e9

    def send(self, message: Message) -> None:
        self.mailbox.post(message)

    def event(self, event: Event) -> None:
        self.send(EventMessage(event))
        if isinstance(event, BatchEnded | EpochEnded) and time.monotonic() - self._last >= self.interval:
            self.weights()

    def weights(self) -> None:
        if self.trainer is None:
            return
        self._last = time.monotonic()
        state = {name: value.numpy() for name, value in self.trainer.snapshot_state().items()}  # CPU copies
        self.send(Weights(self.trainer.step, state))


def obey(inbox, control: RunControl, trainer) -> None:
    """The training process's command reader (and rank 0's, see rank_job); the app gone means stop."""

    def resume(command: Resume) -> None:
        with contextlib.suppress(ConfigError):  # checked by the app already; never stay paused over it
            trainer.request_changes(**command.changes)
        control.resume()

    handlers = {
        Pause: lambda _: control.pause(),
        Resume: resume,
        Stop: lambda _: control.stop(),
        Probe: lambda command: trainer.set_probe(command.image, command.label),
        Explain: lambda command: trainer.set_explain(command.method, command.target),
    }
    serve_commands(inbox, handlers, control.stop)
