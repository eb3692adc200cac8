"""The layer stack: one row per layer with its settings, output shape and parameter count, and a badge at the end
of the settings saying what experiments vary (drawn by `MarksDelegate`, so it stays in sight when the settings are
cut short in a narrow window).

Blocks nest: the rows are the walk of the spec (`stack_rows`), a block's layers indented under it with a
disclosure triangle to open and close it (`nesting_delegate`), a Concat's branches under "branch N" header rows.
Requests name layers by `model.tree` path; a plain spec's row i is its layer i, path (i,).

The stack never edits the spec itself: drops, keys and its context menu emit requests that the
window turns into undoable document edits, then the stack is redrawn from the new spec.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QMimeData, QModelIndex, QPoint, Qt, Signal
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

from ui import i18n, theme
from ui.builder import stack_rows
from ui.builder.nesting_delegate import DEPTH_ROLE, OPEN_ROLE, NestingDelegate, triangle_rect
from ui.builder.palette import LAYER_MIME
from ui.builder.stack_cells import ERROR, FAILING, UNREACHED, Cells, marks_text, row_cells
from ui.builder.stack_rows import ABOVE, BELOW, INTO, Row, parse_payload, path_payload
from ui.help_dialog import group_name
from ui.i18n import translate
from ui.style import layer_icon
from workbench.explore.windows import EXPLORABLE
from workbench.model import tree
from workbench.model.catalog import CONCAT, by_group
from workbench.model.shapes import Inference
from workbench.model.spec import LayerSpec, ModelSpec
from workbench.model.tree import Path

ROW_MIME = "application/x-cnn-workbench-row"
COLUMNS = (
    "#",
    QT_TRANSLATE_NOOP("LayerStack", "Layer"),
    QT_TRANSLATE_NOOP("LayerStack", "Settings"),
    QT_TRANSLATE_NOOP("LayerStack", "Output"),
    QT_TRANSLATE_NOOP("LayerStack", "Parameters"),
)
LAYER_COLUMN, SETTINGS_COLUMN = 1, 2
MARKS_ROLE = Qt.ItemDataRole.UserRole + 1  # the Settings cell's badge: "varies out_channels: 8, 16, 32"


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
    insert_requested = Signal(object, str)  # insertion path (an end of a stack allowed), layer type
    move_requested = Signal(object, object)  # source path, the path where the layer ends up
    remove_requested = Signal(object)  # path
    duplicate_requested = Signal(object)  # path
    explore_requested = Signal(object)  # path: open the layer in the Learn tab
    branch_add_requested = Signal(object)  # a Concat block's path
    branch_remove_requested = Signal(object, int)  # a Concat block's path, the 0-based branch
    current_row_changed = Signal(int)  # -1 when nothing is selected; `row_at` says what the row shows

    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, len(COLUMNS), parent)
        self.setObjectName("layerStack")
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
        self.setItemDelegateForColumn(LAYER_COLUMN, NestingDelegate(self))
        self.setItemDelegateForColumn(SETTINGS_COLUMN, MarksDelegate(self))
        self.itemSelectionChanged.connect(self._on_selection_changed)
        self._last_row = -1
        self._shown: tuple[ModelSpec, Inference] | None = None
        self._rows: list[Row] = []
        self._closed: set[Path] = set()  # the blocks shown closed
        theme.follow(self, self._restyle)
        i18n.follow(self, LayerStack.retranslate)

    def retranslate(self) -> None:
        """The headers and every row's texts in the window's language."""
        self.setAccessibleName(translate("LayerStack", "Layer stack"))
        self.setHorizontalHeaderLabels([translate("LayerStack", column) for column in COLUMNS])
        if self._shown is not None:
            self.show_spec(*self._shown)

    # ----- showing the spec ---------------------------------------------------------------------

    def show_spec(self, spec: ModelSpec, inference: Inference, focus: Path | None = None) -> None:
        """Show `spec`; select the layer at `focus` (opening the blocks around it), else keep the selected
        layer or header where it still exists, else the same row number."""
        old = self.row_at(self.current_layer_row())
        row_number = self.current_layer_row()
        self._closed = {path for path in self._closed if tree.exists(spec, path) and tree.layer_at(spec, path).is_block}
        if focus is not None:
            self._closed -= {focus[:depth] for depth in range(1, len(focus), 2)}
        self._shown = (spec, inference)
        self._rows = stack_rows.rows_of(spec, self._closed)
        self.blockSignals(True)
        self.setRowCount(len(self._rows))
        for index, cells in enumerate(row_cells(spec, self._rows, inference)):
            self._fill_row(index, self._rows[index], cells, spec)
        self.blockSignals(False)
        wanted = Row(focus, 0) if focus is not None else old
        found = self._find(wanted) if wanted is not None else -1
        if found < 0 and row_number >= 0:
            found = min(row_number, len(self._rows) - 1)
        self.select_row(found)

    def _find(self, wanted: Row) -> int:
        return next(
            (i for i, row in enumerate(self._rows) if row.path == wanted.path and row.branch == wanted.branch), -1
        )

    def _fill_row(self, index: int, row: Row, cells: Cells, spec: ModelSpec) -> None:
        for column, text in enumerate(cells.texts):
            item = QTableWidgetItem(text)
            flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            item.setFlags(flags if row.is_header else flags | Qt.ItemFlag.ItemIsDragEnabled)
            if column in (0, 3, 4):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.setItem(index, column, item)
        layer_item = self.item(index, LAYER_COLUMN)
        layer_item.setData(DEPTH_ROLE, row.depth)
        layer_item.setData(OPEN_ROLE, (row.path not in self._closed) if row.is_block else None)
        if row.is_header:
            font = layer_item.font()
            font.setItalic(True)
            for column in range(self.columnCount()):
                self.item(index, column).setFont(font)
        else:
            layer_item.setIcon(layer_icon(cells.texts[LAYER_COLUMN]))
        self._mark(index, cells)
        if not row.is_header:
            self._show_marks(index, tree.layer_at(spec, row.path))

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

    def _mark(self, index: int, cells: Cells) -> None:
        """Red for the layer that cannot work; the error's colour for the blocks holding it; grey for the rows
        after it (their shapes are unknown)."""
        t = theme.current()
        for column in range(self.columnCount()):
            item = self.item(index, column)
            if cells.state == FAILING:
                item.setBackground(QBrush(QColor(t.error_background)))
                item.setForeground(QBrush(QColor(t.error)))
            elif cells.state == ERROR and column == 3:
                item.setForeground(QBrush(QColor(t.error)))
            elif cells.state == UNREACHED:
                item.setForeground(self.palette().placeholderText())
            item.setToolTip(cells.tip or item.text())

    def is_error_row(self, row: int) -> bool:
        item = self.item(row, 3)
        return item is not None and item.background().color() == QColor(theme.current().error_background)

    def _restyle(self, _theme) -> None:
        """The failing row's red and the greyed rows after it, in the new theme's colours."""
        if self._shown is not None:
            self.show_spec(*self._shown)

    # ----- rows, blocks open and closed -------------------------------------------------------------

    def row_at(self, index: int) -> Row | None:
        """What display row `index` shows (None outside the rows)."""
        return self._rows[index] if 0 <= index < len(self._rows) else None

    def row_of(self, path: Path) -> int:
        """The display row of the layer at `path`; -1 when it is not shown (a closed block hides it)."""
        return self._find(Row(tuple(path), 0))

    def current_path(self) -> Path | None:
        """The selected layer's path (None for nothing or a branch header)."""
        row = self.row_at(self.current_layer_row())
        return None if row is None else row.layer_path

    def is_open(self, path: Path) -> bool:
        return tuple(path) not in self._closed

    def set_open(self, path: Path, is_open: bool) -> None:
        """Open or close the block at `path`; the selection stays on its row when it was inside."""
        path = tuple(path)
        if self.is_open(path) == is_open or self._shown is None:
            return
        selected = self.row_at(self.current_layer_row())
        self._closed.symmetric_difference_update({path})
        inside = selected is not None and stack_rows.inside(selected.path, path) and selected != Row(path, 0)
        self.show_spec(*self._shown, focus=None)
        if inside:
            self.select_row(self.row_of(path))

    def select_path(self, path: Path | None) -> None:
        """Select the layer at `path`, opening the blocks around it."""
        if path is None or self._shown is None:
            self.select_row(-1)
            return
        self.show_spec(*self._shown, focus=tuple(path))

    def mousePressEvent(self, event) -> None:
        pos = event.position().toPoint()
        index = self.indexAt(pos)
        row = self.row_at(index.row()) if index.isValid() else None
        on_block = row is not None and row.is_block and index.column() == LAYER_COLUMN
        if on_block and triangle_rect(self.visualRect(index), row.depth).contains(pos):
            self.set_open(row.path, not self.is_open(row.path))
            return
        super().mousePressEvent(event)

    # ----- selection ---------------------------------------------------------------------------

    def current_layer_row(self) -> int:
        rows = self.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def select_row(self, row: int) -> None:
        if 0 <= row < self.rowCount():
            self.selectRow(row)
            self.setCurrentCell(row, LAYER_COLUMN)
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
        row = self.row_at(items[0].row()) if items else None
        if row is not None and not row.is_header:
            data.setData(ROW_MIME, path_payload(row.path))
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
        target = self.drop_path(event.position().toPoint())
        if data.hasFormat(LAYER_MIME):
            self.insert_requested.emit(target, bytes(data.data(LAYER_MIME)).decode())
        elif data.hasFormat(ROW_MIME):
            source = parse_payload(bytes(data.data(ROW_MIME)).decode())
            if len(target) > len(source) and stack_rows.inside(target, source):
                event.ignore()  # a block cannot go into itself
                return
            final = stack_rows.final_path(source, target)
            if final != source:
                self.move_requested.emit(source, final)
        else:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.CopyAction)  # the stack redraws itself; Qt must not remove rows
        event.accept()

    def drop_path(self, pos: QPoint) -> Path:
        """The insertion path a drop at `pos` (viewport coordinates) means: above a row's middle is before it,
        below is after it; the middle half of a block's row is into it, a branch header into its branch; empty
        space below the last row is the model's end."""
        index = self.rowAt(pos.y())
        if index < 0:
            return (len(self._shown[0].layers),) if self._shown else (0,)
        rect = self.visualRect(self.model().index(index, 0))
        offset = (pos.y() - rect.top()) / max(1, rect.height())
        if self._rows[index].is_block:
            zone = ABOVE if offset < 0.25 else (BELOW if offset > 0.75 else INTO)
        else:
            zone = BELOW if pos.y() > rect.center().y() else ABOVE
        return stack_rows.drop_path(self._shown[0], self._rows, index, zone, self._closed)

    @staticmethod
    def _understands(data: QMimeData) -> bool:
        return data.hasFormat(LAYER_MIME) or data.hasFormat(ROW_MIME)

    # ----- keyboard and context menu ---------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        row = self.row_at(self.current_layer_row())
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        key = event.key()
        if row is None:
            super().keyPressEvent(event)
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self._delete(row)
        elif ctrl and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self._step(row, up=key == Qt.Key.Key_Up)
        elif ctrl and key == Qt.Key.Key_D and not row.is_header:
            self.duplicate_requested.emit(row.path)
        elif row.is_block and key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and not ctrl:
            self.set_open(row.path, key == Qt.Key.Key_Right)
        else:
            super().keyPressEvent(event)

    def _delete(self, row: Row) -> None:
        """Del removes the layer, or on a branch header the branch (a Concat keeps at least one)."""
        if not row.is_header:
            self.remove_requested.emit(row.path)
        elif len(tree.layer_at(self._shown[0], row.path).branches) > 1:
            self.branch_remove_requested.emit(row.path, row.branch)

    def _step(self, row: Row, up: bool) -> None:
        """Ctrl+↑/↓: one place up or down in its stack; from a block's top or bottom, out of the block."""
        if row.is_header:
            return
        target = stack_rows.step_up(row.path) if up else stack_rows.step_down(self._shown[0], row.path)
        if target is not None:
            self.move_requested.emit(row.path, target)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        self.build_context_menu(self.rowAt(event.pos().y())).exec(event.globalPos())

    def build_context_menu(self, row: int) -> QMenu:
        menu = QMenu(self)
        self.fill_menu(menu, row)
        return menu

    def fill_menu(self, menu: QMenu, row: int) -> None:
        """The layer actions for display row `row` (-1: none selected), for the context menu and Edit ▸ Layer."""
        shown = self.row_at(row)
        title = (
            translate("LayerStack", "Add layer after") if shown is not None else translate("LayerStack", "Add layer")
        )
        if shown is not None and shown.is_header:
            title = translate("LayerStack", "Add layer to branch {number}").format(number=shown.branch + 1)
        position = stack_rows.add_position(self._shown[0], shown) if self._shown else (0,)
        add = menu.addMenu(title)
        for group, layers in by_group().items():
            sub = add.addMenu(group_name(group))
            for layer in layers:
                action = sub.addAction(layer_icon(layer.name), layer.name)
                action.triggered.connect(lambda _=False, n=layer.name: self.insert_requested.emit(position, n))
        if shown is None:
            return
        self.select_row(row)
        if shown.is_header:
            self._fill_branch_menu(menu, shown)
        else:
            self._fill_layer_menu(menu, shown)

    def _fill_layer_menu(self, menu: QMenu, row: Row) -> None:
        spec, path = self._shown[0], row.path
        menu.addSeparator()
        self._add(menu, translate("LayerStack", "Duplicate"), "Ctrl+D", lambda: self.duplicate_requested.emit(path))
        up, down = stack_rows.step_up(path), stack_rows.step_down(spec, path)
        move_up, move_down = translate("LayerStack", "Move up"), translate("LayerStack", "Move down")
        self._add(menu, move_up, "Ctrl+↑", lambda: self.move_requested.emit(path, up), up is not None)
        self._add(menu, move_down, "Ctrl+↓", lambda: self.move_requested.emit(path, down), down is not None)
        self._add(menu, translate("LayerStack", "Delete"), "Del", lambda: self.remove_requested.emit(path))
        layer = tree.layer_at(spec, path)
        if layer.is_block:
            menu.addSeparator()
            is_open = self.is_open(path)
            self._add(
                menu,
                translate("LayerStack", "Close block") if is_open else translate("LayerStack", "Open block"),
                "←" if is_open else "→",
                lambda: self.set_open(path, not is_open),
            )
            if layer.type == CONCAT:
                branch = menu.addAction(
                    translate("LayerStack", "Add branch"), lambda: self.branch_add_requested.emit(path)
                )
                branch.setObjectName("addBranchAction")
        menu.addSeparator()
        explore = menu.addAction(translate("LayerStack", "Explore this layer in the Learn tab"))
        explore.setObjectName("exploreLayerAction")
        explore.setEnabled(layer.type in EXPLORABLE)
        explore.triggered.connect(lambda: self.explore_requested.emit(path))

    def _fill_branch_menu(self, menu: QMenu, row: Row) -> None:
        block = tree.layer_at(self._shown[0], row.path)
        menu.addSeparator()
        menu.addAction(
            translate("LayerStack", "Add branch"), lambda: self.branch_add_requested.emit(row.path)
        ).setObjectName("addBranchAction")
        remove = self._add(
            menu,
            translate("LayerStack", "Remove branch {number}").format(number=row.branch + 1),
            "Del",
            lambda: self.branch_remove_requested.emit(row.path, row.branch),
            len(block.branches) > 1,
        )
        remove.setObjectName("removeBranchAction")

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
