"""The trial table: one row per trial (number, state, the varied values, mean ± spread validation accuracy over
the seeds, parameters, seconds, why it failed or was pruned), sorted by each column's raw value. Reads of a
running study come every second or so: rows are updated in place and new ones appended, so the selection and the
order stay."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from ui import i18n
from ui.experiments.best import domain_text, score_text, shown_value, varied_label
from ui.i18n import translate
from ui.messages import translated
from workbench.experiments.space import SearchSpace
from workbench.model.spec import ModelSpec

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
NUMBER_ROLE = Qt.ItemDataRole.UserRole + 2
Index = QModelIndex | QPersistentModelIndex
STATES = {
    "COMPLETE": QT_TRANSLATE_NOOP("TrialTableModel", "complete"),
    "PRUNED": QT_TRANSLATE_NOOP("TrialTableModel", "pruned"),
    "FAIL": QT_TRANSLATE_NOOP("TrialTableModel", "failed"),
    "RUNNING": QT_TRANSLATE_NOOP("TrialTableModel", "running"),
    "WAITING": QT_TRANSLATE_NOOP("TrialTableModel", "waiting"),
}
NO_REASON = QT_TRANSLATE_NOOP(
    "TrialTableModel", "ended without a score (stopped, or its worker ended); it is run again"
)
HEADERS = (  # the fixed columns' headers (the columns are keyed by their English header)
    QT_TRANSLATE_NOOP("TrialTableModel", "State"),
    QT_TRANSLATE_NOOP("TrialTableModel", "Val accuracy"),
    QT_TRANSLATE_NOOP("TrialTableModel", "Parameters"),
    QT_TRANSLATE_NOOP("TrialTableModel", "Seconds"),
    QT_TRANSLATE_NOOP("TrialTableModel", "Why"),
)
NUMERIC = ("#", "Val accuracy", "Parameters", "Seconds")  # right-aligned columns
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def accuracy_text(row: dict[str, Any]) -> str:
    """The score of a complete trial; a pruned or running trial's last validation check in brackets."""
    if row["value"] is None:
        return ""
    return score_text(row) if row["state"] == "COMPLETE" else f"({100 * row['value']:.2f}%)"


def why_text(row: dict[str, Any]) -> str:
    """Why a trial failed or was pruned, in the window's language (the study keeps the core's codes)."""
    if row["why"]:
        return translated(row["why"])
    return translate("TrialTableModel", NO_REASON) if row["state"] == "FAIL" else ""


def state_text(row: dict[str, Any]) -> str:
    state = STATES.get(row["state"])
    return translate("TrialTableModel", state) if state else row["state"].lower()


Column = tuple[str, Callable[[dict], str], Callable[[dict], Any]]  # header, text, raw value for sorting
FIRST: tuple[Column, ...] = (
    ("#", lambda r: str(r["number"]), lambda r: r["number"]),
    ("State", state_text, lambda r: r["state"]),
)
LAST: tuple[Column, ...] = (
    ("Val accuracy", accuracy_text, lambda r: -1.0 if r["value"] is None else r["value"]),
    ("Parameters", lambda r: "" if r["parameters"] is None else f"{r['parameters']:,}", lambda r: r["parameters"] or 0),
    ("Seconds", lambda r: "" if r["seconds"] is None else f"{r['seconds']:.1f}", lambda r: r["seconds"] or 0.0),
    ("Why", why_text, why_text),
)


def _varied_column(name: str, header: str) -> Column:
    def raw(row: dict) -> Any:
        value = row["params"].get(name)
        return (0, value) if isinstance(value, (int, float)) else (1, str(value))  # numbers before text

    return header, lambda row: shown_value(row["params"].get(name, "")), raw


class TrialTableModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[dict[str, Any]] = []
        self.columns: tuple[Column, ...] = FIRST + LAST
        self._varied: tuple[SearchSpace, ModelSpec | None] | None = None
        i18n.follow(self, lambda model: model.retranslate())

    def retranslate(self) -> None:
        """Headers, states, reasons and tooltips in the new language."""
        space, spec = self._varied or (SearchSpace(()), None)
        labels = [(domain, varied_label(domain.name, spec)[1]) for domain in space.domains]
        self._tips = {len(FIRST) + i: f"{words}: {domain_text(d)}" for i, (d, words) in enumerate(labels)}
        if self.columns:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(self.columns) - 1))

    def set_space(self, space: SearchSpace, spec: ModelSpec | None) -> None:
        """The study's varied names as columns (the rows are cleared)."""
        self.beginResetModel()
        labels = [(domain, *varied_label(domain.name, spec)) for domain in space.domains]
        self.columns = FIRST + tuple(_varied_column(d.name, short) for d, short, _ in labels) + LAST
        self._varied = (space, spec)
        self.rows = []
        self.endResetModel()
        self.retranslate()

    def set_rows(self, rows: Sequence[dict[str, Any]]) -> None:
        """The trials as read now: changed rows updated, new ones appended (trial numbers only grow)."""
        old = len(self.rows)
        if len(rows) < old or any(rows[i]["number"] != self.rows[i]["number"] for i in range(old)):
            self.beginResetModel()
            self.rows = list(rows)
            self.endResetModel()
            return
        for position in range(old):
            if rows[position] != self.rows[position]:
                self.rows[position] = rows[position]
                self.dataChanged.emit(self.index(position, 0), self.index(position, len(self.columns) - 1))
        if len(rows) > old:
            self.beginInsertRows(QModelIndex(), old, len(rows) - 1)
            self.rows.extend(rows[old:])
            self.endInsertRows()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            header = self.columns[section][0]
            return translate("TrialTableModel", header) if section < len(FIRST) or header in HEADERS else header
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tips.get(section)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[column][1](row)
        if role == SORT_ROLE:
            return self.columns[column][2](row)
        if role == NUMBER_ROLE:
            return row["number"]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and self.columns[column][0] in NUMERIC:
            return RIGHT
        return None

    def _tooltip(self, row: dict[str, Any], column: int) -> str:
        header = self.columns[column][0]
        if header == "Val accuracy" and row["seeds"]:
            seeds = ", ".join(f"{100 * score:.2f}%" for score in row["seeds"])
            return translate("TrialTableModel", "validation accuracy of each seed: {seeds}").format(seeds=seeds)
        if header == "Why":
            return why_text(row)
        return translate("TrialTableModel", "double-click: its runs in the Runs tab") if column == 0 else ""


class TrialSorter(QSortFilterProxyModel):
    """Sorts by each column's raw value; keeps sorting as rows change."""

    def __init__(self, source: TrialTableModel, parent=None) -> None:
        super().__init__(parent)
        self.setSourceModel(source)
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    def lessThan(self, left: Index, right: Index) -> bool:
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        try:
            return a < b
        except TypeError:
            return str(a) < str(b)
