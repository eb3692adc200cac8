"""The forward strip: the tensor's journey through the model, drawn left to right.

Every layer that changes the shape (or is a Conv2d/Linear) is a pseudo-3D block: its height follows
sqrt(H), its thickness log2(channels) and its receding depth sqrt(W), so the tensor visibly shrinks
and deepens along the convolutions; a flat vector is a thin bar whose height follows log(length).
Shape-preserving layers (activations, BatchNorm, Dropout, Softmax) would only repeat their
neighbour, so they are small chips stacked between the blocks. Everything is clickable.

Blocks (`strip_layout`): a Residual's skip arc over its layers into an add node, a Concat's branches as lanes
of chips that meet at a join node.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from ui import i18n, theme
from ui.builder.strip_layout import (
    BOTTOM,
    NODE_RADIUS,
    OBLIQUE_X,
    OBLIQUE_Y,
    STRIP_HEIGHT,
    TYPE_MAX_WIDTH,
    Layout,
    StripArc,
    StripFork,
    StripItem,
    StripPlan,
)
from ui.i18n import translate
from workbench.model.catalog import RESIDUAL
from workbench.model.shapes import Inference
from workbench.model.spec import ModelSpec
from workbench.model.tree import Path

__all__ = ["STRIP_HEIGHT", "ForwardStrip", "StripArc", "StripFork", "StripItem"]


class ForwardStrip(QWidget):
    layer_clicked = Signal(int)  # 0-based row of the spec holding the layer clicked
    path_clicked = Signal(object)  # the clicked layer's path (`model.tree`)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("forwardStrip")
        self.setMouseTracking(True)
        self.setFixedHeight(STRIP_HEIGHT)
        self.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self._plan = StripPlan((), (), (), 0)
        self._width = 0
        self._hover: StripItem | None = None
        self._current: Path | None = None
        self._layout = Layout(self.font(), self._chip_font())
        self._shown: tuple[ModelSpec, Inference] | None = None
        theme.follow_owner(self, lambda owner, _t: owner.update())  # unreached layers, chip text: theme colours
        i18n.follow(self, ForwardStrip.retranslate)

    def retranslate(self) -> None:
        """The strip's words ("Input", "error", the tooltips) in the window's language: laid out anew."""
        self.setAccessibleName(translate("ForwardStrip", "Forward strip"))
        if self._shown is not None:
            self.show_inference(*self._shown)

    # -- public ---------------------------------------------------------------------------------

    def show_inference(self, spec: ModelSpec, inference: Inference) -> None:
        self._shown = (spec, inference)
        self._layout = Layout(self.font(), self._chip_font())
        self._plan = self._layout.build(spec, inference)
        self._width = self._plan.width
        self._hover = None
        self.setMinimumWidth(self._width)
        told = (f"{i.label} {i.type}" for i in self._plan.items if i.kind != "chip")
        self.setAccessibleDescription(" → ".join(told))
        self.updateGeometry()
        self.update()

    def set_current_row(self, row: int | None) -> None:
        """Outline the layer selected elsewhere (e.g. in the layer stack), a row of the spec itself."""
        self.set_current_path(None if row is None else (row,))

    def set_current_path(self, path: Path | None) -> None:
        """Outline the layer at `path` (a block's inner layers too)."""
        self._current = None if path is None else tuple(path)
        self.update()

    @property
    def items(self) -> tuple[StripItem, ...]:
        return self._plan.items

    @property
    def blocks(self) -> tuple[StripItem, ...]:
        """The layer blocks in drawing order (not the input, not the chips, not the blocks' nodes)."""
        return tuple(item for item in self._plan.items if item.kind == "block")

    @property
    def arcs(self) -> tuple[StripArc, ...]:
        """The Residual blocks' skip arcs."""
        return self._plan.arcs

    @property
    def forks(self) -> tuple[StripFork, ...]:
        """The Concat blocks' branches."""
        return self._plan.forks

    def item_at(self, pos: QPointF) -> StripItem | None:
        """The item under `pos`; a chip or node before the column whose area holds it."""
        items = self._plan.items
        small = (item for item in items if item.kind in ("chip", "join") and item.face.contains(pos))
        return next(small, None) or next((item for item in items if item.rect.contains(pos)), None)

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
            self.path_clicked.emit(item.path)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self._plan.items:
            self._paint_line(painter)
        for item in self._plan.items:
            if item.kind == "chip":
                self._paint_chip(painter, item)
            elif item.kind == "join":
                self._paint_node(painter, item)
            else:
                self._paint_block(painter, item)
        painter.end()

    # -- painting -------------------------------------------------------------------------------

    def _paint_line(self, painter: QPainter) -> None:
        """The tensor's line, parted where a Concat block's branches run, and the Residual blocks' arcs."""
        axis, pen = self._layout.axis(), QPen(self.palette().mid().color(), 1.5)
        painter.setPen(pen)
        x = self._plan.items[0].face.center().x()
        for fork in self._plan.forks:
            painter.drawLine(QPointF(x, axis), QPointF(fork.start, axis))
            for lane in fork.lanes:
                painter.drawPath(
                    _polyline(
                        (fork.start, axis),
                        (fork.start + 12, lane),
                        (fork.end - 16, lane),
                        (fork.end - NODE_RADIUS, axis),
                    )
                )
            x = fork.end
        painter.drawLine(QPointF(x, axis), QPointF(self._width - 12, axis))
        for arc in self._plan.arcs:
            arc_pen = QPen(pen)
            if arc.projection:
                arc_pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(arc_pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(_arc_path(arc, axis - NODE_RADIUS))

    def _paint_node(self, painter: QPainter, item: StripItem) -> None:
        """A block's add node (+) or join node (‖): a circle on the line."""
        base = self._base(item)
        painter.setPen(QPen(base.darker(160), 1))
        painter.setBrush(base)
        painter.drawEllipse(item.face)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(QColor("white"), 2))
        centre, arm = item.face.center(), NODE_RADIUS * 0.5
        if item.type == RESIDUAL:
            painter.drawLine(centre - QPointF(arm, 0), centre + QPointF(arm, 0))
            painter.drawLine(centre - QPointF(0, arm), centre + QPointF(0, arm))
        else:
            for dx in (-2.5, 2.5):
                painter.drawLine(centre + QPointF(dx, -arm), centre + QPointF(dx, arm))
        self._paint_focus(painter, item, item.face.adjusted(-3, -3, 3, 3))
        self._paint_labels(painter, item)

    @staticmethod
    def _base(item: StripItem) -> QColor:
        return QColor(theme.current().unreached if item.state == "after" else item.colour)

    def _paint_block(self, painter: QPainter, item: StripItem) -> None:
        base = self._base(item)
        painter.setPen(QPen(base.darker(170), 1))
        face, d = item.face, item.depth
        dx, dy = d * OBLIQUE_X, d * OBLIQUE_Y
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
        if item.row is None or (item is not self._hover and item.path != self._current):
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
        top = STRIP_HEIGHT - BOTTOM - 2 * line
        centre = Qt.AlignmentFlag.AlignCenter
        painter.setPen(colour)
        painter.setFont(bold)
        painter.drawText(QRectF(item.rect.left(), top, item.rect.width(), line), centre, item.label)
        painter.setFont(QFont(self.font()))
        elided = painter.fontMetrics().elidedText(item.type, Qt.TextElideMode.ElideRight, TYPE_MAX_WIDTH)
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


def _polyline(*points: tuple[float, float]) -> QPainterPath:
    return _polygon(*(QPointF(x, y) for x, y in points))


def _arc_path(arc: StripArc, bottom: float) -> QPainterPath:
    """Up from the line at the arc's start, across at its height, down into the add node's top (`bottom`)."""
    axis_y, r = bottom + NODE_RADIUS, 4.0
    path = QPainterPath(QPointF(arc.start, axis_y))
    path.lineTo(arc.start, arc.y + r)
    path.quadTo(arc.start, arc.y, arc.start + r, arc.y)
    path.lineTo(arc.end - r, arc.y)
    path.quadTo(arc.end, arc.y, arc.end, arc.y + r)
    path.lineTo(arc.end, bottom)
    return path
