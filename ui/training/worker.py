"""The Qt bridge to the core: training runs in their own process (background tasks on a thread are in
`ui.background`).

The process's messages are read on a thread of their own (`ui.process_reader`) and handled by type on the
GUI thread; the core's plain event objects go on as Qt signals. Stop and pause are sent to the training
process at once, so they never wait behind the queue.
"""

from __future__ import annotations

from typing import Any

import torch
from PySide6.QtCore import QObject, Signal
from torch import nn

from ui.process_reader import ProcessReader
from workbench.data.datasets import Dataset
from workbench.events import BatchEnded, Failed
from workbench.files.model_file import SavedModel, trained_model
from workbench.model.build import build_model
from workbench.model.spec import ModelSpec
from workbench.processes.messages import Ended, EventMessage, Weights, dispatch
from workbench.processes.remote import RemoteRun
from workbench.training.config import TrainConfig


class TrainingRun(QObject):
    """One training run in its own process (see workbench.processes.remote for why): start, pause, resume with
    changes, stop. Keeps what the window needs from it: the latest step and learning rate, a copy of
    the latest weights (`model()` is a CPU replica with them), and after the end the history."""

    event_emitted = Signal(object)
    weights_updated = Signal(int)  # the step the new weights are from
    ended = Signal(str)  # "finished", "stopped" or "failed"

    def __init__(
        self,
        spec: ModelSpec,
        dataset: Dataset,
        config: TrainConfig,
        probe=None,
        parent=None,
        *,
        initial_state: dict[str, torch.Tensor] | None = None,
        history: list[dict] | None = None,
        checkpoint_path: str | None = None,
        resume: bool = False,
        health_interval: float | None = None,
        processes: int = 1,
    ):
        """`initial_state`: start from these weights (and `history`: the epochs they were trained for, which
        this run continues); `checkpoint_path`: written at each epoch end; `resume`: continue the run in that
        checkpoint (`spec` and `config` being the checkpoint's); `health_interval`: seconds between layer-health
        measurements (HealthUpdate events), None for none; `processes` > 1: a distributed run through torchrun,
        its first process reporting (see workbench.processes.remote_ranks)."""
        super().__init__(parent)
        self.spec, self.dataset = spec, dataset
        self.resumes_checkpoint = resume
        self.remote = RemoteRun(
            spec,
            dataset,
            config,
            probe=probe,
            initial_state=initial_state,
            history=history,
            checkpoint_path=checkpoint_path,
            resume=resume,
            health_interval=health_interval,
            processes=processes,
        )
        self.outcome: str | None = None
        self.step, self.lr = 0, config.lr
        self.history: list[dict] = []
        self.state: dict[str, torch.Tensor] | None = None
        self.weights_step = 0
        self._replica: nn.Sequential | None = None
        self._replica_step = -1
        self._started = self._killed = False
        self.reader = ProcessReader(self.remote)
        self.thread = self.reader.thread
        self.reader.received.connect(self._on_message)
        self.reader.lost.connect(self._on_lost)

    @property
    def config(self) -> TrainConfig:
        return self.remote.config

    def start(self) -> None:
        self.reader.start()  # which starts the process
        self._started = True

    @property
    def running(self) -> bool:
        return self._started and self.outcome is None

    def pause(self) -> None:
        self.remote.pause()

    def resume(self, **changes: Any) -> None:
        """Apply changed settings (validated now, ConfigError if invalid), then continue."""
        self.remote.resume(**changes)

    def set_probe(self, image, label: int | None) -> None:
        self.remote.set_probe(image, label)

    def set_explain(self, method: str | None, target: int | None) -> None:
        self.remote.set_explain(method, target)

    def stop(self, wait_ms: int = 0) -> bool:
        """Ask the run to stop at the next batch; optionally wait that long for the process to end
        (and kill it if it does not)."""
        self.remote.stop()
        if not wait_ms:
            return not self.running
        if not self.thread.wait(wait_ms):
            self._killed = True
            self.remote.join(0)  # kills it; the reader then sees the pipe close
            self.thread.wait(5000)
        self.remote.join(wait_ms / 1000)
        self.remote.close()
        return True

    # ----- the copy of the weights ------------------------------------------------------------------------

    def model(self) -> nn.Sequential | None:
        """A CPU model with the latest weights received (None before the first), in eval mode."""
        if self.state is None:
            return None
        if self._replica is None:
            self._replica = build_model(self.spec).eval()
        if self._replica_step != self.weights_step:
            self._replica.load_state_dict(self.state)
            self._replica_step = self.weights_step
        return self._replica

    def saved_model(self) -> SavedModel | None:
        if self.state is None:
            return None
        state = {name: value.clone() for name, value in self.state.items()}
        return trained_model(self.spec, state, self.dataset, self.config, self.history)

    # ----- messages -------------------------------------------------------------------------------------

    def _on_message(self, message) -> None:
        """Each message of the training process, by its type (an unknown one raises UnknownMessage)."""
        dispatch(message, {EventMessage: self._on_event, Weights: self._on_weights, Ended: self._on_ended})

    def _on_event(self, message: EventMessage) -> None:
        event = message.event
        if isinstance(event, BatchEnded):
            self.step, self.lr = event.step, event.lr
        self.event_emitted.emit(event)

    def _on_weights(self, message: Weights) -> None:
        self.state = {name: torch.from_numpy(value) for name, value in message.arrays.items()}
        self.weights_step += 1
        self.weights_updated.emit(message.step)

    def _on_ended(self, message: Ended) -> None:
        self.history = list(message.history)
        self.remote.config = TrainConfig.from_json(message.config)
        self._end(message.outcome)

    def _on_lost(self, reason: str) -> None:
        if self._killed:  # stopped by force (it did not stop in the time given): not a failure
            self._end("stopped")
            return
        self.event_emitted.emit(Failed(reason))
        self._end("failed")

    def _end(self, outcome: str) -> None:
        """The run is over once its last message is in; the process exits on its own right after it, and
        the pipes are let go of (what the run learned stays here: weights, history)."""
        self.outcome = outcome
        self.thread.wait(1000)  # the reader stops right after the last message
        if not self.thread.isRunning():
            self.remote.close()
        self.ended.emit(outcome)
