"""The validation confusion matrix as a heatmap: rows are the true class, columns the predicted one."""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QCheckBox, QGraphicsRectItem, QLabel, QWidget

from ui import i18n
from ui.i18n import translate
from ui.plots.common import (
    Refresher,
    abbreviate,
    add_menu_actions,
    colorbar,
    header_bar,
    placeholder,
    shrinkable,
    stacked_panel,
    style_plot,
    themed_plot_widget,
)

MAX_TEXT_CLASSES = 20  # counts are written in the cells up to this many classes
CHAR_PX = 6.5
NO_EPOCH = QT_TRANSLATE_NOOP("ConfusionMatrixView", "Confusion matrix — no epoch yet")
# Counts on viridis cells (the same in both themes): dark on its yellow end, light elsewhere, grey for 0.
DARK_ON_CELL, LIGHT_ON_CELL, ZERO_ON_CELL = "#111111", "#ffffff", "#8d959f"
SELECTED_ROW = "#ff2d78"  # the outline of a chosen true-class row: seen on every viridis colour, in both themes


def row_normalised(matrix: np.ndarray) -> np.ndarray:
    """Each row divided by its sum (the fraction of each true class predicted as each class); empty rows 0."""
    matrix = np.asarray(matrix, dtype=np.float64)
    sums = matrix.sum(axis=1, keepdims=True)
    return np.divide(matrix, sums, out=np.zeros_like(matrix), where=sums > 0)


def accuracy(matrix: np.ndarray) -> float:
    total = float(np.sum(matrix))
    return float(np.trace(matrix)) / total if total else 0.0


