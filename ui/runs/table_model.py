"""The runs table: one row per stored run; the name is editable (renames the run in the store).
Sorting uses each column's raw value, filtering every column's text."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from ui import i18n, messages
from ui.i18n import translate
from workbench.runs.store import RunStore, RunSummary

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
Index = QModelIndex | QPersistentModelIndex


def _percent(value: float | None) -> str:
    return "" if value is None else f"{100 * value:.2f}%"


def _date(stamp: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(stamp))


OUTCOMES = {
    "running": QT_TRANSLATE_NOOP("RunTableModel", "running"),
    "finished": QT_TRANSLATE_NOOP("RunTableModel", "finished"),
    "stopped": QT_TRANSLATE_NOOP("RunTableModel", "stopped"),
    "failed": QT_TRANSLATE_NOOP("RunTableModel", "failed"),
    "lost": QT_TRANSLATE_NOOP("RunTableModel", "lost"),
}
SOURCES = {
    "app": QT_TRANSLATE_NOOP("RunTableModel", "trained in the app"),
    "cli": QT_TRANSLATE_NOOP("RunTableModel", "trained from the command line"),
    "sweep": QT_TRANSLATE_NOOP("RunTableModel", "a trial of an experiment"),
}


def outcome_text(run: RunSummary) -> str:
    word = translate("RunTableModel", OUTCOMES[run.outcome]) if run.outcome in OUTCOMES else run.outcome
    if run.reason and run.outcome != "finished":
        return translate("RunTableModel", "{outcome} ({reason})").format(
            outcome=word, reason=messages.translated(run.reason)
        )
    return word


def model_text(run: RunSummary) -> str:
    if run.model_name:
        return translate("RunTableModel", "{model}: {count} layers").format(model=run.model_name, count=run.layers)
    return translate("RunTableModel", "{count} layers").format(count=run.layers)


# (header, text shown, raw value for sorting); headers are translated where shown
COLUMNS: tuple[tuple[str, Callable[[RunSummary], str], Callable[[RunSummary], Any]], ...] = (
    (QT_TRANSLATE_NOOP("RunTableModel", "Name"), lambda r: r.name, lambda r: r.name.lower()),
    (QT_TRANSLATE_NOOP("RunTableModel", "Date"), lambda r: _date(r.created), lambda r: r.created),
    (QT_TRANSLATE_NOOP("RunTableModel", "Model"), model_text, lambda r: r.layers),
    (
        QT_TRANSLATE_NOOP("RunTableModel", "Parameters"),
        lambda r: "" if r.parameters is None else f"{r.parameters:,}",
        lambda r: r.parameters or 0,
    ),
    (QT_TRANSLATE_NOOP("RunTableModel", "Dataset"), lambda r: r.dataset, lambda r: r.dataset),
    (QT_TRANSLATE_NOOP("RunTableModel", "Epochs"), lambda r: str(r.epochs), lambda r: r.epochs),
    (
        QT_TRANSLATE_NOOP("RunTableModel", "Best val"),
        lambda r: _percent(r.best_val_accuracy),
        lambda r: r.best_val_accuracy or -1.0,
    ),
    (
        QT_TRANSLATE_NOOP("RunTableModel", "Test"),
        lambda r: _percent(r.test_accuracy),
        lambda r: r.test_accuracy or -1.0,
    ),
    (
        QT_TRANSLATE_NOOP("RunTableModel", "Time"),
        lambda r: "" if r.seconds is None else f"{r.seconds:.1f} s",
        lambda r: r.seconds or 0.0,
    ),
    (
        QT_TRANSLATE_NOOP("RunTableModel", "Images/s"),
        lambda r: "" if not r.images_per_second else f"{r.images_per_second:,.0f}",
        lambda r: r.images_per_second or 0.0,
    ),
    (QT_TRANSLATE_NOOP("RunTableModel", "Device"), lambda r: messages.device_line(r.device), lambda r: r.device),
    (QT_TRANSLATE_NOOP("RunTableModel", "Outcome"), outcome_text, lambda r: r.outcome),
)
HEADER_TIPS = {
    6: QT_TRANSLATE_NOOP("RunTableModel", "The best validation accuracy of the run's epochs"),
    7: QT_TRANSLATE_NOOP("RunTableModel", "The test accuracy at the end of the run"),
    9: QT_TRANSLATE_NOOP("RunTableModel", "Training images per second"),
}
NAME, OUTCOME = 0, len(COLUMNS) - 1


class RunTableModel(QAbstractTableModel):
    def __init__(self, store: RunStore | None, parent=None) -> None:
        super().__init__(parent)
        self.store = store
        self.runs: list[RunSummary] = []
        self._texts: list[tuple[str, ...]] = []
        self._sorted_by: tuple[int, Qt.SortOrder] = (1, Qt.SortOrder.DescendingOrder)
        i18n.follow(self, RunTableModel.retranslate)

    def retranslate(self) -> None:
        """The headers and the cells' words in the window's language."""
        self._texts = [tuple(text(run) for _, text, _ in COLUMNS) for run in self.runs]
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self.runs:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.runs) - 1, len(COLUMNS) - 1))

    def set_runs(self, runs: list[RunSummary]) -> None:
        self.beginResetModel()
        self.runs = self._in_order(runs)
        self._texts = [tuple(text(run) for _, text, _ in COLUMNS) for run in self.runs]
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorted here in one Python sort: a proxy sorting 1,000 rows asked for 13,600 cells (110 ms)."""
        self._sorted_by = (column, order)
        self.layoutAboutToBeChanged.emit()
        pairs = dict(zip((run.id for run in self.runs), self._texts, strict=True))
        self.runs = self._in_order(self.runs)
        self._texts = [pairs[run.id] for run in self.runs]
        self.layoutChanged.emit()

    def _in_order(self, runs: list[RunSummary]) -> list[RunSummary]:
        column, order = self._sorted_by
        if not 0 <= column < len(COLUMNS):
            return list(runs)
        key = COLUMNS[column][2]
        return sorted(runs, key=lambda run: (key(run), run.id), reverse=order == Qt.SortOrder.DescendingOrder)

    def row_texts(self, row: int) -> tuple[str, ...]:
        return self._texts[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self.runs)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return translate("RunTableModel", COLUMNS[section][0])
        if role == Qt.ItemDataRole.ToolTipRole and section in HEADER_TIPS:
            return translate("RunTableModel", HEADER_TIPS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        run = self.runs[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._texts[index.row()][index.column()]
        if role == SORT_ROLE:
            return COLUMNS[index.column()][2](run)
        if role == ID_ROLE:
            return run.id
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(run, index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (3, 5, 6, 7, 8, 9):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _tooltip(self, run: RunSummary, column: int) -> str:
        if column == NAME:
            return translate("RunTableModel", "Run {id} ({source}); double-click to rename").format(
                id=run.id,
                source=translate("RunTableModel", SOURCES[run.source]) if run.source in SOURCES else run.source,
            )
        if column == OUTCOME and run.reason:
            return messages.translated(run.reason)  # coded where the store kept the code
        if column == 10 and run.features:
            return run.features
        return ""

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == NAME and self.store is not None:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != NAME or self.store is None:
            return False
        run = self.runs[index.row()]
        name = self.store.rename(run.id, str(value))
        fresh = self.store.summary(run.id)
        if fresh is None or not name:
            return False
        self.runs[index.row()] = fresh
        texts = list(self._texts[index.row()])
        texts[NAME] = fresh.name
        self._texts[index.row()] = tuple(texts)
        self.dataChanged.emit(index, index)
        return True


class RunFilter(QSortFilterProxyModel):
    """Rows whose text in any column holds the filter text (case-insensitive). Sorting is the source
    model's: the proxy keeps its order."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setFilterKeyColumn(-1)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._needle = ""

    def set_text(self, text: str) -> None:
        self._needle = text.strip().lower()
        self.invalidateFilter()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:
        if not self._needle:
            return True
        source = self.sourceModel()
        texts = source.row_texts(row) if isinstance(source, RunTableModel) else ()
        return any(self._needle in text.lower() for text in texts)
