"""The table of "Predict a folder…" (ui/draw/predict_dialog.py): one row per picture with its thumbnail, the
predicted class, the confidence, whether it is unsure and the likeliest classes; sorted by any column, unsure
rows marked in the theme's warning colour. Thumbnails become pixmaps when shown, a few thousand kept."""

from __future__ import annotations

import html
import os
from dataclasses import replace

from PySide6.QtCore import QT_TRANSLATE_NOOP, QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QApplication

from ui import i18n, theme
from ui.i18n import translate
from ui.plots.misclassified import thumbnail
from workbench.insight.predict import PredictedPicture

THUMB = 40  # pixels a side of a thumbnail
PIXMAPS_KEPT = 2000  # thumbnails made into pixmaps and kept; more are made again when scrolled to
PICTURE, PREDICTED, CONFIDENCE, UNSURE, TOP = range(5)
HEADERS = (  # translated where shown (context "PredictionTable")
    QT_TRANSLATE_NOOP("PredictionTable", "Picture"),
    QT_TRANSLATE_NOOP("PredictionTable", "Predicted"),
    QT_TRANSLATE_NOOP("PredictionTable", "Confidence"),
    QT_TRANSLATE_NOOP("PredictionTable", "Unsure"),
    QT_TRANSLATE_NOOP("PredictionTable", "Top classes"),
)


def _sort_key(column: int):
    if column == PICTURE:
        return lambda row: row.path.lower()
    if column == PREDICTED:
        return lambda row: row.predicted
    if column == CONFIDENCE:
        return lambda row: row.confidence if row.confidence == row.confidence else -1.0  # NaN first
    if column == UNSURE:
        return lambda row: (row.unsure, row.confidence)
    return lambda row: row.top[0][0] if row.top else ""


class PredictionTable(QAbstractTableModel):
    """The rows in the order found (`rows`, what Export CSV writes) shown in the order chosen (`order`)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[PredictedPicture] = []
        self.order: list[int] = []  # view row → index in `rows`
        self.folder = ""
        self._sorted_by: tuple[int, Qt.SortOrder] = (-1, Qt.SortOrder.AscendingOrder)
        self._pixmaps: dict[int, QPixmap] = {}
        i18n.follow(self, PredictionTable.retranslate)

    def retranslate(self) -> None:
        """The headers and the words of the cells in the window's language."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(HEADERS) - 1)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(HEADERS) - 1))

    # ----- contents ---------------------------------------------------------------------------------------

    def clear(self, folder: str = "") -> None:
        self.beginResetModel()
        self.rows, self.order, self.folder = [], [], folder
        self._pixmaps.clear()
        self.endResetModel()

    def add(self, rows: list[PredictedPicture]) -> None:
        if not rows:
            return
        first = len(self.rows)
        if self._sorted_by[0] < 0:  # the order found: the new rows go at the end
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self.rows += rows
            self.order += range(first, first + len(rows))
            self.endInsertRows()
            return
        self.layoutAboutToBeChanged.emit()
        self.rows += rows
        self.order = self._ordered()
        self.layoutChanged.emit()

    def set_threshold(self, below: float) -> None:
        """Mark again which rows are unsure."""
        self.rows = [replace(row, unsure=not row.confidence >= below) for row in self.rows]
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(HEADERS) - 1))

    def row_at(self, view_row: int) -> PredictedPicture:
        return self.rows[self.order[view_row]]

    # ----- Qt ---------------------------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.order)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return translate("PredictionTable", HEADERS[section])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        number = self.order[index.row()]
        row, column = self.rows[number], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.DecorationRole and column == PICTURE:
            return self._pixmap(number, row)
        if role == Qt.ItemDataRole.ToolTipRole:
            inverted = translate("PredictionTable", "<br>inverted: dark ink on a light page") if row.inverted else ""
            return f"<qt>{html.escape(row.path)}{inverted}</qt>"  # a name with <tags> is shown as it is named
        if role == Qt.ItemDataRole.BackgroundRole and row.unsure:
            base = QApplication.palette().base().color().name()
            return theme.mixed(theme.current().warning, base, 0.16)
        if role == Qt.ItemDataRole.ForegroundRole and row.unsure and column == UNSURE:
            return QColor(theme.current().warning)
        return None

    def _text(self, row: PredictedPicture, column: int) -> str:
        if column == PICTURE:
            prefix = self.folder.rstrip(os.sep) + os.sep if self.folder else ""
            return row.path[len(prefix) :] if prefix and row.path.startswith(prefix) else row.path
        if column == PREDICTED:
            return row.predicted
        if column == CONFIDENCE:
            return f"{100 * row.confidence:.1f}%"
        if column == UNSURE:
            return translate("PredictionTable", "⚠ unsure") if row.unsure else ""
        return "  ".join(f"{name} {100 * p:.1f}%" for name, p in row.top)

    def _pixmap(self, number: int, row: PredictedPicture) -> QPixmap | None:
        if row.thumbnail is None:
            return None
        found = self._pixmaps.get(number)
        if found is None:
            if len(self._pixmaps) >= PIXMAPS_KEPT:
                self._pixmaps.clear()
            found = self._pixmaps[number] = _centred(thumbnail(row.thumbnail, THUMB))
        return found

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorted here in one Python sort; column -1 is the order found."""
        self._sorted_by = (column, order)
        self.layoutAboutToBeChanged.emit()
        self.order = self._ordered()
        self.layoutChanged.emit()

    def _ordered(self) -> list[int]:
        column, order = self._sorted_by
        if not 0 <= column < len(HEADERS):
            return list(range(len(self.rows)))
        key = _sort_key(column)
        descending = order == Qt.SortOrder.DescendingOrder
        return sorted(range(len(self.rows)), key=lambda i: key(self.rows[i]), reverse=descending)


def _centred(picture: QPixmap) -> QPixmap:
    """`picture` in the middle of a transparent THUMB × THUMB square, so every name starts at the same place."""
    square = QPixmap(THUMB, THUMB)
    square.fill(Qt.GlobalColor.transparent)
    painter = QPainter(square)
    small = picture.scaled(THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
    painter.drawPixmap((THUMB - small.width()) // 2, (THUMB - small.height()) // 2, small)
    painter.end()
    return square
