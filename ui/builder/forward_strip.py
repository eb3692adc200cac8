"""The forward strip: the tensor's journey through the model, drawn left to right.

Every layer that changes the shape (or is a Conv2d/Linear) is a pseudo-3D block: its height follows
sqrt(H), its thickness log2(channels) and its receding depth sqrt(W), so the tensor visibly shrinks
and deepens along the convolutions; a flat vector is a thin bar whose height follows log(length).
Shape-preserving layers (activations, BatchNorm, Dropout, Softmax) would only repeat their
neighbour, so they are small chips stacked between the blocks. Everything is clickable.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QMouseEvent, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from ui import theme
from ui.style import ERROR_COLOUR, GROUP_COLOURS, INPUT_COLOUR
from workbench.model.catalog import CATALOG
from workbench.model.shape_rules import Shape, shape_text
from workbench.model.shapes import Inference
from workbench.model.spec import ModelSpec
from workbench.text import count

STRIP_HEIGHT = 170

ALWAYS_BLOCK = ("Convolution", "Dense")
CHIP_NAMES = {"BatchNorm2d": "BN2d", "BatchNorm1d": "BN1d", "Dropout": "Drop", "Dropout2d": "Drop2d"}

_TOP, _BOTTOM, _COLUMN_GAP, _CHIP_GAP = 8, 6, 16, 10
_CHIP_HEIGHT, _CHIPS_PER_COLUMN = 17, 5
_OBLIQUE_X, _OBLIQUE_Y = 0.5, 0.35  # the receding (width) axis of a block, per pixel of depth
_MIN_FACE, _BAR_WIDTH, _TYPE_MAX_WIDTH = 8.0, 8.0, 104


@dataclass(frozen=True)
class StripItem:
    """One drawn thing. `row` is the 0-based layer row (None for the input); `kind` is "input",
    "block" or "chip"; `state` is "ok", "error" (the failing layer) or "after" (never reached, drawn
    in the theme's grey: its `colour` is empty)."""

    row: int | None
    kind: str
    type: str
    label: str
    state: str
    shape: Shape | None
    colour: str
    tooltip: str
    rect: QRectF = field(default_factory=QRectF)  # the clickable area
    face: QRectF = field(default_factory=QRectF)  # the front face of a block (the pill of a chip)
    depth: float = 0.0  # length of the receding edge; 0 for flat bars and chips

    @property
    def height(self) -> float:
        """Drawn height of the block's front face, in pixels."""
        return self.face.height()


class ForwardStrip(QWidget):
    layer_clicked = Signal(int)  # 0-based layer row

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("forwardStrip")
        self.setAccessibleName("forwardStrip")
        self.setMouseTracking(True)
        self.setFixedHeight(STRIP_HEIGHT)
        self.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self._items: tuple[StripItem, ...] = ()
        self._width = 0
        self._hover: StripItem | None = None
        self._current_row: int | None = None
        self._layout = _Layout(self.font(), self._chip_font())
        theme.follow_owner(self, lambda owner, _t: owner.update())  # unreached layers, chip text: theme colours

    # -- public ---------------------------------------------------------------------------------

    def show_inference(self, spec: ModelSpec, inference: Inference) -> None:
        self._layout = _Layout(self.font(), self._chip_font())
        self._items, self._width = self._layout.build(spec, inference)
        self._hover = None
        self.setMinimumWidth(self._width)
        self.setAccessibleDescription(" → ".join(f"{i.label} {i.type}" for i in self._items if i.kind != "chip"))
        self.updateGeometry()
        self.update()

    def set_current_row(self, row: int | None) -> None:
        """Outline the layer selected elsewhere (e.g. in the layer stack)."""
        self._current_row = row
        self.update()

    @property
    def items(self) -> tuple[StripItem, ...]:
        return self._items

    @property
    def blocks(self) -> tuple[StripItem, ...]:
        """The layer blocks in drawing order (not the input, not the chips)."""
        return tuple(item for item in self._items if item.kind == "block")

    def item_at(self, pos: QPointF) -> StripItem | None:
        return next((item for item in self._items if item.rect.contains(pos)), None)

    def sizeHint(self) -> QSize:
        return QSize(self._width, STRIP_HEIGHT)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    # -- events ---------------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            item = self.item_at(QPointF(event.pos()))
            if item is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(event.globalPos(), item.tooltip, self)
            return True
        return super().event(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        item = self.item_at(event.position())
        if item is not self._hover:
            self._hover = item
            clickable = item is not None and item.row is not None
            self.setCursor(Qt.CursorShape.PointingHandCursor if clickable else Qt.CursorShape.ArrowCursor)
            self.update()

    def leaveEvent(self, event: QEvent) -> None:
        self._hover = None
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        item = self.item_at(event.position())
        if event.button() == Qt.MouseButton.LeftButton and item is not None and item.row is not None:
            self.layer_clicked.emit(item.row)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self._items:
            axis = self._layout.axis()
            painter.setPen(QPen(self.palette().mid().color(), 1.5))
            painter.drawLine(QPointF(self._items[0].face.center().x(), axis), QPointF(self._width - 12, axis))
        for item in self._items:
            if item.kind == "chip":
                self._paint_chip(painter, item)
            else:
                self._paint_block(painter, item)
        painter.end()

    # -- painting -------------------------------------------------------------------------------

    @staticmethod
    def _base(item: StripItem) -> QColor:
        return QColor(theme.current().unreached if item.state == "after" else item.colour)

    def _paint_block(self, painter: QPainter, item: StripItem) -> None:
        base = self._base(item)
        painter.setPen(QPen(base.darker(170), 1))
        face, d = item.face, item.depth
        dx, dy = d * _OBLIQUE_X, d * _OBLIQUE_Y
        if d > 0:
            top = _polygon(face.topLeft(), face.topRight(), face.topRight() + QPointF(dx, -dy))
            top.lineTo(face.topLeft() + QPointF(dx, -dy))
            painter.fillPath(top, base.lighter(125))
            painter.drawPath(top)
            side = _polygon(face.topRight(), face.topRight() + QPointF(dx, -dy), face.bottomRight() + QPointF(dx, -dy))
            side.lineTo(face.bottomRight())
            painter.fillPath(side, base.darker(125))
            painter.drawPath(side)
        painter.fillRect(face, base)
        painter.drawRect(face)
        self._paint_focus(painter, item, face.adjusted(-3, -3 - dy, 3 + dx, 3))
        self._paint_labels(painter, item)

    def _paint_chip(self, painter: QPainter, item: StripItem) -> None:
        base = self._base(item)
        painter.setPen(QPen(base.darker(150), 1))
        painter.setBrush(base.lighter(115))
        painter.drawRoundedRect(item.face, 6, 6)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setFont(self._chip_font())
        t = theme.current()
        painter.setPen(QColor(t.chip_text if item.state != "after" else t.unreached_text))
        painter.drawText(item.face, Qt.AlignmentFlag.AlignCenter, item.label)
        self._paint_focus(painter, item, item.face.adjusted(-2, -2, 2, 2))

    def _paint_focus(self, painter: QPainter, item: StripItem, outline: QRectF) -> None:
        if item.row is None or (item is not self._hover and item.row != self._current_row):
            return
        colour = self.palette().highlight().color()
        painter.setPen(QPen(colour, 2, Qt.PenStyle.SolidLine if item is self._hover else Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(outline, 3, 3)

    def _paint_labels(self, painter: QPainter, item: StripItem) -> None:
        text = self.palette().windowText().color()
        colour = {"error": QColor(theme.current().error), "after": self.palette().placeholderText().color()}.get(
            item.state, text
        )
        bold = QFont(self.font())
        bold.setBold(True)
        line = self._layout.line_height()
        top = STRIP_HEIGHT - _BOTTOM - 2 * line
        centre = Qt.AlignmentFlag.AlignCenter
        painter.setPen(colour)
        painter.setFont(bold)
        painter.drawText(QRectF(item.rect.left(), top, item.rect.width(), line), centre, item.label)
        painter.setFont(QFont(self.font()))
        elided = painter.fontMetrics().elidedText(item.type, Qt.TextElideMode.ElideRight, _TYPE_MAX_WIDTH)
        painter.drawText(QRectF(item.rect.left(), top + line, item.rect.width(), line), centre, elided)

    def _chip_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(max(6.5, font.pointSizeF() * 0.85))
        return font


def _polygon(*points: QPointF) -> QPainterPath:
    path = QPainterPath(points[0])
    for point in points[1:]:
        path.lineTo(point)
    return path


def _entry(row: int, type_name: str, inference: Inference) -> StripItem:
    group = CATALOG[type_name].group
    colour = GROUP_COLOURS.get(group, INPUT_COLOUR)
    head = f"{row + 1}. {type_name}"
    if row < len(inference.layers):
        info = inference.layers[row]
        kind = "block" if group in ALWAYS_BLOCK or info.output != info.input else "chip"
        label = shape_text(info.output)
        tip = f"{head} → {label}, {count(info.params, 'parameter')}"
        return StripItem(row, kind, type_name, label, "ok", info.output, colour, tip)
    error = inference.error
    if error is not None and row == error.index - 1:
        tip = f"{head}: {error.cause}; {error.fix}"
        return StripItem(row, "block", type_name, "error", "error", error.input, ERROR_COLOUR, tip)
    kind = "chip" if group in ("Activation", "Normalization", "Regularization", "Output") else "block"
    tip = f"{head}: not reached; fix layer {error.index if error else '?'} first"
    return StripItem(row, kind, type_name, "?", "after", None, "", tip)


class _Layout:
    """Turns a spec and its inference into positioned StripItems (no painting)."""

    def __init__(self, label_font: QFont, chip_font: QFont):
        bold = QFont(label_font)
        bold.setBold(True)
        self._label_metrics = QFontMetrics(bold)
        self._type_metrics = QFontMetrics(label_font)
        self._chip_metrics = QFontMetrics(chip_font)
        self._line = max(self._label_metrics.height(), self._type_metrics.height())
        self._items: list[StripItem] = []
        self._x = 10.0
        self._max_side = 1

    def line_height(self) -> int:
        return self._line

    def draw_height(self) -> float:
        """Height available to the figures, above the two label lines."""
        return STRIP_HEIGHT - _TOP - _BOTTOM - 2 * self._line - 10

    def axis(self) -> float:
        return _TOP + self.draw_height() / 2

    def build(self, spec: ModelSpec, inference: Inference) -> tuple[tuple[StripItem, ...], int]:
        sides = [s[1:] for s in (inference.input, *(i.output for i in inference.layers)) if len(s) == 3]
        if inference.error is not None and len(inference.error.input) == 3:
            sides.append(inference.error.input[1:])
        self._max_side = max((max(hw) for hw in sides), default=1)
        label = shape_text(inference.input)
        self._column(StripItem(None, "input", "Input", label, "ok", inference.input, INPUT_COLOUR, f"Input: {label}"))
        chips: list[StripItem] = []
        for row, layer in enumerate(spec.layers):
            entry = _entry(row, layer.type, inference)
            if entry.kind == "chip":
                chips.append(entry)
                continue
            self._chips(chips)
            chips = []
            self._column(entry)
        self._chips(chips)
        return tuple(self._items), int(self._x + 6)

    def _column(self, entry: StripItem) -> None:
        thickness, face_h, depth = self._geometry(entry.shape)
        figure_w = thickness + depth * _OBLIQUE_X
        label_w = max(
            self._label_metrics.horizontalAdvance(entry.label),
            min(self._type_metrics.horizontalAdvance(entry.type), _TYPE_MAX_WIDTH),
        )
        width = max(figure_w, label_w) + _COLUMN_GAP
        left = self._x + (width - figure_w) / 2
        top = self.axis() - (face_h + depth * _OBLIQUE_Y) / 2 + depth * _OBLIQUE_Y
        face = QRectF(left, top, thickness, face_h)
        rect = QRectF(self._x, _TOP, width, STRIP_HEIGHT - _TOP - _BOTTOM)
        self._items.append(replace(entry, rect=rect, face=face, depth=depth))
        self._x += width

    def _geometry(self, shape: Shape | None) -> tuple[float, float, float]:
        """(front thickness ∝ log2 channels, face height ∝ sqrt H, receding depth ∝ sqrt W)."""
        if shape is None:
            return 14.0, 28.0, 0.0
        if len(shape) == 3:
            channels, height, width = shape
            full = self.draw_height() / (1 + _OBLIQUE_Y)
            return 5 + 5 * math.log2(channels), self._side(height, full), self._side(width, full)
        thickness = 5 + 5 * math.log2(shape[0]) if len(shape) > 1 else _BAR_WIDTH
        length = math.prod(shape[1:]) if len(shape) > 1 else shape[0]
        return thickness, min(self.draw_height(), max(_MIN_FACE, 9 * math.log2(length + 1))), 0.0

    def _side(self, size: int, full: float) -> float:
        return max(_MIN_FACE, full * math.sqrt(min(size, self._max_side) / self._max_side))

    def _chips(self, chips: list[StripItem]) -> None:
        """Stack shape-preserving layers as pills in the gap, in columns of _CHIPS_PER_COLUMN."""
        for start in range(0, len(chips), _CHIPS_PER_COLUMN):
            column = chips[start : start + _CHIPS_PER_COLUMN]
            names = [CHIP_NAMES.get(entry.type, entry.type) for entry in column]
            width = max(self._chip_metrics.horizontalAdvance(name) for name in names) + 12
            y = self.axis() - (len(column) * (_CHIP_HEIGHT + 3) - 3) / 2
            for entry, name in zip(column, names, strict=True):
                pill = QRectF(self._x, y, width, _CHIP_HEIGHT)
                self._items.append(replace(entry, label=name, rect=pill, face=pill))
                y += _CHIP_HEIGHT + 3
            self._x += width + _CHIP_GAP
