"""Correct and teach, on the Draw tab: file a misread drawing with its real label into "my digits", look
at them in a gallery, and Teach: fine-tune the model on them (mixed with its original data) in a child
process, with progress, then see each digit's reading before and after. Undo teach restores the model.

The model and its data come from the Train tab's dashboard (`host`): its `trained_model()`, `dataset`,
`use_taught(state, summary)` and `undo_teach()`.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QGroupBox, QLabel, QProgressBar, QWidget

from ui import theme
from ui.draw.my_digits_dialog import MyDigitsDialog
from ui.process_reader import ProcessReader
from ui.widgets import named_button, set_names
from workbench.data.images import DataError
from workbench.data.my_digits import FOLDER_NAME, MyDigits
from workbench.insight.classify import Classifier
from workbench.processes.messages import Progress, Taught, TeachFailed, dispatch
from workbench.processes.teach_process import RemoteTeach
from workbench.runs.store import default_runs_dir
from workbench.training.teach import TeachResult, TeachSettings

NO_TRAINED_MODEL = "Train a model first (Train tab) or open a trained one: Teach corrects a trained model"
WHILE_TRAINING = "Stop the training run first: Teach changes the weights the run is training"
TEACH = "teach"  # its kind in the window's Tasks


class TeachPanel(QGroupBox):
    status_message = Signal(str)
    filed = Signal()  # a drawing was filed: the canvas can be cleared for the next
    taught = Signal(object)  # the TeachResult, after the window uses its weights

    def __init__(self, host, drawing: Callable[[], np.ndarray | None], parent: QWidget | None = None) -> None:
        """`drawing()` is the image the model saw last ((C, H, W) in [0, 1]) or None without ink."""
        super().__init__("Correct and teach", parent)
        self.setObjectName("teachPanel")
        self.host, self.drawing = host, drawing
        self.store = MyDigits(default_runs_dir() / FOLDER_NAME)
        self.job: RemoteTeach | None = None
        self._reader: ProcessReader | None = None
        self.last_result: TeachResult | None = None
        self.before: dict[str, np.ndarray] = {}  # entry id → softmax before the last Teach
        self._used: list[str] = []  # the ids of the digits the Teach in progress learns, in its order
        self.gallery: MyDigitsDialog | None = None
        self._build()
        self.refresh()
        if self.store.problems:
            self.status_message.emit("My digits: " + "; ".join(self.store.problems))

    def _build(self) -> None:
        self.label_combo = QComboBox()
        set_names(self.label_combo, "teachLabel", "What the drawing really is")
        self.label_combo.setToolTip("What the drawing really is")
        self.file_button = named_button(
            "File it", "fileDigitButton", self.file_drawing, "Keep the drawing with this label in my digits"
        )
        self.gallery_button = named_button(
            "My digits…", "myDigitsButton", self.show_gallery, "See, and delete, the digits filed"
        )
        self.teach_button = named_button(
            "Teach",
            "teachButton",
            self.start_teaching,
            "Fine-tune the model on my digits, mixed with its own training data",
        )
        self.stop_button = named_button(
            "Stop", "stopTeachButton", self.stop, "Stop teaching: keep the weights reached so far"
        )
        self.undo_button = named_button(
            "Undo teach", "undoTeachButton", self.undo, "Back to the model before the last Teach"
        )
        self.progress = QProgressBar()
        self.progress.setObjectName("teachProgress")
        self.progress.setTextVisible(True)
        self.progress.setFormat("")
        self.result_label = QLabel("")
        self.result_label.setObjectName("teachResult")
        self.result_label.setWordWrap(True)
        grid = QGridLayout(self)
        grid.addWidget(QLabel("It's really a"), 0, 0)
        grid.addWidget(self.label_combo, 0, 1)
        grid.addWidget(self.file_button, 0, 2)
        grid.addWidget(self.gallery_button, 0, 3)
        grid.addWidget(self.teach_button, 1, 0)
        grid.addWidget(self.progress, 1, 1, 1, 2)  # while teaching; the result in its place otherwise
        grid.addWidget(self.result_label, 1, 1, 1, 2)
        grid.addWidget(self.stop_button, 1, 3)
        grid.addWidget(self.undo_button, 1, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)

    # ----- state -------------------------------------------------------------------------------------------

    @property
    def teaching(self) -> bool:
        return self.job is not None

    def set_classes(self, names) -> None:
        names = [str(n) for n in names]
        if names != [self.label_combo.itemText(i) for i in range(self.label_combo.count())]:
            chosen = self.label_combo.currentIndex()
            self.label_combo.clear()
            self.label_combo.addItems(names)
            self.label_combo.setCurrentIndex(min(max(chosen, 0), len(names) - 1))
        self.refresh()

    def refresh(self) -> None:
        """Buttons and captions for the state now (a run may have started, the model changed)."""
        running = bool(getattr(self.host, "running", False))
        self.gallery_button.setText(f"My digits ({len(self.store)})…")
        self.file_button.setEnabled(not self.teaching and self.label_combo.count() > 0)
        self.teach_button.setEnabled(not self.teaching and not running and len(self.store) > 0)
        if running:
            tip = WHILE_TRAINING
        elif not len(self.store):
            tip = "File at least one drawing first: choose what it really is, then File it"
        else:
            tip = "Fine-tune the model on my digits, mixed with its own training data"
        self.teach_button.setToolTip(tip)
        busy = self.teaching or self.progress.maximum() == 0  # teaching, or loading the data first
        for widget, shown in ((self.progress, busy), (self.stop_button, busy)):
            widget.setVisible(shown)
        for widget in (self.result_label, self.undo_button):
            widget.setVisible(not busy)
        self.stop_button.setEnabled(self.teaching)
        self.undo_button.setEnabled(not self.teaching and self.host.can_undo_teach)

    # ----- filing ------------------------------------------------------------------------------------------

    def file_drawing(self) -> bool:
        image = self.drawing()
        if image is None:
            self.status_message.emit("Draw a digit first, then say what it really is")
            return False
        label = self.label_combo.currentIndex()
        try:
            self.store.add(image, label)
        except DataError as exc:
            theme.set_toned_text(self.result_label, html.escape(str(exc)), "error")
            return False
        self.status_message.emit(f"Filed as {self.label_combo.currentText()}: {len(self.store)} digit(s) in my digits")
        self.refresh()
        self.filed.emit()
        self._refill_gallery()
        return True

    def delete_digit(self, entry_id: str) -> None:
        self.store.delete(entry_id)
        self.before.pop(entry_id, None)
        self.refresh()
        self._refill_gallery()

    def show_gallery(self) -> None:
        if self.gallery is None:
            self.gallery = MyDigitsDialog(self.window())
            self.gallery.delete_requested.connect(self.delete_digit)
        self._refill_gallery(force=True)
        self.gallery.show()
        self.gallery.raise_()

    def _refill_gallery(self, force: bool = False) -> None:
        if self.gallery is None or not (force or self.gallery.isVisible()):
            return
        classifier = self.host.classifier()
        read = None
        if classifier is not None:
            shape = classifier.input_shape
            read = lambda image: _read(classifier, image, shape)  # noqa: E731
        names = classifier.class_names if classifier is not None else ()
        self.gallery.show_digits(self.store.entries(), names, read, self.before)

    # ----- teaching ----------------------------------------------------------------------------------------

    def start_teaching(self) -> bool:
        """Teach now; when the training data is not loaded yet, load it first and Teach when it is."""
        if not self.host.running and not self.host.ensure_dataset():
            self.host.dataset_ready.connect(self._on_dataset_ready, Qt.ConnectionType.SingleShotConnection)
            self.progress.setRange(0, 0)
            self.progress.setFormat("Loading the training data (Teach mixes it in)…")
            self.refresh()
            self.teach_button.setEnabled(False)
            return True
        problem, job = self._prepare()
        if problem is not None:
            theme.set_toned_text(self.result_label, html.escape(problem), "error")
            return False
        self.job = job
        self._reader = ProcessReader(job)
        self._reader.received.connect(self._on_message)
        self._reader.lost.connect(self._on_failed)
        self._reader.start()  # which starts the process
        self.host.tasks.adopt(TEACH, stop=self.stop, wait=lambda _ms: self.shutdown())  # stopped on close
        self.progress.setRange(0, 0)
        self.progress.setFormat("Starting the teaching process…")
        self.result_label.setText("")
        self.refresh()
        return True

    def _on_dataset_ready(self, loaded: bool) -> None:
        if loaded:
            self.start_teaching()
            return
        self.progress.setRange(0, 1)
        self.progress.setFormat("")
        theme.set_toned_text(self.result_label, "The training data could not be loaded: see the Train tab", "error")
        self.refresh()

    def _prepare(self) -> tuple[str | None, RemoteTeach | None]:
        host = self.host
        if host.running:
            return WHILE_TRAINING, None
        saved = host.trained_model()
        if saved is None:
            return NO_TRAINED_MODEL, None
        dataset = host.dataset
        if saved.dataset and saved.dataset != dataset.name:
            return (
                f"The model was trained on {saved.dataset}, the Train tab has {dataset.name} loaded: "
                f"choose {saved.dataset} there, then Teach"
            ), None
        try:
            images, labels, used = self.store.tensors(tuple(saved.spec.input))
        except DataError as exc:
            return str(exc), None
        self._used = [entry.id for entry in used]
        return None, RemoteTeach(
            saved.spec, saved.state, saved.mean, saved.std, images, labels, dataset.train, TeachSettings()
        )

    def _on_message(self, message) -> None:
        """Each message of the teaching process, by its type (an unknown one raises UnknownMessage)."""
        handlers = {
            Progress: self._on_progress,
            Taught: lambda taught: self._finish(RemoteTeach.result(taught)),
            TeachFailed: lambda failed: self._on_failed(failed.reason),
        }
        dispatch(message, handlers)

    def _on_progress(self, message: Progress) -> None:
        step, steps = message.step, message.steps
        self.progress.setRange(0, steps)
        self.progress.setValue(step)
        self.progress.setFormat(f"step {step}/{steps} · loss {message.loss:.3f}")

    def _on_failed(self, reason: str) -> None:
        """Teach failed (`reason`: one line), or its process was lost."""
        self.progress.setRange(0, 1)
        self._end()
        reason = html.escape(reason)
        theme.set_toned_text(self.result_label, f"Teach failed: {reason}. The model is unchanged.", "error")

    def _finish(self, result: TeachResult) -> None:
        self._end()
        self.last_result = result
        self.before = {entry_id: result.before[i] for i, entry_id in enumerate(self._used)}
        count = len(self._used)
        stopped = " (stopped early)" if result.stopped else ""
        summary = (
            f"{result.right_after} of {count} of your digits read right (before: {result.right_before}), "
            f"{result.steps} steps in {result.seconds:.1f} s{stopped}"
        )
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.progress.setFormat("Done")
        if self.host.use_taught(result.state, summary):
            self.result_label.setText(f"<b>Taught</b>: {summary}")
            self.taught.emit(result)
            self.show_gallery()
        else:
            theme.set_toned_text(
                self.result_label, "A training run started meanwhile: the Teach was not applied", "warning"
            )
        self.refresh()

    def _end(self) -> None:
        job, self.job = self.job, None
        if self._reader is not None:
            self._reader.thread.wait(5000)
        if job is not None:
            job.join(10)
            job.close()
        self.refresh()

    def stop(self) -> None:
        if self.job is not None:
            self.job.stop()
            self.progress.setFormat("Stopping…")

    def undo(self) -> None:
        if self.host.undo_teach():
            self.before = {}
            self.result_label.setText("Teach undone: the model is back to the weights it had before.")
            self.status_message.emit("Teach undone")
            self._refill_gallery()
        self.refresh()

    def shutdown(self) -> None:
        """Stop a Teach in progress (the window is closing)."""
        if self.job is not None:
            self.job.stop()
            if self._reader is not None:
                self._reader.thread.wait(10000)
            self.job.join(5)


def _read(classifier: Classifier, image: np.ndarray, shape: tuple[int, ...]) -> np.ndarray | None:
    if tuple(image.shape) != shape:
        return None
    return classifier.predict(image).probabilities
