"""Learn ▸ Depth: Run trains the same 20-layer network as a plain stack and with residual connections on the built-in
digits, side by side, in the background (one of the window's tasks, on one torch thread), then shows both loss
curves, each layer's gradient norm and the figures in words (`workbench.explore.depth`, `help/learn/depth.md`).
Nothing is drawn before a run: every number on the page comes from a real one."""

from __future__ import annotations

import html

import torch
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
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

from ui import i18n, messages, theme
from ui.background import BackgroundTask, Tasks, TaskState
from ui.i18n import translate
from ui.learn import learn_texts
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

DEPTH_LESSON = "depth lesson"  # its kind in the window's Tasks
READING = QT_TRANSLATE_NOOP("DepthExplorer", "Reading the built-in digits…")  # progress, translated when shown
TRAINING = QT_TRANSLATE_NOOP("DepthExplorer", "Training both networks…")


def empty_text(settings: DepthSettings) -> str:
    text = translate(
        "DepthExplorer",
        "Run trains the same 20-layer network twice on the built-in digits, for {steps} steps each: as a plain "
        "stack and with residual connections (out = x + f(x)), from the same starting weights on the same batches. "
        "A few seconds later this page shows both loss curves and each layer's gradient norm.",
    )
    return text.format(steps=settings.steps)


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
    if ratio < float("inf"):
        times = translate("DepthExplorer", "{times} times").format(times=f"{float(f'{ratio:.2g}'):,.0f}")
    else:
        times = translate("DepthExplorer", "infinitely many times")
    text = translate(
        "DepthExplorer",
        "First layer's gradient norm after training: plain {plain}, residual {residual}: <b>{times}</b> larger "
        "with residual connections.",
    )
    lines.append(text.format(plain=f"{plain:.1e}", residual=f"{residual:.1e}", times=times))
    settings = result.settings
    text = translate(
        "DepthExplorer",
        "Both trained {steps} steps of {batch} images (SGD, learning rate {lr}, momentum {momentum}) in {seconds} s. "
        "Guessing among 10 classes has loss ln 10 = {guessing} and accuracy 10%.",
    )
    lines.append(
        text.format(
            steps=settings.steps,
            batch=settings.batch_size,
            lr=f"{settings.learning_rate:g}",
            momentum=f"{settings.momentum:g}",
            seconds=f"{result.seconds:.1f}",
            guessing=f"{GUESSING_LOSS:.2f}",
        )
    )
    return "<br>".join(lines)


def _network_line(run: NetworkRun) -> str:
    text = translate(
        "DepthExplorer",
        "<b>{network}</b>: training loss {first} → {last} (mean of the last {steps} steps); on the test split "
        "loss {test_loss}, accuracy {accuracy}%.",
    )
    return text.format(
        network=html.escape(learn_texts.name(run.name).capitalize()),
        first=f"{run.losses[0]:.2f}",
        last=f"{run.final_loss:.2f}",
        steps=FINAL_STEPS,
        test_loss=f"{run.test_loss:.2f}",
        accuracy=f"{100 * run.test_accuracy:.1f}",
    )


