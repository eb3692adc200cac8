"""A horizontal strip of misclassified validation images, each captioned "true → predicted"."""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QSize, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from ui import i18n, theme
from ui.i18n import translate
from ui.plots.common import Refresher, abbreviate, header_bar, plot_palette, shrinkable
from ui.widgets import Text, set_names

MAX_EXAMPLES = 32
THUMB_PX = 56  # about this many pixels per thumbnail side (an integer multiple of the image size)
TITLE = QT_TRANSLATE_NOOP("MisclassifiedStrip", "Misclassified validation images")
SAMPLES_TITLE = QT_TRANSLATE_NOOP("MisclassifiedStrip", "Samples, one per class")  # the Train tab's sample strip


def thumbnail(image: np.ndarray, target: int = THUMB_PX) -> QPixmap:
    """(C, H, W) uint8, C = 1 (grey) or 3 (RGB; other C: the channel mean) → a pixmap scaled up by an
    integer factor near `target` pixels, without smoothing."""
    image = np.asarray(image)
    if image.dtype != np.uint8:
        image = np.clip(np.asarray(image, dtype=np.float64) * (255 if image.max(initial=0) <= 1 else 1), 0, 255)
        image = image.astype(np.uint8)
    channels, height, width = image.shape
    if channels == 3:
        pixels = np.ascontiguousarray(image.transpose(1, 2, 0))
        qimage = QImage(pixels.data, width, height, 3 * width, QImage.Format.Format_RGB888).copy()
    else:
        pixels = np.ascontiguousarray(image.mean(axis=0).astype(np.uint8) if channels != 1 else image[0])
        qimage = QImage(pixels.data, width, height, width, QImage.Format.Format_Grayscale8).copy()
    factor = max(1, round(target / max(height, width)))
    return QPixmap.fromImage(qimage).scaled(
        width * factor, height * factor, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation
    )


def caption(true_name: str, predicted_name: str, max_chars: int = 9) -> str:
    """Rich-text "true → predicted", the true class green and the wrong prediction orange."""
    t = theme.current()
    return (
        f"<span style='color:{t.green}'>{html.escape(abbreviate(true_name, max_chars))}</span>"
        f" → <span style='color:{t.orange}'>{html.escape(abbreviate(predicted_name, max_chars))}</span>"
    )


