"""The layer palette: every catalog layer grouped by kind, to drag into the stack (or Enter /
double-click to add after the current row)."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem, QWidget

from ui.style import layer_icon
from workbench.model.catalog import by_group

LAYER_MIME = "application/x-cnn-workbench-layer"
TYPE_ROLE = Qt.ItemDataRole.UserRole


class LayerPalette(QTreeWidget):
    add_requested = Signal(str)  # layer type name

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("layerPalette")
        self.setAccessibleName("layerPalette")
        self.setHeaderHidden(True)
        self.setIndentation(12)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._populate()
        self.itemDoubleClicked.connect(self._on_item_double_clicked)

    def _populate(self) -> None:
        for group, layers in by_group().items():
            heading = QTreeWidgetItem(self, [group])
            heading.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = heading.font(0)
            font.setBold(True)
            heading.setFont(0, font)
            for layer in layers:
                item = QTreeWidgetItem(heading, [layer.name])
                item.setIcon(0, layer_icon(layer.name))
                item.setToolTip(0, f"<b>{layer.name}</b><br>{layer.tooltip}")
                item.setData(0, TYPE_ROLE, layer.name)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled)
        self.expandAll()

    def item_for(self, type_name: str) -> QTreeWidgetItem:
        for item in self.findItems(type_name, Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive):
            if item.data(0, TYPE_ROLE) == type_name:
                return item
        raise KeyError(type_name)

    def selected_type(self) -> str | None:
        item = self.currentItem()
        return item.data(0, TYPE_ROLE) if item is not None else None

    def mimeTypes(self) -> list[str]:
        return [LAYER_MIME]

    def mimeData(self, items: list[QTreeWidgetItem]) -> QMimeData:
        data = QMimeData()
        names = [item.data(0, TYPE_ROLE) for item in items if item.data(0, TYPE_ROLE)]
        if names:
            data.setData(LAYER_MIME, names[0].encode())
            data.setText(names[0])
        return data

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.selected_type():
            self.add_requested.emit(self.selected_type())
            return
        super().keyPressEvent(event)

    def _on_item_double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        if item.data(0, TYPE_ROLE):
            self.add_requested.emit(item.data(0, TYPE_ROLE))


if __name__ == "__main__":
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    palette = LayerPalette()
    palette.add_requested.connect(lambda name: print("add", name))
    palette.resize(240, 640)
    palette.show()
    app.exec()