class DepthExplorer(QWidget):
    def __init__(
        self, tasks: Tasks | None = None, settings: DepthSettings | None = None, parent: QWidget | None = None
    ) -> None:
        """`tasks`: where the run goes (default: the window's, found when Run is pressed, or the page's own);
        `settings`: the lesson's (default: `DepthSettings()`; tests take fewer steps)."""
        super().__init__(parent)
        set_names(
            self,
            "depthExplorer",
            lambda: translate(
                "DepthExplorer", "Train a plain and a residual 20-layer network and compare their gradients"
            ),
        )
        self.settings = settings or DepthSettings()
        self.result: DepthResult | None = None
        self.task: BackgroundTask | None = None
        self._tasks = tasks
        self._make_controls()
        self.plots = DepthPlots()
        self.stack = QStackedWidget()
        self.empty = placeholder("")
        self.empty.setObjectName("depthEmpty")
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.plots)
        self._status: tuple[str, str] = ("", "")  # what the status line says: (what, its value)
        self._layout()
        i18n.follow(self, lambda page: page.retranslate())

    def retranslate(self) -> None:
        """The texts computed from the settings, the run and its state, and the help, in the window's language."""
        self.empty.setText(empty_text(self.settings))
        self.why.setText(learn_texts.help_doc("depth.md").intro)
        if self.result is not None:
            self.figures.setText(summary(self.result))
        else:
            self.figures.setText(translate("DepthExplorer", "The figures of a run appear here."))
        self._show_status()

    def _say(self, what: str, value: str = "") -> None:
        self._status = (what, value)
        self._show_status()

    def _show_status(self) -> None:
        what, value = self._status
        if what == "failed":
            text = translate("DepthExplorer", "The run failed: {message}").format(message=messages.translated(value))
            theme.set_toned_text(self.status, html.escape(text), "error")
        elif what == "done":
            self.status.setText(
                translate("DepthExplorer", "Trained both networks in {seconds} s.").format(seconds=value)
            )
        elif what == "cancelled":
            self.status.setText(translate("DepthExplorer", "Cancelled; Run starts again."))
        elif what == "starting":
            self.status.setText(translate("DepthExplorer", "Starting…"))
        else:  # a progress message (READING, TRAINING), or nothing
            self.status.setText(translate("DepthExplorer", value) if value else "")

    def _make_controls(self) -> None:
        self.run_button = i18n.keep(QPushButton(), "setText", lambda: translate("DepthExplorer", "Run"))
        set_names(
            self.run_button,
            "depthRunButton",
            lambda: translate("DepthExplorer", "Train both networks and compare them"),
        )
        i18n.keep(
            self.run_button,
            "setToolTip",
            lambda: translate(
                "DepthExplorer", "Train both networks on the built-in digits (a few seconds, in the background)"
            ),
        )
        self.run_button.clicked.connect(self.run)
        self.cancel_button = i18n.keep(QPushButton(), "setText", lambda: translate("DepthExplorer", "Cancel"))
        set_names(self.cancel_button, "depthCancelButton", lambda: translate("DepthExplorer", "Stop the run"))
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setObjectName("depthProgress")
        self.progress.setMaximumWidth(220)
        self.progress.setVisible(False)
        self.status = QLabel("")
        self.status.setObjectName("depthStatus")
        self.figures = QLabel()
        self.figures.setObjectName("depthFigures")
        self.figures.setWordWrap(True)
        self.figures.setTextFormat(Qt.TextFormat.RichText)
        self.figures.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.why = QLabel()
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
        found = i18n.keep(QGroupBox(), "setTitle", lambda: translate("DepthExplorer", "What the run found"))
        QVBoxLayout(found).addWidget(self.figures)
        why = i18n.keep(QGroupBox(), "setTitle", lambda: translate("DepthExplorer", "Why depth needs a shortcut"))
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
            state.progress(READING, 0, 0)
            data = digits_data()
            state.check()
            report = lambda done, total: state.progress(TRAINING, done, total)  # noqa: E731
            return run_lesson(data, settings, progress=report, cancelled=state.cancelled)

        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self._say("starting")
        self.task = self.tasks().start(DEPTH_LESSON, job, self._on_done, self._on_failed, self._on_progress)
        self.task.dropped.connect(self._on_dropped)

    def cancel(self) -> None:
        if self.running:
            self.tasks().cancel(DEPTH_LESSON)  # emits dropped: _on_dropped

    def _on_progress(self, message: str, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self._say("progress", message)  # READING or TRAINING

    def _on_done(self, result: DepthResult) -> None:
        self._ended()
        self.result = result
        self._say("done", f"{result.seconds:.1f}")
        self.plots.show_result(result)
        self.stack.setCurrentWidget(self.plots)
        self.figures.setText(summary(result))

    def _on_failed(self, message: str) -> None:
        self._ended()
        self._say("failed", message)

    def _on_dropped(self) -> None:
        self._ended()
        self._say("cancelled")

    def _ended(self) -> None:
        self.task = None
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.progress.setVisible(False)


if __name__ == "__main__":
    from ui.plots.common import demo_app

    app = demo_app()
    panel = DepthExplorer()
    panel.resize(1200, 760)
    panel.show()
    app.exec()
