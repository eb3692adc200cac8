"""The layer stack: one row per layer with its settings, output shape and parameter count, and a badge at the end
of the settings saying what experiments vary (drawn by `MarksDelegate`, so it stays in sight when the settings are
cut short in a narrow window).

The stack never edits the spec itself: drops, keys and its context menu emit requests that the
window turns into undoable document edits, then the stack is redrawn from the new spec.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QBrush,
    QColor,
    QContextMenuEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeyEvent,
    QPainter,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from ui import theme
from ui.builder.palette import LAYER_MIME
from ui.style import layer_icon
from workbench.explore.windows import EXPLORABLE
from workbench.model.catalog import by_group
from workbench.model.edits import settings_text
from workbench.model.formatting import human_count
from workbench.model.shape_rules import shape_text
from workbench.model.shapes import Inference
from workbench.model.spec import LayerSpec, ModelSpec

ROW_MIME = "application/x-cnn-workbench-row"
COLUMNS = ("#", "Layer", "Settings", "Output", "Parameters")
SETTINGS_COLUMN = 2
MARKS_ROLE = Qt.ItemDataRole.UserRole + 1  # the Settings cell's badge: "varies out_channels: 8, 16, 32"


def marks_text(layer: LayerSpec) -> str:
    """What experiments vary of the layer ("varies out_channels: 8, 16, 32"), empty when nothing."""
    marks = "; ".join(f"{name}: {domain.describe()}" for name, domain in layer.vary.items())
    return marks and f"varies {marks}"


class MarksDelegate(QStyledItemDelegate):
    """Draws a cell's MARKS_ROLE text as a badge at its right end (up to 60% of the cell), the cell's own text
    cut short before it."""

    PAD = 6

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        marks = index.data(MARKS_ROLE)
        if not marks:
            super().paint(painter, option, index)
            return
        metrics, rect = option.fontMetrics, option.rect
        width = min(metrics.horizontalAdvance(marks) + 2 * self.PAD + 2, rect.width() * 3 // 5)  # +2: fractional glyphs
        full = QStyleOptionViewItem(option)
        self.initStyleOption(full, index)
        full.text = ""
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, full, painter, option.widget)  # background
        text_part = QStyleOptionViewItem(option)
        text_part.rect = rect.adjusted(0, 0, -width - self.PAD, 0)
        super().paint(painter, text_part, index)
        badge = rect.adjusted(rect.width() - width - 2, 3, -2, -3)
        t = theme.current()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(t.note_background))
        painter.drawRoundedRect(badge, 3, 3)
        painter.setPen(QColor(t.blue))
        painter.setFont(option.font)
        shown = metrics.elidedText(marks, Qt.TextElideMode.ElideRight, badge.width() - 2 * self.PAD)
        painter.drawText(badge.adjusted(self.PAD, 0, -self.PAD, 0), Qt.AlignmentFlag.AlignVCenter, shown)
        painter.restore()


class LayerStack(QTableWidget):
    insert_requested = Signal(int, str)  # position, layer type
    move_requested = Signal(int, int)  # source row, target row
    remove_requested = Signal(int)
    duplicate_requested = Signal(int)
    explore_requested = Signal(int)  # open the row's layer in the Learn tab
    current_row_changed = Signal(int)  # -1 when nothing is selected

    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, len(COLUMNS), parent)
        self.setObjectName("layerStack")
        self.setAccessibleName("layerStack")
        self.setHorizontalHeaderLabels(COLUMNS)
        self.verticalHeader().hide()
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setWordWrap(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(SETTINGS_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.setItemDelegateForColumn(SETTINGS_COLUMN, MarksDelegate(self))
        self.itemSelectionChanged.connect(self._on_selection_changed)
        self._last_row = -1
        self._shown: tuple[ModelSpec, Inference] | None = None
        theme.follow(self, self._restyle)

    # ----- showing the spec ---------------------------------------------------------------------

    def show_spec(self, spec: ModelSpec, inference: Inference) -> None:
        self._shown = (spec, inference)
        row = self.current_layer_row()
        self.blockSignals(True)
        self.setRowCount(len(spec.layers))
        for index, layer in enumerate(spec.layers):
            self._fill_row(index, layer, inference)
        self.blockSignals(False)
        self.select_row(min(row, len(spec.layers) - 1) if row >= 0 else -1)

    def _fill_row(self, index: int, layer, inference: Inference) -> None:
        error = inference.error
        info = inference.layers[index] if index < len(inference.layers) else None
        if info is not None:
            output, params = shape_text(info.output), human_count(info.params)
        else:
            output, params = ("error", "") if error and error.index == index + 1 else ("?", "")
        cells = (str(index + 1), layer.type, settings_text(layer), output, params)
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled)
            if column in (0, 3, 4):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.setItem(index, column, item)
        self.item(index, 1).setIcon(layer_icon(layer.type))
        self._mark(index, inference)
        self._show_marks(index, layer)

    def _show_marks(self, index: int, layer: LayerSpec) -> None:
        """The badge of what experiments vary, also in the cell's tooltip and what a screen reader says."""
        marks = marks_text(layer)
        if not marks:
            return
        item = self.item(index, SETTINGS_COLUMN)
        item.setData(MARKS_ROLE, marks)
        told = " · ".join(part for part in (item.text(), marks) if part)
        item.setData(Qt.ItemDataRole.AccessibleTextRole, told)
        tip = item.toolTip()  # the settings, or why the layer cannot work
        item.setToolTip(told if tip == item.text() else f"{tip}\n{marks}")

    def _mark(self, index: int, inference: Inference) -> None:
        """Red for the layer that cannot work; grey for the ones after it (their shapes are unknown)."""
        error = inference.error
        failing = error is not None and error.index == index + 1
        after = error is not None and index + 1 > error.index
        tip = error.message if failing else ("after a layer that cannot work" if after else "")
        for column in range(self.columnCount()):
            item = self.item(index, column)
            if failing:
                item.setBackground(QBrush(QColor(theme.current().error_background)))
                item.setForeground(QBrush(QColor(theme.current().error)))
            elif after:
                item.setForeground(self.palette().placeholderText())
            item.setToolTip(tip or item.text())

    def is_error_row(self, row: int) -> bool:
        item = self.item(row, 3)
        return item is not None and item.background().color() == QColor(theme.current().error_background)

    def _restyle(self, _theme) -> None:
        """The failing row's red and the greyed rows after it, in the new theme's colours."""
        if self._shown is not None:
            self.show_spec(*self._shown)

    # ----- selection ---------------------------------------------------------------------------

    def current_layer_row(self) -> int:
        rows = self.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def select_row(self, row: int) -> None:
        if 0 <= row < self.rowCount():
            self.selectRow(row)
            self.setCurrentCell(row, 1)
        else:
            self.clearSelection()
        self._on_selection_changed()

    def _on_selection_changed(self) -> None:
        row = self.current_layer_row()
        if row != self._last_row or row >= 0:
            self._last_row = row
            self.current_row_changed.emit(row)

    # ----- drag and drop -------------------------------------------------------------------------

    def mimeTypes(self) -> list[str]:
        return [LAYER_MIME, ROW_MIME]

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def mimeData(self, items: list[QTableWidgetItem]) -> QMimeData:
        data = QMimeData()
        if items:
            data.setData(ROW_MIME, str(items[0].row()).encode())
        return data

    def dragEnterEvent(self, event) -> None:
        if self._understands(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._understands(event.mimeData()):
            super().dragMoveEvent(event)  # draws the drop indicator
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        data = event.mimeData()
        row = self.drop_row(event.position().toPoint())
        if data.hasFormat(LAYER_MIME):
            self.insert_requested.emit(row, bytes(data.data(LAYER_MIME)).decode())
        elif data.hasFormat(ROW_MIME):
            source = int(bytes(data.data(ROW_MIME)).decode())
            target = row - 1 if source < row else row
            if target != source:
                self.move_requested.emit(source, target)
        else:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.CopyAction)  # the stack redraws itself; Qt must not remove rows
        event.accept()

    def drop_row(self, pos: QPoint) -> int:
        """The position a drop at `pos` (viewport coordinates) inserts at: above the row's middle
        means before it, below means after it; empty space below the last row means the end."""
        row = self.rowAt(pos.y())
        if row < 0:
            return self.rowCount()
        rect = self.visualRect(self.model().index(row, 0))
        return row + 1 if pos.y() > rect.center().y() else row

    @staticmethod
    def _understands(data: QMimeData) -> bool:
        return data.hasFormat(LAYER_MIME) or data.hasFormat(ROW_MIME)

    # ----- keyboard and context menu ---------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        row = self.current_layer_row()
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        key = event.key()
        if row >= 0 and key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.remove_requested.emit(row)
        elif row > 0 and ctrl and key == Qt.Key.Key_Up:
            self.move_requested.emit(row, row - 1)
        elif 0 <= row < self.rowCount() - 1 and ctrl and key == Qt.Key.Key_Down:
            self.move_requested.emit(row, row + 1)
        elif row >= 0 and ctrl and key == Qt.Key.Key_D:
            self.duplicate_requested.emit(row)
        else:
            super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        self.build_context_menu(self.rowAt(event.pos().y())).exec(event.globalPos())

    def build_context_menu(self, row: int) -> QMenu:
        menu = QMenu(self)
        self.fill_menu(menu, row)
        return menu

    def fill_menu(self, menu: QMenu, row: int) -> None:
        """The layer actions for `row` (-1: none selected), for the context menu and Edit ▸ Layer."""
        add = menu.addMenu("Add layer after" if row >= 0 else "Add layer")
        position = row + 1 if row >= 0 else self.rowCount()
        for group, layers in by_group().items():
            sub = add.addMenu(group)
            for layer in layers:
                action = sub.addAction(layer_icon(layer.name), layer.name)
                action.triggered.connect(lambda _=False, n=layer.name: self.insert_requested.emit(position, n))
        if row >= 0:
            self.select_row(row)
            menu.addSeparator()
            self._add(menu, "Duplicate", "Ctrl+D", lambda: self.duplicate_requested.emit(row))
            self._add(menu, "Move up", "Ctrl+Up", lambda: self.move_requested.emit(row, row - 1), row > 0)
            last = self.rowCount() - 1
            self._add(menu, "Move down", "Ctrl+Down", lambda: self.move_requested.emit(row, row + 1), row < last)
            self._add(menu, "Delete", "Del", lambda: self.remove_requested.emit(row))
            menu.addSeparator()
            explore = menu.addAction("Explore this layer in the Learn tab")
            explore.setObjectName("exploreLayerAction")
            explore.setEnabled(self.item(row, 1).text() in EXPLORABLE)
            explore.triggered.connect(lambda: self.explore_requested.emit(row))

    @staticmethod
    def _add(menu: QMenu, text: str, shortcut: str, slot, enabled: bool = True) -> QAction:
        action = menu.addAction(f"{text}\t{shortcut}")
        action.setEnabled(enabled)
        action.triggered.connect(slot)
        return action


if __name__ == "__main__":
    from PySide6.QtWidgets import QApplication

    from workbench.model import templates
    from workbench.model.shapes import infer

    app = QApplication([])
    stack = LayerStack()
    spec = templates.template(templates.STARTER)
    stack.show_spec(spec, infer(spec))
    for signal in ("insert_requested", "move_requested", "remove_requested", "duplicate_requested"):
        getattr(stack, signal).connect(lambda *args, s=signal: print(s, *args))
    stack.resize(720, 420)
    stack.show()
    app.exec()
