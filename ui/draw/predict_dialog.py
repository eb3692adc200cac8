"""The Draw tab's "Predict a folder…": every picture in a folder read by the model at hand, in the background
(the window's `Tasks`), with a progress bar and Cancel; shown as thumbnails with the predicted class and the
confidence, sortable (least confident first is one click), unsure rows marked, the files skipped one line each,
and "Export CSV…" writing the CSV the CLI's `predict` writes (`workbench.insight.predict`).

The model is copied when a folder starts, so a run going on (whose weights the Draw tab's classifier follows)
never changes the weights halfway through a folder.
"""

from __future__ import annotations

import copy
import html
import itertools
import os
import queue
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui import i18n, messages, theme
from ui.background import Tasks, TaskState
from ui.draw import predict_texts
from ui.draw.predict_texts import INVERT_TEXTS, files
from ui.draw.prediction_table import CONFIDENCE, PICTURE, PREDICTED, THUMB, UNSURE, PredictionTable
from ui.i18n import translate
from ui.widgets import list_rows, named_button, set_names
from workbench.data.images import DataError
from workbench.data.pictures import INVERT_CHOICES, PICTURE_SUFFIXES
from workbench.insight.classify import Classifier
from workbench.insight.predict import (
    UNSURE_BELOW,
    PredictionBatch,
    SkippedPicture,
    class_names_of,
    predict_pictures,
    reader_for,
    write_rows,
)
from workbench.text import printable, show_path

KIND = "predict folder"  # its kind in the window's Tasks, with the dialog's number (two dialogs run side by side)
_numbers = itertools.count(1)


