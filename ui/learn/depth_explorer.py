"""Learn ▸ Depth: Run trains the same 20-layer network as a plain stack and with residual connections on the built-in
digits, side by side, in the background (one of the window's tasks, on one torch thread), then shows both loss
curves, each layer's gradient norm and the figures in words (`workbench.explore.depth`, `help/learn/depth.md`).
Nothing is drawn before a run: every number on the page comes from a real one."""

from __future__ import annotations

import html

import torch
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui import theme
from ui.background import BackgroundTask, Tasks, TaskState
from ui.learn.depth_plots import DepthPlots
from ui.plots.common import placeholder
from ui.widgets import set_names
from workbench.data.datasets import load_dataset, to_device
from workbench.explore.depth import (
    FINAL_STEPS,
    GUESSING_LOSS,
    DepthResult,
    DepthSettings,
    LessonData,
    NetworkRun,
    run_lesson,
)
from workbench.model import helptext

DEPTH_LESSON = "depth lesson"  # its kind in the window's Tasks
WHY = helptext.load("learn", "depth.md")


def empty_text(settings: DepthSettings) -> str:
    return (
        f"Run trains the same 20-layer network twice on the built-in digits, for {settings.steps} steps each: as a "
        "plain stack and with residual connections (out = x + f(x)), from the same starting weights on the same "
        "batches. A few seconds later this page shows both loss curves and each layer's gradient norm."
    )


def digits_data() -> LessonData:
    """The built-in digits' training and test splits, normalised as training normalises them."""
    dataset = load_dataset("digits")
    train_x, train_y = to_device(dataset.train, dataset.mean, dataset.std, "cpu")
    test_x, test_y = to_device(dataset.test, dataset.mean, dataset.std, "cpu")
    return LessonData(train_x, train_y, test_x, test_y, dataset.num_classes)


def summary(result: DepthResult) -> str:
    """The run's figures in words (rich text)."""
    lines = [_network_line(run) for run in (result.plain, result.residual)]
    plain, residual = result.plain.grad_norms[-1, 0], result.residual.grad_norms[-1, 0]
    ratio = result.first_layer_ratio
    times = f"{float(f'{ratio:.2g}'):,.0f}" if ratio < float("inf") else "infinitely many"
    lines.append(
        f"First layer's gradient norm after training: plain {plain:.1e}, residual {residual:.1e}: "
        f"<b>{times} times</b> larger with residual connections."
    )
    settings = result.settings
    lines.append(
        f"Both trained {settings.steps} steps of {settings.batch_size} images (SGD, learning rate "
        f"{settings.learning_rate:g}, momentum {settings.momentum:g}) in {result.seconds:.1f} s. "
        f"Guessing among 10 classes has loss ln 10 = {GUESSING_LOSS:.2f} and accuracy 10%."
    )
    return "<br>".join(lines)


def _network_line(run: NetworkRun) -> str:
    return (
        f"<b>{html.escape(run.name.capitalize())}</b>: training loss {run.losses[0]:.2f} → {run.final_loss:.2f} "
        f"(mean of the last {FINAL_STEPS} steps); on the test split loss {run.test_loss:.2f}, "
        f"accuracy {100 * run.test_accuracy:.1f}%."
    )


