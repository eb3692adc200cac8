"""The images behind a confusion-matrix cell, most doubtful first, each with its softmax bars; any one
can be pinned as the probe the Train tab follows through every layer."""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import (
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui import i18n
from ui.i18n import translate
from ui.plots.misclassified import thumbnail
from ui.plots.tile_gallery import TileGallery
from workbench.insight.hard_examples import HardExamples

MAX_SHOWN = 60
COLUMNS = 6
TRUE_COLOUR, PREDICTED_COLOUR, OTHER_COLOUR = QColor("#2e9d4f"), QColor("#e07b39"), QColor("#8a8f98")


def bars_pixmap(probabilities: np.ndarray, true: int, predicted: int, width: int = 84, height: int = 36) -> QPixmap:
    """Small softmax bars: the true class green, the prediction orange (one bar in orange when they agree)."""
    pixmap = QPixmap(width, height)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    count = max(1, len(probabilities))
    slot = width / count
    for k, p in enumerate(probabilities):
        colour = PREDICTED_COLOUR if k == predicted else TRUE_COLOUR if k == true else OTHER_COLOUR
        bar = max(1.0, float(p) * (height - 1))
        painter.fillRect(QRectF(k * slot + 1, height - bar, max(1.0, slot - 2), bar), colour)
    painter.end()
    return pixmap


class HardExamplesDialog(TileGallery):
    """`show_examples(cell, images, class_names)`; `pin_requested(index)` asks to pin split image `index`."""

    pin_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("hardExamples", lambda: translate("HardExamplesDialog", "Hard examples"), COLUMNS, parent)
        self.resize(720, 560)
        self.cell: HardExamples | None = None
        self._shown: tuple[np.ndarray, Sequence[str]] | None = None  # the images and class names of `cell`
        self.pin_buttons: list[QPushButton] = []
        i18n.follow(self, lambda dialog: dialog.retranslate())

    def retranslate(self) -> None:
        """The caption and tiles in the window's language."""
        self.setAccessibleName(translate("HardExamplesDialog", "Hard examples"))
        self.scroll.setAccessibleName(translate("HardExamplesDialog", "Images of the chosen cell"))
        if self.cell is not None and self._shown is not None:
            self.show_examples(self.cell, *self._shown)

    def show_examples(self, cell: HardExamples, images: np.ndarray, class_names: Sequence[str]) -> None:
        """`images`: the split's uint8 (N, C, H, W); the cell's indices point into it."""
        self.cell, self._shown = cell, (images, class_names)
        name = lambda k: html.escape(class_names[k]) if k < len(class_names) else str(k)  # noqa: E731
        values = {"true": name(cell.true), "predicted": name(cell.predicted), "count": f"{len(cell):,}"}
        if len(cell) == 0:
            text = translate(
                "HardExamplesDialog",
                "No validation image is true <b>{true}</b> read as <b>{predicted}</b> with the current weights.",
            )
        elif len(cell) > MAX_SHOWN:
            text = translate(
                "HardExamplesDialog",
                "{count} validation images true <b>{true}</b> read as <b>{predicted}</b>, the first {shown} shown, "
                "the most doubtful first (smallest gap between the top two probabilities). "
                "Pin one to follow it through every layer.",
            )
        else:
            text = translate(
                "HardExamplesDialog",
                "{count} validation images true <b>{true}</b> read as <b>{predicted}</b>, the most doubtful first "
                "(smallest gap between the top two probabilities). Pin one to follow it through every layer.",
            )
        self.title.setText(text.format(shown=MAX_SHOWN, **values))
        self._fill(cell, images)

    def _fill(self, cell: HardExamples, images: np.ndarray) -> None:
        self.clear_tiles()
        self.pin_buttons = []
        for slot, index in enumerate(cell.indices[:MAX_SHOWN]):
            self.add_tile(slot, self._tile(cell, slot, int(index), images[index]))

    def _tile(self, cell: HardExamples, slot: int, index: int, image: np.ndarray) -> QWidget:
        tile = QWidget()
        tile.setObjectName("hardExample")
        tile.setFixedWidth(104)
        layout = QVBoxLayout(tile)
        layout.setContentsMargins(2, 2, 2, 2)
        picture = QLabel()
        picture.setPixmap(thumbnail(np.asarray(image)))
        picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        bars = QLabel()
        bars.setPixmap(bars_pixmap(cell.probabilities[slot], cell.true, cell.predicted))
        bars.setAlignment(Qt.AlignmentFlag.AlignCenter)
        p = cell.probabilities[slot][cell.predicted]
        figures = translate("HardExamplesDialog", "#{index}\np {probability} · gap {gap}")
        text = QLabel(figures.format(index=index, probability=f"{p:.2f}", gap=f"{cell.margins[slot]:.2f}"))
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        pin = QPushButton(translate("HardExamplesDialog", "Pin"))
        tip = translate(
            "HardExamplesDialog",
            "Pin validation image #{index} as the probe: follow it through every layer on the Train tab",
        )
        pin.setToolTip(tip.format(index=index))
        pin.clicked.connect(lambda _=False, i=index: self.pin_requested.emit(i))
        self.pin_buttons.append(pin)
        for widget in (picture, bars, text, pin):
            layout.addWidget(widget)
        return tile
