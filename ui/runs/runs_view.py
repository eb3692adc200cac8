"""The Runs tab: every kept run in a table that sorts and filters; the selected runs' curves overlaid
below it; Diff architectures, Open, Continue training, Delete and Export CSV for the selection.

The table reloads when the run store has news (`reload_soon`, coalesced), and only while the tab is
shown: a run being trained records an epoch at a time and the hidden tab costs it nothing.
"""

from __future__ import annotations

import csv
from pathlib import Path

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui import i18n, messages, theme
from ui.i18n import translate
from ui.runs.diff_dialog import DiffDialog
from ui.runs.overlay_plot import X_MODES, RunOverlay
from ui.runs.table_model import ID_ROLE, RunFilter, RunTableModel
from ui.widgets import list_rows
from workbench.runs import files as run_files
from workbench.runs import tensorboard
from workbench.runs.diff import diff_specs
from workbench.runs.store import RunRecord, RunStore, RunSummary

RELOAD_DELAY_MS = 300
CSV_FIELDS = tuple(RunSummary.__dataclass_fields__)


class RunsView(QWidget):
    status_message = Signal(str)
    open_requested = Signal(str, int)  # a run's model file, the run's id
    continue_requested = Signal(str, int)

    def __init__(self, store: RunStore | None, problem: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runsView")
        self.store = store
        self.model = RunTableModel(store, self)
        self.proxy = RunFilter(self)
        self.proxy.setSourceModel(self.model)
        self._records: dict[int, RunRecord] = {}
        self._stale = True
        self._reload_timer = QTimer(self, singleShot=True, interval=RELOAD_DELAY_MS)
        self._reload_timer.timeout.connect(self._reload_if_shown)
        self._build(problem)
        self.reload()

    # ----- layout --------------------------------------------------------------------------------

    def _build(self, problem: str | None) -> None:
        bar = self._make_bar()
        self.problem_label = QLabel(problem or "")
        self.problem_label.setObjectName("runsProblem")
        self.problem_label.setWordWrap(True)
        self.problem_label.setVisible(bool(problem))
        theme.style_sheet(self.problem_label, "color: {error}; background: {error_background}; padding: 6px;")
        self.count_label = QLabel()
        self.count_label.setObjectName("runsCount")
        self.table = self._make_table()
        self.overlay = RunOverlay()
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setObjectName("runsSplitter")
        splitter.addWidget(self.table)
        splitter.addWidget(self.overlay)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.problem_label)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.count_label)
        self._update_buttons()
        i18n.follow(self, RunsView.retranslate)

    def _make_bar(self) -> QHBoxLayout:
        """The filter, the curves' x axis and the buttons that act on the selected runs."""
        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("runsFilter")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.proxy.set_text)
        self.x_mode = QComboBox()
        self.x_mode.setObjectName("runsXMode")
        for key, _text in X_MODES:
            self.x_mode.addItem("", key)
        self.x_mode.currentIndexChanged.connect(self._show_selected)
        self.diff_button, self.open_button, self.continue_button = QPushButton(), QPushButton(), QPushButton()
        self.delete_button, self.export_button = QPushButton(), QPushButton()
        self.curves_label = QLabel()
        self.diff_button.clicked.connect(self.diff_selected)
        self.open_button.clicked.connect(lambda: self._request(self.open_requested))
        self.continue_button.clicked.connect(lambda: self._request(self.continue_requested))
        self.delete_button.clicked.connect(self.delete_selected)
        self.export_button.clicked.connect(lambda: self.export_selected())
        bar = QHBoxLayout()
        bar.addWidget(self.filter_edit, 1)
        bar.addWidget(self.curves_label)
        bar.addWidget(self.x_mode)
        for button in (
            self.diff_button,
            self.open_button,
            self.continue_button,
            self.delete_button,
            self.export_button,
        ):
            bar.addWidget(button)
        return bar

    def retranslate(self) -> None:
        """The bar's texts and the count of runs in the window's language (the table's model follows it alone)."""
        self.filter_edit.setPlaceholderText(self.tr("Filter: name, model, dataset, device, outcome…"))
        self.filter_edit.setAccessibleName(self.tr("Filter the runs"))
        self.x_mode.setToolTip(self.tr("The x axis of the overlaid curves"))
        self.x_mode.setAccessibleName(self.tr("Curves' x axis"))
        for index, (_key, text) in enumerate(X_MODES):
            self.x_mode.setItemText(index, translate("RunOverlay", text))
        self.curves_label.setText(self.tr("Curves:"))
        for button, text, tip in (
            (
                self.diff_button,
                self.tr("Diff architectures"),
                self.tr("Layer by layer, what differs between two runs' models"),
            ),
            (self.open_button, self.tr("Open"), self.tr("Open the run's trained model in Build, Train and Draw")),
            (
                self.continue_button,
                self.tr("Continue training"),
                self.tr("Open the run's model and train it for the Train tab's epochs more"),
            ),
            (self.delete_button, self.tr("Delete…"), self.tr("Forget the selected runs and delete their model files")),
            (self.export_button, self.tr("Export CSV…"), self.tr("The selected runs' figures as a CSV file")),
        ):
            button.setText(text)
            button.setToolTip(tip)
        self.table.setAccessibleName(self.tr("Runs"))
        self._show_count()

    def _make_table(self) -> QTableView:
        table = QTableView()
        table.setObjectName("runsTable")
        table.setModel(self.proxy)
        table.setSortingEnabled(True)
        table.sortByColumn(1, Qt.SortOrder.DescendingOrder)  # newest first
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        list_rows(table)
        for column, width in enumerate((200, 120, 150, 85, 70, 55, 70, 70, 65, 75, 150)):
            table.setColumnWidth(column, width)
        table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._show_menu)
        delete = i18n.keep(
            QAction("", table, shortcut=QKeySequence.StandardKey.Delete),
            "setText",
            lambda: translate("RunsView", "Delete"),
        )
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete.triggered.connect(self.delete_selected)
        table.addAction(delete)
        return table

    def _show_menu(self, position) -> None:
        menu = QMenu(self)
        for button in (
            self.open_button,
            self.continue_button,
            self.diff_button,
            self.delete_button,
            self.export_button,
        ):
            action = menu.addAction(button.text())
            action.setEnabled(button.isEnabled())
            action.triggered.connect(button.click)
        board = menu.addAction(translate("RunsView", "Export for TensorBoard…"))
        board.setEnabled(bool(self.selected_ids()))
        board.triggered.connect(lambda: self.export_tensorboard())
        index = self.table.indexAt(position)
        if index.isValid():
            rename = menu.addAction(translate("RunsView", "Rename"))
            rename.triggered.connect(lambda: self.table.edit(self.proxy.index(index.row(), 0)))
        menu.exec(self.table.viewport().mapToGlobal(position))

    # ----- loading -------------------------------------------------------------------------------

    def reload_soon(self) -> None:
        self._stale = True
        self._reload_timer.start()

    def _reload_if_shown(self) -> None:
        if self.isVisible():
            self.reload()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

    def reload(self) -> None:
        """Read the runs again, keeping the selection (by id) and the overlay."""
        self._stale = False
        if self.store is None:
            self.model.set_runs([])
            self._update_buttons()
            return
        chosen = self.selected_ids()
        self.model.set_runs(self.store.runs())
        self._records = {i: r for i, r in self._records.items() if r.summary.outcome != "running"}
        self._show_count()
        self.select_ids(chosen)

    def _show_count(self) -> None:
        if self.store is None:
            return
        self.count_label.setText(
            self.tr("{count} runs kept in {path}").format(count=self.model.rowCount(), path=self.store.path)
        )

    def detach(self) -> None:
        """The window is closing: no more reads from the store."""
        self._reload_timer.stop()
        self.store = None
        self.model.store = None

    # ----- selection -----------------------------------------------------------------------------

    def selected_ids(self) -> list[int]:
        rows = self.table.selectionModel().selectedRows()
        return [int(index.data(ID_ROLE)) for index in sorted(rows, key=lambda i: i.row())]

    def selected_runs(self) -> list[RunSummary]:
        by_id = {run.id: run for run in self.model.runs}
        return [by_id[i] for i in self.selected_ids() if i in by_id]

    def select_ids(self, ids: list[int]) -> None:
        selection = QItemSelection()
        wanted = set(ids)
        for row, run in enumerate(self.model.runs):
            if run.id in wanted:
                index = self.proxy.mapFromSource(self.model.index(row, 0))
                if index.isValid():
                    selection.select(index, index)
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().select(selection, flags)
        self._on_selection_changed()

    def _on_selection_changed(self, *_args) -> None:
        self._update_buttons()
        self._show_selected()

    def _record(self, run_id: int) -> RunRecord | None:
        if run_id not in self._records and self.store is not None:
            record = self.store.record(run_id)
            if record is None:
                return None
            self._records[run_id] = record
        return self._records.get(run_id)

    def _show_selected(self) -> None:
        records = [record for i in self.selected_ids() if (record := self._record(i)) is not None]
        runs = [(f"{r.summary.id}: {r.summary.name}", r) for r in records]
        self.overlay.show_runs(runs, self.x_mode.currentData())

    def _update_buttons(self) -> None:
        runs = self.selected_runs()
        one_model = len(runs) == 1 and bool(runs[0].model_path) and Path(runs[0].model_path).is_file()
        self.open_button.setEnabled(one_model)
        self.continue_button.setEnabled(one_model and runs[0].outcome != "running")
        self.diff_button.setEnabled(len(runs) == 2)
        self.delete_button.setEnabled(bool(runs))
        self.export_button.setEnabled(bool(runs))

    # ----- actions -------------------------------------------------------------------------------

    def _request(self, signal) -> None:
        runs = self.selected_runs()
        if len(runs) == 1 and runs[0].model_path:
            signal.emit(runs[0].model_path, runs[0].id)

    def diff_selected(self) -> DiffDialog | None:
        ids = self.selected_ids()
        if len(ids) != 2:
            return None
        left, right = (self._record(i) for i in sorted(ids))
        if left is None or right is None or left.spec is None or right.spec is None:
            QMessageBox.warning(
                self,
                translate("RunsView", "Cannot compare"),
                translate("RunsView", "One of these runs has no readable model spec."),
            )
            return None
        dialog = DiffDialog(left.summary, right.summary, diff_specs(left.spec, right.spec), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def delete_selected(self) -> int:
        """Delete the selected runs and their files after a confirmation; how many were deleted."""
        runs = [run for run in self.selected_runs() if run.outcome != "running"]
        if not runs or self.store is None:
            if self.selected_runs():
                self.status_message.emit(
                    translate("RunsView", "A run still training cannot be deleted; stop it first.")
                )
            return 0
        names = "\n".join(f"• {run.id}: {run.name}" for run in runs[:8]) + ("\n…" if len(runs) > 8 else "")
        if len(runs) == 1:
            question = self.tr("Delete 1 run and its model and checkpoint files?")
        else:
            question = self.tr("Delete {count} runs and their model and checkpoint files?").format(count=len(runs))
        answer = QMessageBox.question(self, translate("RunsView", "Delete runs"), f"{question}\n\n{names}")
        if answer != QMessageBox.StandardButton.Yes:
            return 0
        failed = []
        for run in runs:
            try:
                run_files.delete_files(self.store, run)
            except OSError as exc:
                failed.append(f"{run.id}: {exc}")
            self.store.delete(run.id)
            self._records.pop(run.id, None)
        self.reload()
        if failed:
            QMessageBox.warning(self, translate("RunsView", "Some files were not deleted"), "\n".join(failed))
        if len(runs) == 1:
            self.status_message.emit(self.tr("Deleted 1 run"))
        else:
            self.status_message.emit(self.tr("Deleted {count} runs").format(count=len(runs)))
        return len(runs)

    def export_selected(self, path: str | None = None) -> str | None:
        """The selected runs' figures as CSV at `path` (asked for when None); the path written."""
        runs = self.selected_runs()
        if not runs:
            return None
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export runs"), "runs.csv", self.tr("CSV (*.csv)"))
            if not path:
                return None
        try:
            with open(path, "w", newline="", encoding="utf-8") as handle:
                writer = csv.DictWriter(handle, fieldnames=CSV_FIELDS)
                writer.writeheader()
                for run in runs:
                    writer.writerow({k: "" if v is None else v for k, v in run.to_json().items()})
        except OSError as exc:
            QMessageBox.warning(self, translate("RunsView", "Cannot export"), f"{path}: {exc.strerror or exc}")
            return None
        self.status_message.emit(self.tr("Exported {count} runs to {path}").format(count=len(runs), path=path))
        return path

    def export_tensorboard(self, folder: str | None = None) -> list[str]:
        """The selected runs as TensorBoard event files under `folder` (asked for when None)."""
        records = [record for i in self.selected_ids() if (record := self._record(i)) is not None]
        if not records:
            return []
        if folder is None:
            folder = QFileDialog.getExistingDirectory(self, self.tr("TensorBoard log folder"))
            if not folder:
                return []
        try:
            written = [str(tensorboard.export_run(record, folder)) for record in records]
        except tensorboard.TensorBoardMissing as exc:
            QMessageBox.information(
                self, translate("RunsView", "TensorBoard is not installed"), messages.translated(exc)
            )
            return []
        except OSError as exc:
            QMessageBox.warning(self, translate("RunsView", "Cannot export"), f"{folder}: {exc.strerror or exc}")
            return []
        self.status_message.emit(
            self.tr("Wrote {count} runs for TensorBoard: tensorboard --logdir {folder}").format(
                count=len(written), folder=folder
            )
        )
        return written