class PredictFolderDialog(QDialog):
    """Predict the pictures of a folder with `classifier` (a model trained on `dataset`, "" if unknown)."""

    def __init__(
        self, classifier: Classifier, dataset: str, tasks: Tasks | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        set_names(
            self,
            "predictFolderDialog",
            lambda: translate("PredictFolderDialog", "Predict every picture in a folder with the model at hand"),
        )
        i18n.keep(self, "setWindowTitle", lambda: translate("PredictFolderDialog", "Predict a folder"))
        self.classifier, self.dataset = classifier, dataset
        self.tasks = tasks if tasks is not None else Tasks(self)
        self.kind = f"{KIND} {next(_numbers)}"
        self.class_names = class_names_of(classifier)
        self.skipped: list[SkippedPicture] = []
        self.folder: Path | None = None
        self.total = self.files_done = 0
        self.running = False
        self._inbox: queue.SimpleQueue | None = None
        self._state = self._note = self._progress_said = lambda: ""  # texts in the language of the moment
        self._build()
        self.finished.connect(self._stop)
        self.resize(900, 640)
        self._set_running(False)
        i18n.follow(self, PredictFolderDialog.retranslate)

    def retranslate(self) -> None:
        """The texts that say what is shown (the model, the counts, the files skipped) in the window's language."""
        for index, choice in enumerate(INVERT_CHOICES):
            self.invert_combo.setItemText(index, translate("PredictFolderDialog", INVERT_TEXTS[choice]))
        if self.folder is None:
            self.folder_label.setText(
                translate("PredictFolderDialog", "Choose a folder of pictures ({suffixes}); sub-folders too").format(
                    suffixes=", ".join(PICTURE_SUFFIXES)
                )
            )
        for widget, name in (
            (self.invert_combo, translate("PredictFolderDialog", "Invert")),
            (self.unsure_spin, translate("PredictFolderDialog", "Unsure below")),
            (self.table, translate("PredictFolderDialog", "Predictions")),
            (self.progress, translate("PredictFolderDialog", "Progress")),
            (self.skipped_list, translate("PredictFolderDialog", "Files skipped")),
        ):
            widget.setAccessibleName(name)
        self.invert_combo.setToolTip(
            translate(
                "PredictFolderDialog",
                "auto: a mostly light picture (dark ink on a light page) is inverted for a greyscale model that "
                "learned light on dark, as Load image… does",
            )
        )
        self.unsure_spin.setPrefix(translate("PredictFolderDialog", "Unsure below "))
        self.unsure_spin.setToolTip(
            translate("PredictFolderDialog", "A prediction whose confidence is below this is marked unsure")
        )
        self.skipped_list.setPlaceholderText(
            translate("PredictFolderDialog", "Files that cannot be read are listed here, one line each")
        )
        self.progress.setFormat(self._progress_said())
        self.skipped_list.setPlainText("\n".join(predict_texts.skipped_line(skipped) for skipped in self.skipped))
        self._show_reading()
        self._show_summary()

    # ----- layout -----------------------------------------------------------------------------------------

    def _build(self) -> None:
        """The folder, the model and the options; then the results (`_build_results`)."""
        self.choose_button = named_button(
            lambda: translate("PredictFolderDialog", "Choose folder…"),
            "predictChooseFolderButton",
            self.choose_folder,
            lambda: translate("PredictFolderDialog", "Choose a folder of pictures to predict"),
        )
        self.folder_label = QLabel()
        self.folder_label.setTextFormat(Qt.TextFormat.PlainText)  # a folder's name, shown as it is named
        set_names(
            self.folder_label,
            "predictFolderLabel",
            lambda: translate("PredictFolderDialog", "The folder whose pictures are predicted"),
        )
        self.model_label = QLabel()
        self.model_label.setWordWrap(True)
        set_names(
            self.model_label,
            "predictModelLabel",
            lambda: translate("PredictFolderDialog", "The model that predicts and how it reads the pictures"),
        )
        self.invert_combo = QComboBox()
        set_names(
            self.invert_combo,
            "predictInvertCombo",
            lambda: translate("PredictFolderDialog", "Whether pictures are inverted before the model sees them"),
        )
        for choice in INVERT_CHOICES:
            self.invert_combo.addItem("", choice)
        self.invert_combo.currentIndexChanged.connect(self._on_invert_changed)
        self.unsure_spin = QDoubleSpinBox()
        set_names(
            self.unsure_spin,
            "predictUnsureSpin",
            lambda: translate("PredictFolderDialog", "Predictions less confident than this are marked unsure"),
        )
        self.unsure_spin.setRange(0.0, 1.0)
        self.unsure_spin.setSingleStep(0.05)
        self.unsure_spin.setDecimals(2)
        self.unsure_spin.setValue(UNSURE_BELOW)
        self.unsure_spin.valueChanged.connect(self._on_threshold_changed)
        self._build_results()
        self._build_table()
        self._lay_out()

    def _build_results(self) -> None:
        """The progress, the summary and what acts on the predictions."""
        self.progress = QProgressBar()
        set_names(
            self.progress,
            "predictProgress",
            lambda: translate("PredictFolderDialog", "How many of the files found have been read"),
        )
        self.progress.setFormat("")
        self.cancel_button = named_button(
            lambda: translate("PredictFolderDialog", "Cancel"),
            "predictCancelButton",
            self.cancel,
            lambda: translate("PredictFolderDialog", "Stop reading the folder"),
        )
        self.summary_label = QLabel("")
        self.summary_label.setTextFormat(Qt.TextFormat.PlainText)
        set_names(
            self.summary_label,
            "predictSummaryLabel",
            lambda: translate("PredictFolderDialog", "How many pictures were predicted, unsure and skipped"),
        )
        self.least_sure_button = named_button(
            lambda: translate("PredictFolderDialog", "Least confident first"),
            "predictLeastSureButton",
            self.sort_least_confident_first,
            lambda: translate("PredictFolderDialog", "Sort the pictures by confidence, the least confident first"),
        )
        self.export_button = named_button(
            lambda: translate("PredictFolderDialog", "Export CSV…"),
            "predictExportButton",
            self._on_export,
            lambda: translate("PredictFolderDialog", "Write the predictions as CSV (as the CLI's predict)"),
        )

    def _build_table(self) -> None:
        """The table of predictions and the files skipped."""
        self.table_model = PredictionTable(self)
        self.table = QTableView()
        set_names(
            self.table,
            "predictTable",
            lambda: translate("PredictFolderDialog", "The pictures with the predicted class and the confidence"),
        )
        self.table.setModel(self.table_model)
        list_rows(self.table)
        self.table.verticalHeader().setDefaultSectionSize(THUMB + 4)
        self.table.setIconSize(QSize(THUMB, THUMB))
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        for column, width in ((PICTURE, 260), (PREDICTED, 90), (CONFIDENCE, 90), (UNSURE, 80)):
            self.table.setColumnWidth(column, width)
        self.skipped_label = QLabel()
        set_names(
            self.skipped_label,
            "predictSkippedLabel",
            lambda: translate("PredictFolderDialog", "How many files could not be read"),
        )
        self.skipped_list = QPlainTextEdit()
        set_names(
            self.skipped_list,
            "predictSkippedList",
            lambda: translate("PredictFolderDialog", "The files that could not be read, one line each"),
        )
        self.skipped_list.setReadOnly(True)
        self.skipped_list.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.skipped_list.setMinimumHeight(3 * self.fontMetrics().height())

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.choose_button)
        top.addWidget(self.folder_label, 1)
        options = QHBoxLayout()
        options.addWidget(self.invert_combo)
        options.addWidget(self.unsure_spin)
        options.addStretch(1)
        options.addWidget(self.least_sure_button)
        options.addWidget(self.export_button)
        running = QHBoxLayout()
        running.addWidget(self.progress, 1)
        running.addWidget(self.cancel_button)
        skipped = QWidget()
        skipped_layout = QVBoxLayout(skipped)
        skipped_layout.setContentsMargins(0, 0, 0, 0)
        skipped_layout.addWidget(self.skipped_label)
        skipped_layout.addWidget(self.skipped_list)
        split = QSplitter(Qt.Orientation.Vertical)
        set_names(
            split,
            "predictSplitter",
            lambda: translate("PredictFolderDialog", "The pictures above, the files skipped below"),
        )
        split.addWidget(self.table)
        split.addWidget(skipped)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        split.setCollapsible(0, False)
        split.setSizes([480, 90])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        set_names(
            close,
            "predictCloseButton",
            lambda: translate("PredictFolderDialog", "Close the dialog; a folder being read is let go of"),
        )
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.model_label)
        layout.addLayout(options)
        layout.addLayout(running)
        layout.addWidget(self.summary_label)
        layout.addWidget(split, 1)
        layout.addWidget(buttons)

    def _show_reading(self) -> None:
        try:
            reading = reader_for(self.classifier, self.dataset, self.invert_combo.currentData())
        except DataError as exc:
            theme.set_toned_text(self.model_label, html.escape(messages.translated(exc)), "error")
            return
        model, reading = (
            html.escape(messages.translated(self.classifier.description)),
            html.escape(predict_texts.reading_text(reading)),
        )
        if not self.classifier.trained:
            text = translate(
                "PredictFolderDialog",
                "<b>Model</b>: {model} · pictures read {reading} · <b>untrained: its predictions are guesses</b>",
            )
            theme.set_toned_text(self.model_label, text.format(model=model, reading=reading), "warning")
        else:
            text = translate("PredictFolderDialog", "<b>Model</b>: {model} · pictures read {reading}")
            self.model_label.setText(text.format(model=model, reading=reading))

    # ----- predicting -------------------------------------------------------------------------------------

    def choose_folder(self) -> None:
        start = str(self.folder) if self.folder is not None else ""
        folder = QFileDialog.getExistingDirectory(
            self, translate("PredictFolderDialog", "Predict the pictures in a folder"), start
        )
        if folder:
            self.predict_folder(Path(folder))

    def predict_folder(self, folder: str | os.PathLike) -> bool:
        """Predict every picture under `folder` in the background (a folder being read is let go of)."""
        try:
            reader = reader_for(self.classifier, self.dataset, self.invert_combo.currentData())
        except DataError as exc:
            QMessageBox.warning(
                self, translate("PredictFolderDialog", "Cannot predict pictures"), messages.translated(exc)
            )
            return False
        self.tasks.cancel(self.kind)
        self.folder = Path(folder)
        self.folder_label.setText(show_path(self.folder))
        self.table_model.clear(printable(os.fspath(self.folder)))
        self.skipped, self.total, self.files_done = [], 0, 0
        self.skipped_list.clear()
        self.progress.setRange(0, 0)  # busy: the files are being found
        self._show_counts()
        inbox: queue.SimpleQueue = queue.SimpleQueue()
        self._inbox = inbox
        classifier = replace(self.classifier, model=copy.deepcopy(self.classifier.model))
        threshold, folders = self.unsure_spin.value(), [self.folder]

        def job(state: TaskState) -> None:  # on the task's thread: nothing of Qt here
            batches = predict_pictures(
                classifier, reader, folders, unsure_below=threshold, thumbnails=THUMB, cancelled=state.cancelled
            )
            for batch in batches:
                inbox.put(batch)
                state.progress("Predicting", batch.done, batch.total)

        self._set_running(True)
        self._show_counts(lambda: translate("PredictFolderDialog", "Looking for pictures…"))
        self.tasks.start(self.kind, job, self._on_done, self._on_failed, self._on_progress)
        return True

    def cancel(self) -> None:
        """Stop reading: what was predicted stays, and can be exported."""
        if not self.running:
            return
        self.tasks.cancel(self.kind)
        self._take_batches()
        self._inbox = None
        self._set_running(False)
        self._show_progress(self.files_done, self.total)
        done, total = self.files_done, self.total
        self._show_counts(
            lambda: translate("PredictFolderDialog", "Cancelled after {done} of {files}").format(
                done=f"{done:,}", files=files(total)
            )
        )

    def _on_progress(self, _message: str, done: int, total: int) -> None:
        self._take_batches()
        self._show_progress(done, total)
        self._show_counts()

    def _show_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)
        self._progress_said = lambda: predict_texts.progress_text(done, total)
        self.progress.setFormat(self._progress_said())

    def _on_done(self, _result) -> None:
        self._take_batches()
        self._inbox = None
        self._set_running(False)
        self._show_progress(self.total, self.total)
        if self.total:
            self._show_counts(lambda: translate("PredictFolderDialog", "Done"))
        else:
            self._show_counts(lambda: translate("PredictFolderDialog", "No pictures found"))

    def _on_failed(self, line: str) -> None:
        self._take_batches()
        self._inbox = None
        self._set_running(False)
        self._show_progress(self.files_done, self.total)
        self._show_counts(
            lambda: translate("PredictFolderDialog", "Stopped: {reason}").format(reason=messages.translated(line))
        )

    def _take_batches(self) -> None:
        """The batches the background task has read since last time, into the table and the skipped list."""
        inbox = self._inbox
        if inbox is None:
            return
        threshold = self.unsure_spin.value()
        while True:
            try:
                batch: PredictionBatch = inbox.get_nowait()
            except queue.Empty:
                return
            self.total, self.files_done = batch.total, batch.done
            self.table_model.add([replace(row, unsure=not row.confidence >= threshold) for row in batch.rows])
            if batch.skipped:
                self.skipped += batch.skipped
                self.skipped_list.appendPlainText("\n".join(predict_texts.skipped_line(one) for one in batch.skipped))
                self._show_skipped_count()

    def _show_skipped_count(self) -> None:
        if self.skipped:
            text = translate("PredictFolderDialog", "Skipped: {files}").format(files=files(len(self.skipped)))
        else:
            text = translate("PredictFolderDialog", "Skipped: none")
        self.skipped_label.setText(text)

    def _show_counts(self, state=None) -> None:
        """The summary line: `state()` (what is going on, in the language of the moment), then the counts."""
        self._state, self._note = state or (lambda: ""), lambda: ""
        self._show_summary()
        self.export_button.setEnabled(bool(self.table_model.rows) and not self.running)

    def _show_summary(self) -> None:
        self._show_skipped_count()
        rows = self.table_model.rows
        parts = [self._note() or self._state()]
        if (self.total or rows) and not self._note():
            parts.append(predict_texts.counts_text(len(rows), sum(row.unsure for row in rows), len(self.skipped)))
        self.summary_label.setText(" · ".join(part for part in parts if part))

    def _set_running(self, running: bool) -> None:
        self.running = running
        self.cancel_button.setEnabled(running)
        self.export_button.setEnabled(bool(self.table_model.rows) and not running)

    def _on_threshold_changed(self, value: float) -> None:
        self.table_model.set_threshold(value)
        self._show_counts()

    def _on_invert_changed(self) -> None:
        self._show_reading()
        if self.folder is not None:
            self.predict_folder(self.folder)  # read again, the new way

    def sort_least_confident_first(self) -> None:
        self.table.sortByColumn(CONFIDENCE, Qt.SortOrder.AscendingOrder)

    # ----- export -----------------------------------------------------------------------------------------

    def _on_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, translate("PredictFolderDialog", "Export predictions"), "predictions.csv", "CSV (*.csv)"
        )
        if path:
            self.export_csv(Path(path))

    def export_csv(self, path: str | os.PathLike) -> bool:
        """The predictions in the order found, as the CLI's `predict` writes them."""
        try:
            written = write_rows(path, self.class_names, self.table_model.rows)
        except (DataError, OSError) as exc:
            reason = (
                messages.translated(exc) if isinstance(exc, DataError) else f"{show_path(path)}: {exc.strerror or exc}"
            )
            QMessageBox.warning(self, translate("PredictFolderDialog", "Cannot export the predictions"), reason)
            return False
        rows, shown = len(self.table_model.rows), show_path(written)
        self._note = lambda: predict_texts.wrote_text(rows, shown)
        self._show_summary()
        return True

    # ----- closing ----------------------------------------------------------------------------------------

    def _stop(self, _result: int = 0) -> None:
        """The dialog closes (Close, Escape, the window's title bar): what it reads is let go of."""
        if self.running:
            self.tasks.cancel(self.kind)
        self._inbox = None
        self.running = False
