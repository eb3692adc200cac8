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
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QGroupBox, QLabel, QProgressBar, QWidget

from ui import i18n, messages, theme
from ui.draw.my_digits_dialog import MyDigitsDialog
from ui.i18n import translate
from ui.process_reader import ProcessReader
from ui.widgets import named_button, set_names
from workbench.data.images import DataError
from workbench.data.my_digits import FOLDER_NAME, MyDigits
from workbench.insight.classify import Classifier
from workbench.processes.messages import Progress, Taught, TeachFailed, dispatch
from workbench.processes.teach_process import RemoteTeach
from workbench.runs.store import default_runs_dir
from workbench.training.teach import TeachResult, TeachSettings

NO_TRAINED_MODEL = QT_TRANSLATE_NOOP(
    "TeachPanel", "Train a model first (Train tab) or open a trained one: Teach corrects a trained model"
)
WHILE_TRAINING = QT_TRANSLATE_NOOP(
    "TeachPanel", "Stop the training run first: Teach changes the weights the run is training"
)
TEACH = "teach"  # its kind in the window's Tasks
Said = Callable[[], str]  # a text in the language of the moment (a lambda around translate(…))


def said(text: str) -> Said:
    """A text marked with QT_TRANSLATE_NOOP("TeachPanel", …), translated whenever it is shown."""
    return lambda: translate("TeachPanel", text)


