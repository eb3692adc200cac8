"""The layer palette: every catalog layer grouped by kind, to drag into the stack (or Enter /
double-click to add after the current row). F1 or the context menu's "About …" opens Help ▸ About
layers on the layer."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QContextMenuEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QMenu, QTreeWidget, QTreeWidgetItem, QWidget

from ui import i18n
from ui.help_dialog import group_name, open_about_layers
from ui.i18n import translate
from ui.style import layer_icon
from workbench.model.catalog import by_group, layer_texts

LAYER_MIME = "application/x-cnn-workbench-layer"
TYPE_ROLE = Qt.ItemDataRole.UserRole
GROUP_ROLE = Qt.ItemDataRole.UserRole + 1  # a heading's catalog group ("Convolution")


class LayerPalette(QTreeWidget):
    add_requested = Signal(str)  # layer type name

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("layerPalette")
        self.setHeaderHidden(True)
        self.setIndentation(12)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._populate()
        self.itemDoubleClicked.connect(self._on_item_double_clicked)
        i18n.follow(self, LayerPalette.retranslate)

    def retranslate(self) -> None:
        """The groups' names and the layers' tooltips in the window's language (the layers' names stay)."""
        self.setAccessibleName(translate("LayerPalette", "Layer palette"))
        language = i18n.current()
        for index in range(self.topLevelItemCount()):
            heading = self.topLevelItem(index)
            heading.setText(0, group_name(heading.data(0, GROUP_ROLE)))
            for row in range(heading.childCount()):
                item = heading.child(row)
                name = item.data(0, TYPE_ROLE)
                item.setToolTip(0, f"<b>{name}</b><br>{layer_texts(name, language).tooltip}")

    def _populate(self) -> None:
        for group, layers in by_group().items():
            heading = QTreeWidgetItem(self, [group])
            heading.setData(0, GROUP_ROLE, group)
            heading.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = heading.font(0)
            font.setBold(True)
            heading.setFont(0, font)
            for layer in layers:
                item = QTreeWidgetItem(heading, [layer.name])
                item.setIcon(0, layer_icon(layer.name))
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

    def help_topic(self) -> str | None:
        """The layer Help ▸ About layers opens on when F1 is pressed in the palette."""
        return self.selected_type()

    def context_menu(self, type_name: str) -> QMenu:
        menu = QMenu(self)
        add = self.tr("Add {type}").format(type=type_name)
        menu.addAction(layer_icon(type_name), add, lambda: self.add_requested.emit(type_name))
        about = self.tr("About {type}").format(type=type_name)
        about = menu.addAction(about, lambda: open_about_layers(self.window(), type_name))
        about.setObjectName("paletteAboutAction")
        about.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))  # shown only: F1 works anyway
        return menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        item = self.itemAt(event.pos())
        type_name = item.data(0, TYPE_ROLE) if item is not None else None
        if type_name:
            self.setCurrentItem(item)
            self.context_menu(type_name).exec(event.globalPos())

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
        if event.matches(QKeySequence.StandardKey.HelpContents) and self.selected_type():
            open_about_layers(self.window(), self.selected_type())  # a window without a Help menu
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