class MisclassifiedStrip(QWidget):
    """`show_examples(images (N, C, H, W) uint8, true, predicted, class_names)` shows the first 32;
    `reset()`. Hover a thumbnail for the full class names."""

    def __init__(self, parent=None, title: Text = TITLE, captions: bool = True) -> None:
        super().__init__(parent)
        set_names(
            self,
            "misclassifiedStrip",
            lambda: translate(
                "MisclassifiedStrip", "Misclassified validation images with their true and predicted class"
            ),
        )
        self.title, self.captions_show_prediction = title, captions
        self._pending: tuple | None = None
        self._names: tuple[str, ...] = ()
        self.tiles: list[QWidget] = []
        self.refresher = Refresher(self, self._redraw)

        bar, header = header_bar()
        self.title_label = shrinkable(QLabel())
        self.title_label.setObjectName("misclassifiedTitle")
        header.addWidget(self.title_label, 1)
        self.container = QWidget()
        self.container.setObjectName("misclassifiedTiles")
        self._row = QHBoxLayout(self.container)
        self._row.setContentsMargins(6, 4, 6, 4)
        self._row.setSpacing(8)
        self._row.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.container)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for widget in (self.scroll.viewport(), self.container):
            plot_palette(widget)
        self.scroll.setMinimumHeight(THUMB_PX + 40)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(bar)
        layout.addWidget(self.scroll, 1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        theme.follow(self, self._restyle)
        i18n.follow(self, lambda strip: strip.retranslate())

    def title_text(self) -> str:
        """The strip's title in the window's language (a text of this module's, or what a lambda gives)."""
        title = self.title
        return title() if callable(title) else translate("MisclassifiedStrip", title)

    def retranslate(self) -> None:
        self.setAccessibleName(self.title_text())
        self.scroll.setAccessibleName(translate("MisclassifiedStrip", "Thumbnails"))
        if self._pending is None:
            self._title_none()
        elif self.isVisible():
            self._redraw()
        else:
            self.refresher.mark()  # built again when shown

    def _title_none(self) -> None:
        self.title_label.setText(translate("MisclassifiedStrip", "{title} — none yet").format(title=self.title_text()))

    def _restyle(self, _theme) -> None:
        """Captions and title are rich text in the theme's colours: built again (a strip out of sight
        builds them when shown)."""
        if self._pending is not None:
            self.refresher.mark()

    def sizeHint(self) -> QSize:
        return QSize(640, THUMB_PX + 84)  # header, thumbnails, captions, scroll bar

    def show_examples(
        self, images: np.ndarray, true: np.ndarray, predicted: np.ndarray, class_names: Sequence[str]
    ) -> None:
        images = np.asarray(images)
        if images.ndim == 3:  # (N, H, W): one grey channel
            images = images[:, None]
        true, predicted = np.asarray(true).ravel(), np.asarray(predicted).ravel()
        if not len(images) == len(true) == len(predicted):
            raise ValueError(f"{len(images)} images, {len(true)} true labels, {len(predicted)} predictions")
        self._pending = (images[:MAX_EXAMPLES], true[:MAX_EXAMPLES], predicted[:MAX_EXAMPLES], len(images))
        self._names = tuple(str(n) for n in class_names)
        self.refresher.mark()

    def reset(self) -> None:
        self.refresher.cancel()
        self._pending = None
        self._clear()
        self._title_none()

    @property
    def captions(self) -> list[str]:
        """The plain "true → predicted" text of each thumbnail on screen (full class names)."""
        return [tile.property("plainCaption") for tile in self.tiles]

    def _name(self, index: int) -> str:
        return self._names[index] if 0 <= index < len(self._names) else str(index)

    def _clear(self) -> None:
        for tile in self.tiles:
            self._row.removeWidget(tile)
            tile.deleteLater()
        self.tiles = []

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._pending is not None:
            self._redraw()

    def _redraw(self) -> None:
        """Builds the tiles (32 small widgets) only while the strip is visible: hidden in a tab it
        keeps the latest examples and builds them when shown, sparing the GUI thread each epoch."""
        if self._pending is None or not self.isVisible():
            return
        images, true, predicted, total = self._pending
        self._clear()
        for image, t, p in zip(images, true, predicted, strict=True):
            tile = QWidget()
            column = QVBoxLayout(tile)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            picture = QLabel()
            picture.setPixmap(thumbnail(image))
            picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label_text = caption(self._name(int(t)), self._name(int(p)))
            if not self.captions_show_prediction:
                label_text = abbreviate(self._name(int(t)), 9)
            text = QLabel(label_text)
            rich = Qt.TextFormat.RichText if self.captions_show_prediction else Qt.TextFormat.PlainText
            text.setTextFormat(rich)  # a class named "<i>x" is shown as it is named
            text.setAlignment(Qt.AlignmentFlag.AlignCenter)
            font = text.font()
            font.setPointSizeF(max(7.0, font.pointSizeF() - 1))
            text.setFont(font)
            column.addWidget(picture)
            column.addWidget(text)
            column.addStretch(1)
            plain = f"{self._name(int(t))} → {self._name(int(p))}"
            tile.setProperty("plainCaption", plain)
            tip = translate("MisclassifiedStrip", "true: {true}\npredicted: {predicted}")
            tile.setToolTip(tip.format(true=self._name(int(t)), predicted=self._name(int(p))))
            self._row.insertWidget(self._row.count() - 1, tile)
            self.tiles.append(tile)
        self._title_shown(len(images), total)

    def _title_shown(self, shown: int, total: int) -> None:
        t = theme.current()
        colour = t.plot_muted if not total else t.plot_text
        if total > shown:
            count = translate("MisclassifiedStrip", "first {shown} of {total}").format(shown=shown, total=total)
        else:
            count = f"{total}"
        legend = translate(
            "MisclassifiedStrip",
            " — <span style='color:{green}'>true</span> → <span style='color:{orange}'>predicted</span>",
        ).format(green=t.green, orange=t.orange)
        legend = legend if self.captions_show_prediction else ""
        title = html.escape(self.title_text())
        title = translate("MisclassifiedStrip", "{title} ({count})").format(title=title, count=count)
        self.title_label.setText(f"<span style='color:{colour}'>{title}{legend}</span>")


if __name__ == "__main__":
    from ui.plots.common import demo_app, run_demo

    app = demo_app()
    strip = MisclassifiedStrip()
    try:
        from sklearn.datasets import load_digits

        digits = load_digits()
        pictures = (np.kron(digits.images, np.ones((3, 3))) * 255 / 16).astype(np.uint8)[:, None]
        labels = digits.target
    except ImportError:
        pictures = np.random.default_rng(0).integers(0, 255, (200, 1, 24, 24), dtype=np.uint8)
        labels = np.arange(200) % 10
    names = [str(i) for i in range(10)]
    rng = np.random.default_rng(0)

    def feed(tick: int) -> None:
        chosen = rng.choice(len(labels), 40, replace=False)
        wrong = (labels[chosen] + rng.integers(1, 10, len(chosen))) % 10
        strip.show_examples(pictures[chosen], labels[chosen], wrong, names)

    run_demo(strip, feed, interval_ms=2000, size=(820, 150))