class ConfusionMatrixView(QWidget):
    """`show_confusion(matrix, class_names, epoch)`, `reset()`. Colour = count, or the fraction of the row
    with "Row-normalised"; counts are written in the cells for ≤ 20 classes when they fit; hover a cell
    for details; click one to list its images (`cell_clicked(true, predicted)`); `select_row(true)` outlines
    one true class's row (the per-class table's choice)."""

    cell_clicked = Signal(int, int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("confusionMatrix")
        self._matrix: np.ndarray | None = None
        self._names: tuple[str, ...] = ()
        self._epoch = 0
        self._texts: list[pg.TextItem] = []
        self.selected_row: int | None = None
        self.refresher = Refresher(self, self._redraw)

        bar, header = header_bar()
        self.title_label = shrinkable(QLabel())
        self.title_label.setObjectName("confusionTitle")
        self.normalise_check = QCheckBox()
        self.normalise_check.setObjectName("confusionRowNormalised")
        self.normalise_check.toggled.connect(self.refresher.mark)
        header.addWidget(self.title_label, 1)
        header.addWidget(self.normalise_check)
        self.plot = themed_plot_widget()
        self.placeholder = placeholder("")
        self.stack = stacked_panel(self, bar, self.placeholder, self.plot)  # not empty axes before a matrix

        item = self.plot.plotItem
        style_plot(
            item,
            lambda: translate("ConfusionMatrixView", "predicted"),
            lambda: translate("ConfusionMatrixView", "true"),
            grid=False,
        )
        item.invertY(True)
        item.setAspectLocked(True)
        item.hideButtons()
        self.image_item = pg.ImageItem(axisOrder="row-major")
        item.addItem(self.image_item)
        self.colorbar = colorbar("viridis", "", self.plot)
        self.colorbar.setImageItem(self.image_item, insert_in=item)
        self.row_outline = QGraphicsRectItem()
        self.row_outline.setPen(pg.mkPen(SELECTED_ROW, width=3))
        self.row_outline.setZValue(10)  # over the cells and their counts
        self.row_outline.hide()
        item.addItem(self.row_outline, ignoreBounds=True)
        view = item.getViewBox()
        add_menu_actions(view, None)
        view.sigResized.connect(self._layout_texts)
        view.sigRangeChanged.connect(self._layout_texts)
        self.plot.scene().sigMouseMoved.connect(self._hover)
        self.plot.scene().sigMouseClicked.connect(self._click)
        i18n.follow(self, lambda view: view.retranslate())

    def retranslate(self) -> None:
        """The texts in the window's language, the title and colour bar of the matrix shown too."""
        self.setAccessibleName(translate("ConfusionMatrixView", "Confusion matrix"))
        self.setAccessibleDescription(
            translate("ConfusionMatrixView", "Confusion matrix of the validation split: true class by predicted class")
        )
        self.normalise_check.setText(translate("ConfusionMatrixView", "Row-normalised"))
        self.normalise_check.setToolTip(
            translate("ConfusionMatrixView", "Colour by the fraction of each true class (row) instead of raw counts")
        )
        self.placeholder.setText(
            translate(
                "ConfusionMatrixView", "The confusion matrix of the validation images appears after the first epoch"
            )
        )
        self.plot.setToolTip("")  # the next hover writes it again
        self._label_texts()

    # ----- data ---------------------------------------------------------------------------------------------

    def show_confusion(self, matrix: np.ndarray, class_names: Sequence[str], epoch: int) -> None:
        matrix = np.asarray(matrix)
        if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
            raise ValueError(f"a confusion matrix is K×K, got {matrix.shape}")
        self._matrix, self._epoch = matrix.copy(), int(epoch)
        count = matrix.shape[0]
        names = tuple(str(n) for n in class_names)
        self._names = names if len(names) == count else tuple(str(i) for i in range(count))
        self.refresher.mark()

    def select_row(self, true: int | None) -> None:
        """Outline the row of true class `true` (None: no row)."""
        self.selected_row = None if true is None else int(true)
        self._place_outline()

    def _place_outline(self) -> None:
        count = 0 if self._matrix is None else self._matrix.shape[0]
        row = self.selected_row
        if row is None or not 0 <= row < count:
            self.row_outline.hide()
            return
        self.row_outline.setRect(0, row, count, 1)
        self.row_outline.show()

    def reset(self) -> None:
        self.refresher.cancel()
        self._matrix = None
        self.selected_row = None
        self.row_outline.hide()
        self.image_item.clear()
        self._set_texts(0)
        self.plot.setToolTip("")
        self._label_texts()
        self.stack.setCurrentWidget(self.placeholder)

    @property
    def displayed(self) -> np.ndarray | None:
        """What the colours show: the counts, or the row-normalised fractions."""
        if self._matrix is None:
            return None
        return row_normalised(self._matrix) if self.normalise_check.isChecked() else self._matrix.astype(np.float64)

    # ----- drawing ------------------------------------------------------------------------------------------

    def _redraw(self) -> None:
        matrix, shown = self._matrix, self.displayed
        if matrix is None or shown is None:
            return
        self.stack.setCurrentWidget(self.plot)
        count = matrix.shape[0]
        normalised = self.normalise_check.isChecked()
        top = 1.0 if normalised else max(1.0, float(shown.max()))
        self.image_item.setImage(shown, levels=(0, top), autoLevels=False)
        self.colorbar.setLevels((0, top))
        self._label_texts()
        self._set_texts(count if count <= MAX_TEXT_CLASSES else 0)
        levels = shown / top
        for index, text in enumerate(self._texts):
            r, c = divmod(index, count)
            value = int(matrix[r, c])
            colour = ZERO_ON_CELL if value == 0 else (DARK_ON_CELL if levels[r, c] > 0.6 else LIGHT_ON_CELL)
            text.setText(str(value), color=colour)
        self._layout_texts()
        self._place_outline()

    def _label_texts(self) -> None:
        """The title (the epoch and accuracy, or no epoch yet) and the colour bar's label."""
        matrix = self._matrix
        if self.normalise_check.isChecked():
            self.colorbar.axis.setLabel(translate("ConfusionMatrixView", "fraction of row"))
        else:
            self.colorbar.axis.setLabel(translate("ConfusionMatrixView", "count"))
        if matrix is None:
            self.title_label.setText(translate("ConfusionMatrixView", NO_EPOCH))
            return
        self.title_label.setText(
            translate("ConfusionMatrixView", "<b>Epoch {epoch}</b> · accuracy {accuracy}% ({right}/{total})").format(
                epoch=self._epoch,
                accuracy=f"{100 * accuracy(matrix):.1f}",
                right=int(np.trace(matrix)),
                total=int(matrix.sum()),
            )
        )

    def _set_texts(self, count: int) -> None:
        if len(self._texts) == count * count:
            return
        for text in self._texts:
            self.plot.plotItem.removeItem(text)
        self._texts = []
        for index in range(count * count):
            r, c = divmod(index, count)
            text = pg.TextItem("", anchor=(0.5, 0.5))
            text.setPos(c + 0.5, r + 0.5)
            self.plot.plotItem.addItem(text)
            self._texts.append(text)

    def _layout_texts(self) -> None:
        """Tick labels abbreviated to the cell size; cell counts sized to fit (hidden when too small)."""
        if self._matrix is None:
            return
        pixel = self.plot.plotItem.getViewBox().viewPixelSize()[0]
        cell_px = 1.0 / pixel if pixel > 0 else 20.0
        digits = len(str(int(self._matrix.max()))) if self._matrix.size else 1
        size = int(min(13.0, cell_px * 0.45, cell_px / (0.62 * digits + 0.5)))
        font = QFont()
        font.setPixelSize(max(size, 1))
        for text in self._texts:
            text.setFont(font)
            text.setVisible(size >= 7)
        chars = int(cell_px / CHAR_PX)
        longest = max((len(name) for name in self._names), default=1)
        if chars >= min(longest, 5):  # names fit (or abbreviate readably) under the columns
            bottom = [(i + 0.5, abbreviate(name, chars)) for i, name in enumerate(self._names)]
            left = [(i + 0.5, abbreviate(name, 14)) for i, name in enumerate(self._names)]
        else:  # too narrow: numbers under the columns, "number name" along the rows
            bottom = [(i + 0.5, str(i)) for i in range(len(self._names))]
            left = [
                (i + 0.5, abbreviate(f"{i} {name}" if name != str(i) else name, 14))
                for i, name in enumerate(self._names)
            ]
        self.plot.plotItem.getAxis("bottom").setTicks([bottom])
        self.plot.plotItem.getAxis("left").setTicks([left])

    def cell_at(self, scene_pos) -> tuple[int, int] | None:
        """(true, predicted) of the cell under a scene position, None outside the matrix."""
        if self._matrix is None:
            return None
        point = self.plot.plotItem.getViewBox().mapSceneToView(scene_pos)
        r, c, count = int(np.floor(point.y())), int(np.floor(point.x())), self._matrix.shape[0]
        return (r, c) if 0 <= r < count and 0 <= c < count else None

    def _click(self, event) -> None:
        cell = self.cell_at(event.scenePos())
        if cell is not None and event.button() == Qt.MouseButton.LeftButton:
            event.accept()
            self.cell_clicked.emit(*cell)

    def _hover(self, scene_pos) -> None:
        cell = self.cell_at(scene_pos)
        if cell is None:
            self.plot.setToolTip("")
            return
        r, c = cell
        value, row_sum = int(self._matrix[r, c]), int(self._matrix[r].sum())
        true_name, predicted_name = html.escape(self._names[r]), html.escape(self._names[c])
        if row_sum:
            text = translate(
                "ConfusionMatrixView",
                "true <b>{true}</b> → predicted <b>{predicted}</b>: {count} ({share}% of true {true})"
                "<br>Click to see these images",
            )
        else:
            text = translate(
                "ConfusionMatrixView",
                "true <b>{true}</b> → predicted <b>{predicted}</b>: {count}<br>Click to see these images",
            )
        share = f"{100 * value / row_sum:.1f}" if row_sum else ""
        self.plot.setToolTip(text.format(true=true_name, predicted=predicted_name, count=value, share=share))


if __name__ == "__main__":
    import sys

    from ui.plots.common import demo_app, run_demo

    app = demo_app()
    view = ConfusionMatrixView()
    classes = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    names = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
    names = names if classes == 10 else [f"class {i}" for i in range(classes)]
    rng = np.random.default_rng(0)

    def feed(tick: int) -> None:
        skill = 1 - 0.85 * np.exp(-tick / 4)
        probs = np.full((classes, classes), (1 - skill) / classes) + np.eye(classes) * skill
        matrix = np.stack([rng.multinomial(100 + 10 * i, p / p.sum()) for i, p in enumerate(probs)])
        view.show_confusion(matrix, names, tick)
        if tick == 12:
            view.normalise_check.setChecked(True)

    run_demo(view, feed, interval_ms=400, size=(640, 560))
