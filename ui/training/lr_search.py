"""The settings' "Find learning rate…": the range test on a worker thread, its curve in the LR finder
panel, and "Use" writing the proposal into the learning-rate field.

The test trains a fresh copy of the model for about a hundred batches, a few seconds on a CPU. It runs
in this process (a training process would take longer to start than the test takes), one of the window's
tasks (closing the window stops it between two batches), with as many torch threads as a run would use,
and the window's single thread again afterwards.
"""

from __future__ import annotations

import torch
from PySide6.QtCore import QObject, Signal

from ui import messages
from ui.background import BackgroundTask, Tasks, TaskState
from ui.i18n import translate
from ui.plots.lr_finder_plot import LrFinderPlot
from ui.training.settings_form import SettingsForm
from workbench.data.datasets import Dataset
from workbench.model.spec import ModelSpec
from workbench.training.config import TrainConfig, default_threads
from workbench.training.lr_finder import find_lr
from workbench.training.support import warm_up

LR_SEARCH = "learning-rate search"  # its kind in the window's Tasks


class LrSearch(QObject):
    started = Signal()
    ended = Signal()
    status_message = Signal(str)

    def __init__(self, settings: SettingsForm, plot: LrFinderPlot, tasks: Tasks, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings, self.plot, self.tasks = settings, plot, tasks
        self.task: BackgroundTask | None = None
        self.searching = False  # from start until its result arrives (the thread ends a moment later)
        self._threads = 1
        plot.lr_accepted.connect(self._on_lr_accepted)

    def start(self, spec: ModelSpec, dataset: Dataset, config: TrainConfig) -> bool:
        if self.searching:
            return False
        # torch's one-time lazy imports (the first optimizer imports torch._dynamo) done here, not on the
        # worker: there they stalled for minutes while this thread ran the event loop (seen under pytest-qt).
        warm_up()
        self._threads = torch.get_num_threads()
        torch.set_num_threads(config.threads or default_threads())

        def job(state: TaskState):
            report = lambda done, total: state.progress("", done, total)  # noqa: E731
            return find_lr(spec, dataset, config, progress=report, cancelled=state.cancelled)

        self.plot.searching()
        self.searching = True
        self.started.emit()
        self.task = self.tasks.start(
            LR_SEARCH,
            job,
            self._on_succeeded,
            self._on_failed,
            lambda _message, done, total: self.plot.progress_to(done, total),
        )
        self.task.dropped.connect(self._done)  # cancelled: the window closes
        return True

    def wait(self, ms: int = 30000) -> bool:
        return self.task is None or self.task.wait(ms)

    def _on_succeeded(self, finding) -> None:
        self._done()
        self.plot.show_finding(finding)
        self.status_message.emit(
            translate("LrSearch", "Proposed peak learning rate {rate}; Use puts it in the settings").format(
                rate=f"{finding.suggestion:.3g}"
            )
        )

    def _on_failed(self, message: str) -> None:
        self._done()
        self.plot.show_error(message)
        self.status_message.emit(
            translate("LrSearch", "The learning-rate search found no proposal: {problem}").format(
                problem=messages.translated(message)
            )
        )

    def _done(self) -> None:
        self.searching = False
        torch.set_num_threads(self._threads)  # (on this thread: torch's thread count is per thread)
        self.ended.emit()

    def _on_lr_accepted(self, rate: float) -> None:
        self.settings.lr.setValue(rate)
        self.status_message.emit(translate("LrSearch", "Learning rate set to {rate}").format(rate=f"{rate:g}"))