class TeachPanel(QGroupBox):
    status_message = Signal(str)
    filed = Signal()  # a drawing was filed: the canvas can be cleared for the next
    taught = Signal(object)  # the TeachResult, after the window uses its weights

    def __init__(self, host, drawing: Callable[[], np.ndarray | None], parent: QWidget | None = None) -> None:
        """`drawing()` is the image the model saw last ((C, H, W) in [0, 1]) or None without ink."""
        super().__init__(parent)
        self.setObjectName("teachPanel")
        self._said: tuple[Said, str] | None = None  # the result line: its text and tone ("" for none)
        self._progress_said: Said = lambda: ""
        self.host, self.drawing = host, drawing
        self.store = MyDigits(default_runs_dir() / FOLDER_NAME)
        self.job: RemoteTeach | None = None
        self._reader: ProcessReader | None = None
        self.last_result: TeachResult | None = None
        self.before: dict[str, np.ndarray] = {}  # entry id → softmax before the last Teach
        self._used: list[str] = []  # the ids of the digits the Teach in progress learns, in its order
        self.gallery: MyDigitsDialog | None = None
        self._build()
        i18n.follow(self, TeachPanel.retranslate)
        if self.store.problems:
            problems = "; ".join(messages.translated(problem) for problem in self.store.problems)
            self.status_message.emit(translate("TeachPanel", "My digits: {problems}").format(problems=problems))

    def retranslate(self) -> None:
        """Every text of the panel in the window's language, the result and the progress too."""
        self.setTitle(self.tr("Correct and teach"))
        self.label_combo.setAccessibleName(self.tr("It's really a"))
        self.progress.setAccessibleName(self.tr("Teaching progress"))
        self.result_label.setAccessibleName(self.tr("Teach result"))
        self._show_said()
        self.progress.setFormat(self._progress_said())
        self.refresh()

    def _say(self, text: Said | None, tone: str = "") -> None:
        """The result line: `text()` now and again after a change of language, in the colour of `tone`."""
        self._said = None if text is None else (text, tone)
        self._show_said()

    def _show_said(self) -> None:
        if self._said is None:
            self.result_label.setText("")
            return
        text, tone = self._said
        if tone:
            theme.set_toned_text(self.result_label, text(), tone)
        else:
            self.result_label.setText(text())

    def _progress_says(self, text: Said) -> None:
        self._progress_said = text
        self.progress.setFormat(text())

    def _build(self) -> None:
        self.label_combo = QComboBox()
        set_names(self.label_combo, "teachLabel", lambda: translate("TeachPanel", "What the drawing really is"))
        i18n.keep(self.label_combo, "setToolTip", lambda: translate("TeachPanel", "What the drawing really is"))
        self.file_button = named_button(
            lambda: translate("TeachPanel", "File it"),
            "fileDigitButton",
            self.file_drawing,
            lambda: translate("TeachPanel", "Keep the drawing with this label in my digits"),
        )
        self.gallery_button = named_button(
            lambda: translate("TeachPanel", "My digits…"),
            "myDigitsButton",
            self.show_gallery,
            lambda: translate("TeachPanel", "See, and delete, the digits filed"),
        )
        self.teach_button = named_button(
            lambda: translate("TeachPanel", "Teach"),
            "teachButton",
            self.start_teaching,
            lambda: translate("TeachPanel", "Fine-tune the model on my digits, mixed with its own training data"),
        )
        self.stop_button = named_button(
            lambda: translate("TeachPanel", "Stop"),
            "stopTeachButton",
            self.stop,
            lambda: translate("TeachPanel", "Stop teaching: keep the weights reached so far"),
        )
        self.undo_button = named_button(
            lambda: translate("TeachPanel", "Undo teach"),
            "undoTeachButton",
            self.undo,
            lambda: translate("TeachPanel", "Back to the model before the last Teach"),
        )
        self.progress = QProgressBar()
        self.progress.setObjectName("teachProgress")
        self.progress.setTextVisible(True)
        self.progress.setFormat("")
        self.result_label = QLabel("")
        self.result_label.setObjectName("teachResult")
        self.result_label.setWordWrap(True)
        self._lay_out()

    def _lay_out(self) -> None:
        grid = QGridLayout(self)
        grid.addWidget(i18n.keep(QLabel(), "setText", lambda: translate("TeachPanel", "It's really a")), 0, 0)
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
        self.gallery_button.setText(translate("TeachPanel", "My digits ({count})…").format(count=len(self.store)))
        self.file_button.setEnabled(not self.teaching and self.label_combo.count() > 0)
        self.teach_button.setEnabled(not self.teaching and not running and len(self.store) > 0)
        if running:
            tip = translate("TeachPanel", WHILE_TRAINING)
        elif not len(self.store):
            tip = translate("TeachPanel", "File at least one drawing first: choose what it really is, then File it")
        else:
            tip = translate("TeachPanel", "Fine-tune the model on my digits, mixed with its own training data")
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
            self.status_message.emit(translate("TeachPanel", "Draw a digit first, then say what it really is"))
            return False
        label = self.label_combo.currentIndex()
        try:
            self.store.add(image, label)
        except DataError as exc:
            error = exc  # `exc` is gone after the except clause
            self._say(lambda: html.escape(messages.translated(error)), "error")
            return False
        self.status_message.emit(
            translate("TeachPanel", "Filed as {label}: {count} digit(s) in my digits").format(
                label=self.label_combo.currentText(), count=len(self.store)
            )
        )
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
            self._progress_says(said(QT_TRANSLATE_NOOP("TeachPanel", "Loading the training data (Teach mixes it in)…")))
            self.refresh()
            self.teach_button.setEnabled(False)
            return True
        problem, job = self._prepare()
        if problem is not None:
            self._say(lambda: html.escape(problem()), "error")
            return False
        self.job = job
        self._reader = ProcessReader(job)
        self._reader.received.connect(self._on_message)
        self._reader.lost.connect(self._on_failed)
        self._reader.start()  # which starts the process
        self.host.tasks.adopt(TEACH, stop=self.stop, wait=lambda _ms: self.shutdown())  # stopped on close
        self.progress.setRange(0, 0)
        self._progress_says(said(QT_TRANSLATE_NOOP("TeachPanel", "Starting the teaching process…")))
        self._say(None)
        self.refresh()
        return True

    def _on_dataset_ready(self, loaded: bool) -> None:
        if loaded:
            self.start_teaching()
            return
        self.progress.setRange(0, 1)
        self._progress_says(lambda: "")
        self._say(
            said(QT_TRANSLATE_NOOP("TeachPanel", "The training data could not be loaded: see the Train tab")), "error"
        )
        self.refresh()

    def _prepare(self) -> tuple[Said | None, RemoteTeach | None]:
        """What stops a Teach (a text in the language of the moment), or the Teach to run."""
        host = self.host
        if host.running:
            return said(WHILE_TRAINING), None
        saved = host.trained_model()
        if saved is None:
            return said(NO_TRAINED_MODEL), None
        dataset = host.dataset
        if saved.dataset and saved.dataset != dataset.name:
            trained_on, loaded = saved.dataset, dataset.name
            return lambda: translate(
                "TeachPanel",
                "The model was trained on {trained}, the Train tab has {loaded} loaded: choose {trained} there, "
                "then Teach",
            ).format(trained=trained_on, loaded=loaded), None
        try:
            images, labels, used = self.store.tensors(tuple(saved.spec.input))
        except DataError as exc:
            error = exc  # `exc` is gone after the except clause
            return lambda: messages.translated(error), None
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
        loss = f"{message.loss:.3f}"
        self._progress_says(
            lambda: translate("TeachPanel", "step {step}/{steps} · loss {loss}").format(
                step=step, steps=steps, loss=loss
            )
        )

    def _on_failed(self, reason: str) -> None:
        """Teach failed (`reason`: one line), or its process was lost."""
        self.progress.setRange(0, 1)
        self._end()
        self._say(
            lambda: translate("TeachPanel", "Teach failed: {reason}. The model is unchanged.").format(
                reason=html.escape(messages.translated(reason))
            ),
            "error",
        )

    def _finish(self, result: TeachResult) -> None:
        self._end()
        self.last_result = result
        self.before = {entry_id: result.before[i] for i, entry_id in enumerate(self._used)}
        count = len(self._used)
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self._progress_says(said(QT_TRANSLATE_NOOP("TeachPanel", "Done")))
        if self.host.use_taught(result.state, _summary(result, count)):
            self._say(
                lambda: translate("TeachPanel", "<b>Taught</b>: {summary}").format(summary=_summary(result, count))
            )
            self.taught.emit(result)
            self.show_gallery()
        else:
            self._say(
                said(QT_TRANSLATE_NOOP("TeachPanel", "A training run started meanwhile: the Teach was not applied")),
                "warning",
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
            self._progress_says(said(QT_TRANSLATE_NOOP("TeachPanel", "Stopping…")))

    def undo(self) -> None:
        if self.host.undo_teach():
            self.before = {}
            self._say(
                said(QT_TRANSLATE_NOOP("TeachPanel", "Teach undone: the model is back to the weights it had before."))
            )
            self.status_message.emit(translate("TeachPanel", "Teach undone"))
            self._refill_gallery()
        self.refresh()

    def shutdown(self) -> None:
        """Stop a Teach in progress (the window is closing)."""
        if self.job is not None:
            self.job.stop()
            if self._reader is not None:
                self._reader.thread.wait(10000)
            self.job.join(5)


def _summary(result: TeachResult, count: int) -> str:
    """How the Teach went, in the window's language."""
    values = {
        "right": result.right_after,
        "count": count,
        "before": result.right_before,
        "steps": result.steps,
        "seconds": f"{result.seconds:.1f}",
    }
    if result.stopped:
        return translate(
            "TeachPanel",
            "{right} of {count} of your digits read right (before: {before}), {steps} steps in {seconds} s "
            "(stopped early)",
        ).format(**values)
    return translate(
        "TeachPanel", "{right} of {count} of your digits read right (before: {before}), {steps} steps in {seconds} s"
    ).format(**values)


def _read(classifier: Classifier, image: np.ndarray, shape: tuple[int, ...]) -> np.ndarray | None:
    if tuple(image.shape) != shape:
        return None
    return classifier.predict(image).probabilities
