"""The gallery of the user's filed digits: each drawing with its label, what the model reads now and, after
a Teach, what it read before; any one can be deleted."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui import i18n, theme
from ui.i18n import translate
from ui.plots.hard_examples import bars_pixmap
from ui.plots.misclassified import thumbnail
from ui.plots.tile_gallery import TileGallery
from workbench.data.my_digits import DigitEntry

COLUMNS = 6
EMPTY = QT_TRANSLATE_NOOP(
    "MyDigitsDialog",
    "No digits filed yet. When the model misreads a drawing, choose what it really is under "
    "“It's really a” and press File it; Teach then trains the model on them.",
)

Reading = Callable[[np.ndarray], np.ndarray]  # image (C, H, W) in [0, 1] → softmax (K,)


class MyDigitsDialog(TileGallery):
    """`show_digits(entries, class_names, read, before)`: `read(image)` gives the model's softmax now;
    `before` maps entry ids to the softmax before the last Teach. `delete_requested(id)`."""

    delete_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("myDigits", lambda: translate("MyDigitsDialog", "My digits"), COLUMNS, parent)
        self.resize(780, 600)  # six tiles across without a sideways scroll bar
        self.delete_buttons: dict[str, QPushButton] = {}
        self.captions: dict[str, QLabel] = {}
        self._shown: tuple | None = None  # what `show_digits` was given last, to show again in a new language
        i18n.follow(self, MyDigitsDialog.retranslate)

    def retranslate(self) -> None:
        if self._shown is None:
            self.title.setText(translate("MyDigitsDialog", EMPTY))
        else:
            self.show_digits(*self._shown)

    def show_digits(
        self,
        entries: Sequence[DigitEntry],
        class_names: Sequence[str],
        read: Reading | None,
        before: dict[str, np.ndarray] | None = None,
    ) -> None:
        before = before or {}
        self._shown = (entries, class_names, read, before)
        name = lambda k: html.escape(class_names[k]) if k < len(class_names) else str(k)  # noqa: E731
        readings = {e.id: read(e.image) for e in entries} if read is not None else {}
        right = sum(int(np.argmax(p)) == e.label for e in entries if (p := readings.get(e.id)) is not None)
        if not entries:
            self.title.setText(translate("MyDigitsDialog", EMPTY))
        else:
            was = [e for e in entries if e.id in before]
            then = sum(int(np.argmax(before[e.id])) == e.label for e in was)
            self.title.setText(_title(len(entries), right if readings else None, (then, len(was)) if was else None))
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
        delete = QPushButton(translate("MyDigitsDialog", "Delete"))
        delete.setAccessibleName(translate("MyDigitsDialog", "Delete this digit"))
        delete.setToolTip(translate("MyDigitsDialog", "Remove this drawing from my digits"))
        delete.clicked.connect(lambda _=False, i=entry.id: self.delete_requested.emit(i))
        self.delete_buttons[entry.id] = delete
        layout.addWidget(caption)
        layout.addWidget(delete)
        return tile


def _title(filed: int, right: int | None, taught: tuple[int, int] | None) -> str:
    """How many digits are filed, how many the model reads right now and before the last Teach."""
    text = translate("MyDigitsDialog", "<b>{count} digit(s) filed</b>").format(count=filed)
    if right is not None:
        text += translate("MyDigitsDialog", " · the model reads {right} of {count} right now").format(
            right=right, count=filed
        )
    if taught is not None:
        text += translate("MyDigitsDialog", " (before the last Teach: {right} of {count})").format(
            right=taught[0], count=taught[1]
        )
    return text


def _caption(label: int, name, now: np.ndarray | None, then: np.ndarray | None) -> str:
    t = theme.current()

    def read_as(p: np.ndarray) -> str:
        k = int(np.argmax(p))
        colour = t.green if k == label else t.orange
        return f"<span style='color:{colour}'><b>{name(k)}</b></span>"

    lines = [translate("MyDigitsDialog", "it's a <b>{name}</b>").format(name=name(label))]
    if now is None:
        pass
    elif then is None:
        lines.append(translate("MyDigitsDialog", "read as {name}").format(name=read_as(now)))
    else:
        lines.append(
            translate("MyDigitsDialog", "was {before} → now {after}").format(before=read_as(then), after=read_as(now))
        )
    return "<br>".join(lines)
