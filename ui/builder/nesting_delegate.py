"""How the layer stack's Layer column shows nesting: each step of depth indents the icon and name by `INDENT`
pixels, a thin guide line runs down each level a row sits in, and a block has a disclosure triangle (▾ open,
▸ closed) in front of its icon that opens and closes it.

The rows carry their depth and block state in item data (`DEPTH_ROLE`, `OPEN_ROLE`: None for a layer that is
no block), so the delegate needs nothing from the stack but the index it paints.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPointF, QRect, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

DEPTH_ROLE = Qt.ItemDataRole.UserRole + 2  # int: how many blocks hold the row
OPEN_ROLE = Qt.ItemDataRole.UserRole + 3  # True/False for a block open/closed; None otherwise
INDENT = 18
TRIANGLE = 14  # the width kept for the disclosure triangle


def triangle_rect(cell: QRect, depth: int) -> QRect:
    """Where a block row's disclosure triangle sits in its Layer cell (clicks there open or close it)."""
    return QRect(cell.left() + 2 + depth * INDENT, cell.top(), TRIANGLE, cell.height())


class NestingDelegate(QStyledItemDelegate):
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        depth = index.data(DEPTH_ROLE) or 0
        is_open = index.data(OPEN_ROLE)
        shift = depth * INDENT + TRIANGLE + 2
        background = QStyleOptionViewItem(option)
        self.initStyleOption(background, index)
        background.text, background.icon = "", QIcon()
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, background, painter, option.widget)
        guide = QColor(option.palette.mid().color())
        painter.save()
        painter.setPen(QPen(guide, 1))
        for level in range(depth):
            x = option.rect.left() + 2 + level * INDENT + TRIANGLE // 2
            painter.drawLine(x, option.rect.top(), x, option.rect.bottom())
        if is_open is not None:
            self._paint_triangle(painter, triangle_rect(option.rect, depth), bool(is_open), option)
        painter.restore()
        content = QStyleOptionViewItem(option)
        content.rect = option.rect.adjusted(shift, 0, 0, 0)
        super().paint(painter, content, index)

    @staticmethod
    def _paint_triangle(painter: QPainter, rect: QRect, is_open: bool, option: QStyleOptionViewItem) -> None:
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = option.palette.highlightedText() if selected else option.palette.text()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(role.color())
        centre, half = QPointF(rect.center()) + QPointF(0.5, 0.5), 4.0
        path = QPainterPath()
        if is_open:  # ▾
            path.moveTo(centre + QPointF(-half, -half / 2))
            path.lineTo(centre + QPointF(half, -half / 2))
            path.lineTo(centre + QPointF(0, half * 0.75))
        else:  # ▸
            path.moveTo(centre + QPointF(-half / 2, -half))
            path.lineTo(centre + QPointF(half * 0.75, 0))
            path.lineTo(centre + QPointF(-half / 2, half))
        path.closeSubpath()
        painter.drawPath(path)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        depth = index.data(DEPTH_ROLE) or 0
        return QSize(size.width() + depth * INDENT + TRIANGLE + 2, size.height())
