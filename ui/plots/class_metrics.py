"""Per-class figures of the validation split beside the confusion matrix: precision, recall, F1 and support of
each class (`workbench.insight.metrics.per_class`), sortable, the worst class first, and the macro and weighted
averages kept under the table whatever the sort. Clicking a class asks for its row in the matrix."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui import i18n, theme
from ui.i18n import translate
from ui.plots.common import Refresher, header_bar, placeholder, shrinkable, stacked_panel
from ui.widgets import Text, record_table, set_names
from workbench.insight.metrics import ClassMetrics, averages, per_class

HEADERS = (
    QT_TRANSLATE_NOOP("ClassMetricsTable", "Class"),
    QT_TRANSLATE_NOOP("ClassMetricsTable", "Precision"),
    QT_TRANSLATE_NOOP("ClassMetricsTable", "Recall"),
    QT_TRANSLATE_NOOP("ClassMetricsTable", "F1"),
    QT_TRANSLATE_NOOP("ClassMetricsTable", "Support"),
)
SHORT_HEADERS = (  # when the panel is narrow
    QT_TRANSLATE_NOOP("ClassMetricsTable", "Class"),
    QT_TRANSLATE_NOOP("ClassMetricsTable", "Prec."),
    QT_TRANSLATE_NOOP("ClassMetricsTable", "Rec."),
    QT_TRANSLATE_NOOP("ClassMetricsTable", "F1"),
    QT_TRANSLATE_NOOP("ClassMetricsTable", "N"),
)
HEADER_TIPS = (
    QT_TRANSLATE_NOOP("ClassMetricsTable", "The true class (click a row to outline it in the confusion matrix)"),
    QT_TRANSLATE_NOOP(
        "ClassMetricsTable",
        "Of the images predicted as this class, the share that really are it (its column of the matrix)",
    ),
    QT_TRANSLATE_NOOP(
        "ClassMetricsTable", "Of the images of this class, the share predicted as it (its row of the matrix)"
    ),
    QT_TRANSLATE_NOOP("ClassMetricsTable", "The harmonic mean of precision and recall: low when either is low"),
    QT_TRANSLATE_NOOP("ClassMetricsTable", "How many validation images are of this class"),
)
CLASS, PRECISION, RECALL, F1, SUPPORT = range(len(HEADERS))
SORT_ROLE = Qt.ItemDataRole.UserRole  # what a cell sorts by
INDEX_ROLE = Qt.ItemDataRole.UserRole + 1  # the class a row shows
CLASS_MIN_PX, NUMBER_MIN_PX = 90, 48  # when the panel is narrow, the number columns give way first
NO_EPOCH = QT_TRANSLATE_NOOP("ClassMetricsTable", "Per-class figures — no epoch yet")
EMPTY = QT_TRANSLATE_NOOP(
    "ClassMetricsTable",
    "Precision, recall and F1 of each class appear after the first epoch, or when a trained model is opened",
)
AVERAGES = (
    (
        "macro",
        QT_TRANSLATE_NOOP("ClassMetricsTable", "Macro avg"),
        QT_TRANSLATE_NOOP("ClassMetricsTable", "Macro average: the mean over the classes, each counting once"),
    ),
    (
        "weighted",
        QT_TRANSLATE_NOOP("ClassMetricsTable", "Weighted avg"),
        QT_TRANSLATE_NOOP(
            "ClassMetricsTable", "Weighted average: the mean over the classes, each weighted by its support"
        ),
    ),
)


def _t(text: str) -> str:
    """One of this module's texts (marked above) in the window's language."""
    return translate("ClassMetricsTable", text)


class SortItem(QTableWidgetItem):
    """A cell that sorts by its SORT_ROLE value (numbers as numbers; F1 ties by recall, then class)."""

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine, theirs = self.data(SORT_ROLE), other.data(SORT_ROLE)
        if mine is None or theirs is None:
            return super().__lt__(other)
        return mine < theirs


def sort_key(column: int, metrics: ClassMetrics, index: int):
    """What a column sorts by: F1 ties are broken by recall, every tie by the class order."""
    if column == CLASS:
        return index
    value = {PRECISION: metrics.precision, RECALL: metrics.recall, SUPPORT: metrics.support}.get(column)
    return [metrics.f1, metrics.recall, index] if column == F1 else [value, index]


def cell_text(column: int, metrics: ClassMetrics) -> str:
    if column == CLASS:
        return metrics.name
    if column == SUPPORT:
        return f"{metrics.support:,}"
    return f"{(metrics.precision, metrics.recall, metrics.f1)[column - PRECISION]:.3f}"


def worst_first(classes: Sequence[ClassMetrics]) -> list[int]:
    """Class indices from the lowest F1 up (ties: lower recall first, then class order), as the table first shows."""
    return sorted(range(len(classes)), key=lambda i: (classes[i].f1, classes[i].recall, i))


class ClassMetricsTable(QWidget):
    """`show_confusion(matrix, class_names, epoch)`, `reset()`; `class_clicked(index)` when a row is chosen.
    `metrics` are the figures shown, in class order; `averages` the macro and weighted ones."""

    class_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        set_names(
            self,
            "classMetrics",
            lambda: translate(
                "ClassMetricsTable", "Precision, recall, F1 and support of each class of the validation split"
            ),
        )
        self._matrix: np.ndarray | None = None
        self._names: tuple[str, ...] = ()
        self._epoch = 0
        self.metrics: list[ClassMetrics] = []
        self.averages: dict[str, dict[str, float]] = {}
        self.refresher = Refresher(self, self._redraw)
        bar, header = header_bar()
        self.title_label = shrinkable(QLabel())
        self.title_label.setObjectName("classMetricsTitle")
        header.addWidget(self.title_label, 1)
        self.placeholder = placeholder("")
        self._empty_text: Text = EMPTY  # what the placeholder says: a text of this module's, or a lambda
        self.body = QWidget()
        column = QVBoxLayout(self.body)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self._make_table(), 1)
        column.addWidget(self._make_footer())
        self.stack = stacked_panel(self, bar, self.placeholder, self.body)
        theme.follow(self, self._restyle)
        i18n.follow(self, lambda table: table.retranslate())

    def retranslate(self) -> None:
        """Headers, tips, the averages' names and the title in the window's language (the figures' too)."""
        self.setAccessibleName(translate("ClassMetricsTable", "Per-class figures"))
        self.table.setAccessibleName(translate("ClassMetricsTable", "Precision, recall and F1 of each class"))
        self.footer.setAccessibleName(translate("ClassMetricsTable", "Macro and weighted averages"))
        for column, tip in enumerate(HEADER_TIPS):
            self.table.horizontalHeaderItem(column).setToolTip(_t(tip))
        for row, (_key, title, tip) in enumerate(AVERAGES):
            for column in range(len(HEADERS)):
                item = self.footer.item(row, column)
                item.setToolTip(_t(tip))
                if column == CLASS:
                    item.setText(_t(title))
        self._fit_columns()
        text = self._empty_text
        self.placeholder.setText(text() if callable(text) else _t(text))
        if self._matrix is None:
            self.title_label.setText(_t(NO_EPOCH))
        else:
            self._redraw()

    def _restyle(self, _theme) -> None:
        if self._matrix is not None:
            self.refresher.mark()  # the muted rows' colour

    def _make_table(self) -> QTableWidget:
        self.table = record_table("classMetricsTable", tuple(HEADERS), tuple(HEADER_TIPS))
        self.table.setAlternatingRowColors(True)
        self._size_columns(self.table.horizontalHeader())
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(F1, Qt.SortOrder.AscendingOrder)  # the worst class first
        self.table.itemSelectionChanged.connect(self._on_row_chosen)
        self.table.viewport().installEventFilter(self)  # its width: the columns' (_fit_columns)
        return self.table

    def _make_footer(self) -> QTableWidget:
        """The averages, two rows under the table with its columns, never sorted with the classes."""
        self.footer = QTableWidget(len(AVERAGES), len(HEADERS))
        self.footer.setObjectName("classMetricsAverages")
        self.footer.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.footer.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.footer.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.footer.horizontalHeader().hide()
        self.footer.verticalHeader().hide()
        self.footer.verticalHeader().setDefaultSectionSize(22)
        self.footer.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.footer.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._size_columns(self.footer.horizontalHeader())
        self.footer.setFixedHeight(22 * len(AVERAGES) + 2 * self.footer.frameWidth())
        for row in range(len(AVERAGES)):
            for column in range(len(HEADERS)):
                item = QTableWidgetItem()
                if column == CLASS:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                else:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.footer.setItem(row, column, item)
        return self.footer

    def _size_columns(self, header: QHeaderView) -> None:
        header.setMinimumSectionSize(NUMBER_MIN_PX)
        header.setSectionResizeMode(CLASS, QHeaderView.ResizeMode.Stretch)
        for column in range(PRECISION, len(HEADERS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.table.viewport():
            self._fit_columns()
        return False

    def _fit_columns(self) -> None:
        """Number columns as wide as "Precision" and its sort arrow, narrower when the panel is: the class names
        keep their room and no row needs scrolling sideways; the averages' columns line up with the table's."""
        wanted = self.fontMetrics().horizontalAdvance(translate("ClassMetricsTable", "Precision")) + 22
        width = max(NUMBER_MIN_PX, min(wanted, (self.table.viewport().width() - CLASS_MIN_PX) // (len(HEADERS) - 1)))
        for header in (self.table.horizontalHeader(), self.footer.horizontalHeader()):
            for column in range(PRECISION, len(HEADERS)):
                header.resizeSection(column, width)
        for column, text in enumerate(HEADERS if width >= wanted else SHORT_HEADERS):
            self.table.horizontalHeaderItem(column).setText(_t(text))
        scroll = self.table.verticalScrollBar()
        self.footer.setViewportMargins(0, 0, scroll.width() if scroll.isVisible() else 0, 0)

    # ----- data ---------------------------------------------------------------------------------------------

    def show_confusion(self, matrix: np.ndarray, class_names: Sequence[str], epoch: int) -> None:
        matrix = np.asarray(matrix)
        if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
            raise ValueError(f"a confusion matrix is K×K, got {matrix.shape}")
        self._matrix, self._epoch = matrix.copy(), int(epoch)
        self._names = tuple(str(name) for name in class_names)
        self.refresher.mark()

    def reset(self, text: Text = EMPTY) -> None:
        """No figures; the placeholder says `text` (when they come, or why none can): one of this module's texts,
        shown translated, or a lambda giving a text in the window's language (said again after a change of it)."""
        self.refresher.cancel()
        self._matrix = None
        self.metrics, self.averages = [], {}
        self.table.setRowCount(0)
        self._empty_text = text
        self.title_label.setText(_t(NO_EPOCH))
        self.placeholder.setText(text() if callable(text) else _t(text))
        self.stack.setCurrentWidget(self.placeholder)

    def selected_class(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.table.item(rows[0].row(), CLASS).data(INDEX_ROLE) if rows else None

    def select_class(self, index: int | None) -> None:
        """Select the row of class `index` (None: no row), as a click would."""
        if index is None:
            self.table.clearSelection()
            return
        for row in range(self.table.rowCount()):
            if self.table.item(row, CLASS).data(INDEX_ROLE) == index:
                self.table.selectRow(row)
                return

    def shown_order(self) -> list[int]:
        """The classes from the top row down, as sorted now."""
        return [self.table.item(row, CLASS).data(INDEX_ROLE) for row in range(self.table.rowCount())]

    def _on_row_chosen(self) -> None:
        index = self.selected_class()
        if index is not None:
            self.class_clicked.emit(index)

    # ----- drawing ------------------------------------------------------------------------------------------

    def _redraw(self) -> None:
        if self._matrix is None:
            return
        self.metrics = per_class(self._matrix, self._names)
        self.averages = averages(self.metrics)
        self.stack.setCurrentWidget(self.body)
        total = int(self._matrix.sum())
        self.title_label.setText(
            translate("ClassMetricsTable", "<b>Per class</b> · epoch {epoch} · {count} validation images").format(
                epoch=self._epoch, count=f"{total:,}"
            )
        )
        self._fill_rows()
        for row, (key, _title, _tip) in enumerate(AVERAGES):
            figures = self.averages[key]
            values = (figures["precision"], figures["recall"], figures["f1"])
            for column, value in enumerate(values, start=PRECISION):
                self.footer.item(row, column).setText(f"{value:.3f}")
            self.footer.item(row, SUPPORT).setText(f"{int(figures['support']):,}")

    def _fill_rows(self) -> None:
        """Refill the rows in class order, then sort them as the header says; the chosen class stays chosen."""
        chosen = self.selected_class()
        header = self.table.horizontalHeader()
        column, order = header.sortIndicatorSection(), header.sortIndicatorOrder()
        muted = QColor(theme.current().muted)
        self.table.blockSignals(True)
        self.table.setSortingEnabled(False)  # else each item set moves its row
        self.table.setRowCount(len(self.metrics))
        for index, metrics in enumerate(self.metrics):
            for col in range(len(HEADERS)):
                item = self.table.item(index, col)
                if item is None:
                    item = SortItem()
                    self.table.setItem(index, col, item)
                item.setText(cell_text(col, metrics))
                item.setData(SORT_ROLE, sort_key(col, metrics, index))
                item.setData(INDEX_ROLE, index)
                if col != CLASS:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                item.setForeground(muted if metrics.support == 0 else QColor())
                item.setToolTip(self._row_tip(metrics))
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(column, order)
        self.select_class(chosen)
        self.table.blockSignals(False)

    @staticmethod
    def _row_tip(metrics: ClassMetrics) -> str:
        if metrics.support == 0:
            return translate("ClassMetricsTable", "{name}: no validation image of this class").format(name=metrics.name)
        return translate(
            "ClassMetricsTable",
            "{name}: {recall}% of its images found (recall), {precision}% of those predicted as it right (precision)",
        ).format(name=metrics.name, recall=f"{100 * metrics.recall:.1f}", precision=f"{100 * metrics.precision:.1f}")


if __name__ == "__main__":
    from ui.plots.common import demo_app, run_demo

    app = demo_app()
    table = ClassMetricsTable()
    names = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
    rng = np.random.default_rng(0)

    def feed(tick: int) -> None:
        skill = 1 - 0.85 * np.exp(-tick / 4)
        probs = np.full((10, 10), (1 - skill) / 10) + np.eye(10) * skill * rng.uniform(0.6, 1.0, 10)[:, None]
        matrix = np.stack([rng.multinomial(100 + 10 * i, p / p.sum()) for i, p in enumerate(probs)])
        table.show_confusion(matrix, names, tick)

    run_demo(table, feed, interval_ms=800, size=(460, 420))
