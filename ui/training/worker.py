"""The Qt bridge to the core: background tasks and the training worker, each in its own QThread.

Workers are QObjects without a parent moved to a QThread (the pyqtgraph/Qt pattern); they emit
the core's plain event objects as Qt signals, which arrive on the GUI thread queued. Stop and
pause go straight to the thread-safe `RunControl`, so they never wait for the queue.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from workbench.control import RunControl
from workbench.data import DataError, Dataset
from workbench.events import Event, Failed
from workbench.spec import ModelSpec
from workbench.train import Trainer, TrainingError
from workbench.train_config import ConfigError, TrainConfig


class _TaskWorker(QObject):
    progressed = Signal(str, int, int)
    succeeded = Signal(object)
    failed = Signal(str)

    def __init__(self, job: Callable[[Callable[[str, int, int], None]], Any]):
        super().__init__()
        self.job = job

    @Slot()
    def run(self) -> None:
        try:
            result = self.job(lambda message, done, total: self.progressed.emit(message, done, total))
        except (DataError, ValueError, OSError) as exc:
            self.failed.emit(str(exc).replace("\n", " "))
        except Exception as exc:
            self.failed.emit(f"{type(exc).__name__}: {exc}".replace("\n", " "))
        else:
            self.succeeded.emit(result)


class BackgroundTask(QObject):
    """Run `job(progress)` on a worker thread; results and errors arrive as signals on the GUI thread."""

    progressed = Signal(str, int, int)
    succeeded = Signal(object)
    failed = Signal(str)

    def __init__(self, job: Callable, parent: QObject | None = None):
        super().__init__(parent)
        self.thread = QThread()
        self.worker = _TaskWorker(job)
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        self.worker.progressed.connect(self.progressed)
        self.worker.succeeded.connect(self.succeeded)
        self.worker.failed.connect(self.failed)
        # direct: quit from the worker thread itself, so a GUI thread waiting on the thread cannot deadlock
        self.worker.succeeded.connect(self.thread.quit, Qt.ConnectionType.DirectConnection)
        self.worker.failed.connect(self.thread.quit, Qt.ConnectionType.DirectConnection)

    def start(self) -> None:
        self.thread.start()

    def wait(self, ms: int = 30000) -> bool:
        return self.thread.wait(ms)


class TrainingWorker(QObject):
    """Builds the Trainer on the worker thread and runs `fit`, forwarding every event."""

    event_emitted = Signal(object)  # a workbench.events.Event
    trainer_ready = Signal(object)  # the Trainer, for request_changes / snapshot_state from the GUI
    run_ended = Signal(str)  # "finished", "stopped" or "failed"

    def __init__(self, spec: ModelSpec, dataset: Dataset, config: TrainConfig, control: RunControl, probe=None):
        super().__init__()
        self.spec, self.dataset, self.config, self.control, self.probe = spec, dataset, config, control, probe
        self.trainer: Trainer | None = None

    def _emit(self, event: Event) -> None:
        self.event_emitted.emit(event)

    @Slot()
    def run(self) -> None:
        try:
            self.trainer = Trainer(
                self.spec,
                self.dataset,
                self.config,
                listener=self._emit,
                control=self.control,
                batch_event_interval=0.2,  # 5 curve updates a second: each redraw costs the GUI thread
            )
        except (TrainingError, ConfigError, DataError) as exc:
            self._emit(Failed(str(exc)))
            self.run_ended.emit("failed")
            return
        if self.probe is not None:
            self.trainer.set_probe(*self.probe)
        self.trainer_ready.emit(self.trainer)
        self.run_ended.emit(self.trainer.fit())


class TrainingRun(QObject):
    """One training run on its own thread: start, pause, resume with changes, stop."""

    event_emitted = Signal(object)
    ended = Signal(str)

    def __init__(self, spec, dataset, config, probe=None, parent: QObject | None = None):
        super().__init__(parent)
        self.control = RunControl()
        self.trainer: Trainer | None = None
        self.outcome: str | None = None
        self.thread = QThread()
        self.worker = TrainingWorker(spec, dataset, config, self.control, probe)
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        self.worker.event_emitted.connect(self.event_emitted)
        self.worker.trainer_ready.connect(self._on_worker_trainer_ready)
        self.worker.run_ended.connect(self.thread.quit, Qt.ConnectionType.DirectConnection)
        self.worker.run_ended.connect(self._on_worker_run_ended)

    def start(self) -> None:
        self.thread.start()

    @property
    def running(self) -> bool:
        return self.thread.isRunning()

    def pause(self) -> None:
        self.control.pause()

    def resume(self, **changes: Any) -> None:
        """Apply changed settings (validated now, ConfigError if invalid), then continue."""
        if changes and self.trainer is not None:
            self.trainer.request_changes(**changes)
        self.control.resume()

    def stop(self, wait_ms: int = 0) -> bool:
        """Ask the run to stop at the next batch; optionally wait for the thread to end."""
        self.control.stop()
        return self.thread.wait(wait_ms) if wait_ms else not self.running

    def _on_worker_trainer_ready(self, trainer: Trainer) -> None:
        self.trainer = trainer

    def _on_worker_run_ended(self, outcome: str) -> None:
        self.outcome = outcome
        self.thread.wait()
        self.ended.emit(outcome)
