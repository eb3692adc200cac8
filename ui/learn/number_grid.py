"""A grid of numbers, each cell tinted by its value, with the sliding window drawn over it.

Cells are painted (not a table widget) so the window, the chosen maximum and the selected output
can be outlined on top of the numbers at any size; below ~14 px a cell shows only its colour and
the numbers move into the tooltip (all of them: a grid never shows only some of its numbers).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from ui import theme
from ui.i18n import translate
from ui.theme import Theme
from workbench.explore.windows import number

Cell = tuple[int, int]
MAX_CELL, MIN_TEXT_CELL, MIN_TEXT_PX, HINT_CELL, MIN_GRID, TITLE_H = 56, 14, 7, 34, 200, 18


class NumberGrid(QWidget):
    cell_clicked = Signal(int, int)

    def __init__(self, title: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.title = title
        self.max_cell = MAX_CELL
        self.hint_cell = HINT_CELL  # the cell size the grid asks the layout for
        self.values = np.zeros((0, 0))
        self.muted = np.zeros((0, 0), dtype=bool)
        self.window: set[Cell] = set()
        self.frame: set[Cell] = set()
        self.chosen: Cell | None = None
        self.selected: Cell | None = None
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        theme.follow_owner(self, lambda owner, _t: owner.update())  # the cells are painted in theme colours

    # ----- data --------------------------------------------------------------------------------------

    def set_values(self, values: np.ndarray, muted: np.ndarray | None = None, title: str | None = None) -> None:
        """`muted` marks padding (drawn grey); `title` replaces the caption above the grid."""
        self.values = np.asarray(values, dtype=float)
        self.muted = np.zeros(self.values.shape, dtype=bool) if muted is None else np.asarray(muted, dtype=bool)
        if title is not None:
            self.title = title
        self.set_marks()
        self.updateGeometry()

    def set_marks(
        self,
        window: Iterable[Cell] = (),
        frame: Iterable[Cell] = (),
        chosen: Cell | None = None,
        selected: Cell | None = None,
    ) -> None:
        """Highlight the cells a window uses, the outline it lays over, the max it picks, the output."""
        self.window, self.frame = set(window), set(frame)
        self.chosen, self.selected = chosen, selected
        self.update()

    def cell_text(self, row: int, col: int) -> str:
        return number(self.values[row, col])

    # ----- geometry ----------------------------------------------------------------------------------

    def _cell_size(self) -> float:
        rows, cols = self.values.shape if self.values.size else (1, 1)
        return max(4.0, min(self.max_cell, (self.width() - 2) / cols, (self.height() - TITLE_H - 2) / rows))

    def _origin(self) -> QPointF:
        cols = self.values.shape[1] if self.values.size else 0
        return QPointF((self.width() - cols * self._cell_size()) / 2, TITLE_H)

    def cell_rect(self, row: int, col: int) -> QRectF:
        size, origin = self._cell_size(), self._origin()
        return QRectF(origin.x() + col * size, origin.y() + row * size, size, size)

    def cell_at(self, x: float, y: float) -> Cell | None:
        if not self.values.size:
            return None
        size, origin = self._cell_size(), self._origin()
        row, col = int((y - origin.y()) // size), int((x - origin.x()) // size)
        inside = 0 <= row < self.values.shape[0] and 0 <= col < self.values.shape[1]
        return (row, col) if inside and x >= origin.x() and y >= origin.y() else None

    def sizeHint(self) -> QSize:
        rows, cols = self.values.shape if self.values.size else (3, 3)
        title = QFontMetrics(self._title_font()).horizontalAdvance(self.title) + 8
        return QSize(max(title, int(cols * self.hint_cell + 2)), int(rows * self.hint_cell + TITLE_H + 2))

    def minimumSizeHint(self) -> QSize:
        """12 px cells, smaller for big grids (a 32×32 probe) so they never make the window tall."""
        rows, cols = self.values.shape if self.values.size else (3, 3)
        cell = min(12.0, MIN_GRID / max(rows, cols))
        return QSize(max(60, int(cols * cell)), int(rows * cell) + TITLE_H)

    # ----- painting ------------------------------------------------------------------------------------

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._paint_title(painter)
        if self.values.size:
            self._paint_cells(painter)
            self._paint_marks(painter)
        painter.end()

    def _title_font(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        return font

    def _paint_title(self, painter: QPainter) -> None:
        font = self._title_font()
        painter.setFont(font)
        painter.setPen(self.palette().windowText().color())
        text = QFontMetrics(font).elidedText(self.title, Qt.TextElideMode.ElideRight, self.width())
        painter.drawText(QRectF(0, 0, self.width(), TITLE_H), Qt.AlignmentFlag.AlignCenter, text)

    def _paint_cells(self, painter: QPainter) -> None:
        """Each cell's colour (tinted by its value, grey for padding, the window's yellow laid over the
        cells it covers) and its number, in whichever of the theme's text colours reads better on it."""
        t = theme.current()
        line, muted_colour, window = QPen(QColor(t.cell_line), 1), QColor(t.cell_muted_text), QColor(t.window_fill)
        size = self._cell_size()
        finite = self.values[np.isfinite(self.values) & ~self.muted]
        scale = float(np.abs(finite).max()) if finite.size else 1.0
        font, show_text = self._cell_font(size)
        painter.setFont(font)
        for (row, col), value in np.ndenumerate(self.values):
            rect = self.cell_rect(row, col)
            fill = QColor(t.cell_padding) if self.muted[row, col] else tint(value, scale, t)
            if (row, col) in self.window:
                fill = theme.mixed(window.name(), fill.name(), t.window_alpha)
            painter.setPen(line)
            painter.setBrush(QBrush(fill))
            painter.drawRect(rect)
            if show_text:
                painter.setPen(muted_colour if self.muted[row, col] else theme.readable_on(fill, t))
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.cell_text(row, col))

    def _cell_font(self, size: float) -> tuple[QFont, bool]:
        """The numbers' font: a third of the cell, smaller if the widest number needs it; False when even
        the smallest legible one does not fit: then no cell shows its number (a grid with only some of
        its numbers reads as if the others were missing) and the tooltip gives them."""
        font = QFont(self.font())
        pixels = max(MIN_TEXT_PX, int(size * 0.34))
        font.setPixelSize(pixels)
        texts = {self.cell_text(row, col) for row, col in np.ndindex(self.values.shape)}
        widest = max(QFontMetrics(font).horizontalAdvance(text) for text in texts)
        if widest > size - 3:
            pixels = int(pixels * (size - 3) / widest)
        if size < MIN_TEXT_CELL or pixels < MIN_TEXT_PX:
            return font, False
        font.setPixelSize(pixels)
        return font, True

    def _paint_marks(self, painter: QPainter) -> None:
        t = theme.current()
        edge = QColor(t.window_edge)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(edge, 1, Qt.PenStyle.DashLine))
        for cell in self.frame - self.window:
            painter.drawRect(self.cell_rect(*cell).adjusted(2, 2, -2, -2))
        for cell in self.window:
            painter.setPen(QPen(edge, 2))
            painter.drawRect(self.cell_rect(*cell).adjusted(1, 1, -1, -1))
        for cell, colour in ((self.chosen, t.chosen_edge), (self.selected, t.selected_edge)):
            if cell is not None:
                painter.setPen(QPen(QColor(colour), 3))
                painter.drawRect(self.cell_rect(*cell).adjusted(1.5, 1.5, -1.5, -1.5))

    # ----- mouse ---------------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        cell = self.cell_at(event.position().x(), event.position().y())
        if cell is not None and event.button() == Qt.MouseButton.LeftButton:
            self.cell_clicked.emit(*cell)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        cell = self.cell_at(event.position().x(), event.position().y())
        if cell is None:
            QToolTip.hideText()
            return
        if self.muted[cell]:
            tip = translate("NumberGrid", "row {row}, column {column}: {value} (padding)")
        else:
            tip = translate("NumberGrid", "row {row}, column {column}: {value}")
        tip = tip.format(row=cell[0] + 1, column=cell[1] + 1, value=self.cell_text(*cell))
        QToolTip.showText(event.globalPosition().toPoint(), tip, self)


def tint(value: float, scale: float, t: Theme) -> QColor:
    """The zero colour (white in the light theme) for 0, towards orange for positive and blue for
    negative values, never so far that the cell's number is hard to read."""
    if not np.isfinite(value) or scale <= 0:
        return QColor(t.cell_zero)
    strength = min(1.0, abs(value) / scale) * t.cell_tint
    return theme.mixed(t.positive if value > 0 else t.negative, t.cell_zero, strength)