class DepthExplorer(QWidget):
    def __init__(
        self, tasks: Tasks | None = None, settings: DepthSettings | None = None, parent: QWidget | None = None
    ) -> None:
        """`tasks`: where the run goes (default: the window's, found when Run is pressed, or the page's own);
        `settings`: the lesson's (default: `DepthSettings()`; tests take fewer steps)."""
        super().__init__(parent)
        set_names(self, "depthExplorer", "Train a plain and a residual 20-layer network and compare their gradients")
        self.settings = settings or DepthSettings()
        self.result: DepthResult | None = None
        self.task: BackgroundTask | None = None
        self._tasks = tasks
        self._make_controls()
        self.plots = DepthPlots()
        self.stack = QStackedWidget()
        self.empty = placeholder(empty_text(self.settings))
        self.empty.setObjectName("depthEmpty")
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.plots)
        self._layout()

    def _make_controls(self) -> None:
        self.run_button = QPushButton("Run")
        set_names(self.run_button, "depthRunButton", "Train both networks and compare them")
        self.run_button.setToolTip("Train both networks on the built-in digits (a few seconds, in the background)")
        self.run_button.clicked.connect(self.run)
        self.cancel_button = QPushButton("Cancel")
        set_names(self.cancel_button, "depthCancelButton", "Stop the run")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setObjectName("depthProgress")
        self.progress.setMaximumWidth(220)
        self.progress.setVisible(False)
        self.status = QLabel("")
        self.status.setObjectName("depthStatus")
        self.figures = QLabel("The figures of a run appear here.")
        self.figures.setObjectName("depthFigures")
        self.figures.setWordWrap(True)
        self.figures.setTextFormat(Qt.TextFormat.RichText)
        self.figures.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.why = QLabel(WHY.intro)
        self.why.setObjectName("depthWhy")
        self.why.setWordWrap(True)
        self.why.setTextFormat(Qt.TextFormat.PlainText)
        self.why.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

    def _layout(self) -> None:
        controls = QHBoxLayout()
        controls.addWidget(self.run_button)
        controls.addWidget(self.cancel_button)
        controls.addWidget(self.progress)
        controls.addWidget(self.status, 1)
        found = QGroupBox("What the run found")
        QVBoxLayout(found).addWidget(self.figures)
        why = QGroupBox("Why depth needs a shortcut")
        QVBoxLayout(why).addWidget(self.why)
        notes = QHBoxLayout()
        notes.addWidget(found, 1)
        notes.addWidget(why, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.stack, 1)
        layout.addLayout(notes)

    # ----- the run -----------------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.task is not None

    def tasks(self) -> Tasks:
        """The window's background work if this page is in a window that has it, else the page's own."""
        if self._tasks is None:
            host = getattr(self.window(), "tasks", None)
            self._tasks = host if isinstance(host, Tasks) else Tasks(self)
        return self._tasks

    def run(self) -> None:
        if self.running:
            return
        settings = self.settings

        def job(state: TaskState) -> DepthResult:
            torch.set_num_threads(1)  # this thread's only: the lesson is sized for one core
            state.progress("Reading the built-in digits…", 0, 0)
            data = digits_data()
            state.check()
            report = lambda done, total: state.progress("Training both networks…", done, total)  # noqa: E731
            return run_lesson(data, settings, progress=report, cancelled=state.cancelled)

        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.status.setText("Starting…")
        self.task = self.tasks().start(DEPTH_LESSON, job, self._on_done, self._on_failed, self._on_progress)
        self.task.dropped.connect(self._on_dropped)

    def cancel(self) -> None:
        if self.running:
            self.tasks().cancel(DEPTH_LESSON)  # emits dropped: _on_dropped

    def _on_progress(self, message: str, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.status.setText(message)

    def _on_done(self, result: DepthResult) -> None:
        self._ended(f"Trained both networks in {result.seconds:.1f} s.")
        self.result = result
        self.plots.show_result(result)
        self.stack.setCurrentWidget(self.plots)
        self.figures.setText(summary(result))

    def _on_failed(self, message: str) -> None:
        self._ended("")
        theme.set_toned_text(self.status, html.escape(f"The run failed: {message}"), "error")

    def _on_dropped(self) -> None:
        self._ended("Cancelled; Run starts again.")

    def _ended(self, status: str) -> None:
        self.task = None
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.progress.setVisible(False)
        self.status.setText(status)


if __name__ == "__main__":
    from ui.plots.common import demo_app

    app = demo_app()
    panel = DepthExplorer()
    panel.resize(1200, 760)
    panel.show()
    app.exec()
