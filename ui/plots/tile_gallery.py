"""A dialog of image tiles under a caption, in a scrolling grid: the hard-example and my-digits galleries."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from ui import i18n
from ui.i18n import translate
from ui.widgets import Text, set_text


class TileGallery(QDialog):
    """`title` (a rich-text caption) over `grid` (tiles `columns` across); `clear_tiles()` empties it."""

    def __init__(self, name: str, window_title: Text, columns: int, parent: QWidget | None = None) -> None:
        """`window_title`: a text, or a lambda around `translate(…)` that follows the window's language."""
        super().__init__(parent)
        self.setObjectName(name)
        set_text(self, "setWindowTitle", window_title)
        self.columns = columns
        self.title = QLabel()
        self.title.setObjectName(f"{name}Title")
        self.title.setWordWrap(True)
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        scroll = self.scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.grid_host)
        buttons = QDialogButtonBox()
        close = buttons.addButton("", QDialogButtonBox.ButtonRole.RejectRole)  # not a standard one: ours is translated
        i18n.keep(close, "setText", lambda: translate("TileGallery", "Close"))
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)

    def clear_tiles(self) -> None:
        while self.grid.count():
            widget = self.grid.takeAt(0).widget()
            if widget is not None:
                widget.hide()  # gone from sight now, deleted later
                widget.deleteLater()

    def add_tile(self, slot: int, tile: QWidget) -> None:
        self.grid.addWidget(tile, slot // self.columns, slot % self.columns)
