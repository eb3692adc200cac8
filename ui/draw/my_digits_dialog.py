"""The gallery of the user's filed digits: each drawing with its label, what the model reads now and, after
a Teach, what it read before; any one can be deleted."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui import theme
from ui.plots.hard_examples import bars_pixmap
from ui.plots.misclassified import thumbnail
from ui.plots.tile_gallery import TileGallery
from workbench.data.my_digits import DigitEntry

COLUMNS = 6
EMPTY = (
    "No digits filed yet. When the model misreads a drawing, choose what it really is under "
    "“It's really a” and press File it; Teach then trains the model on them."
)

Reading = Callable[[np.ndarray], np.ndarray]  # image (C, H, W) in [0, 1] → softmax (K,)


class MyDigitsDialog(TileGallery):
    """`show_digits(entries, class_names, read, before)`: `read(image)` gives the model's softmax now;
    `before` maps entry ids to the softmax before the last Teach. `delete_requested(id)`."""

    delete_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("myDigits", "My digits", COLUMNS, parent)
        self.resize(780, 600)  # six tiles across without a sideways scroll bar
        self.delete_buttons: dict[str, QPushButton] = {}
        self.captions: dict[str, QLabel] = {}

    def show_digits(
        self,
        entries: Sequence[DigitEntry],
        class_names: Sequence[str],
        read: Reading | None,
        before: dict[str, np.ndarray] | None = None,
    ) -> None:
        before = before or {}
        name = lambda k: html.escape(class_names[k]) if k < len(class_names) else str(k)  # noqa: E731
        readings = {e.id: read(e.image) for e in entries} if read is not None else {}
        right = sum(int(np.argmax(p)) == e.label for e in entries if (p := readings.get(e.id)) is not None)
        if not entries:
            self.title.setText(EMPTY)
        else:
            now = f" · the model reads {right} of {len(entries)} right now" if readings else ""
            was = [e for e in entries if e.id in before]
            then = sum(int(np.argmax(before[e.id])) == e.label for e in was)
            taught = f" (before the last Teach: {then} of {len(was)})" if was else ""
            self.title.setText(f"<b>{len(entries)} digit(s) filed</b>{now}{taught}")
        self.clear_tiles()
        self.delete_buttons, self.captions = {}, {}
        for slot, entry in enumerate(entries):
            self.add_tile(slot, self._tile(entry, name, readings.get(entry.id), before.get(entry.id)))

    def _tile(self, entry: DigitEntry, name, now: np.ndarray | None, then: np.ndarray | None) -> QWidget:
        tile = QWidget()
        tile.setObjectName("myDigit")
        tile.setFixedWidth(108)
        layout = QVBoxLayout(tile)
        layout.setContentsMargins(2, 2, 2, 2)
        picture = QLabel()
        picture.setPixmap(thumbnail(entry.image))
        picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(picture)
        if now is not None:
            bars = QLabel()
            read = int(np.argmax(now))
            bars.setPixmap(bars_pixmap(now, entry.label, read if read != entry.label else -1))  # right: green
            bars.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(bars)
        caption = QLabel(_caption(entry.label, name, now, then))
        caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        caption.setTextFormat(Qt.TextFormat.RichText)
        self.captions[entry.id] = caption
        delete = QPushButton("Delete")
        delete.setToolTip("Remove this drawing from my digits")
        delete.clicked.connect(lambda _=False, i=entry.id: self.delete_requested.emit(i))
        self.delete_buttons[entry.id] = delete
        layout.addWidget(caption)
        layout.addWidget(delete)
        return tile


def _caption(label: int, name, now: np.ndarray | None, then: np.ndarray | None) -> str:
    t = theme.current()

    def read_as(p: np.ndarray) -> str:
        k = int(np.argmax(p))
        colour = t.green if k == label else t.orange
        return f"<span style='color:{colour}'><b>{name(k)}</b></span>"

    lines = [f"it's a <b>{name(label)}</b>"]
    if now is not None:
        lines.append(f"read as {read_as(now)}" if then is None else f"was {read_as(then)} → now {read_as(now)}")
    return "<br>".join(lines)
