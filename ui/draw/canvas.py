"""A square canvas to draw a digit on with the mouse or a pen tablet.

Ink is kept as MNIST has it, white (high values) on black, in a fixed-resolution greyscale image
whatever the widget's size; "Black ink on white" only changes how it looks. Strokes are kept, so
the last one can be undone and the picture re-rendered exactly.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui import i18n
from ui.i18n import translate
from workbench.system import atomic_file

RESOLUTION = 280  # pixels per side of the ink image (10× MNIST)


class DrawCanvas(QWidget):
    changed = Signal()  # the ink changed (every point of a stroke, undo, clear, load)
    stroke_finished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("drawCanvas")
        i18n.keep(self, "setAccessibleName", lambda: translate("DrawCanvas", "Drawing canvas"))
        i18n.keep(
            self,
            "setAccessibleDescription",
            lambda: translate("DrawCanvas", "Drawing area: draw a digit with the mouse; it is classified as you draw"),
        )
        i18n.keep(
            self,
            "setToolTip",
            lambda: translate(
                "DrawCanvas", "Draw with the left mouse button (or a pen). Backspace undoes the last stroke."
            ),
        )
        i18n.follow(self, lambda canvas: canvas.update())  # "Draw a digit here" in the new language
        self.setMinimumSize(200, 200)
        # No height-for-width: on a short screen it made the window wider than the screen. The ink is
        # drawn in the largest square that fits, at the top.
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.pen_width = 0.075  # of the side: about 2 MNIST pixels, like its pen strokes
        self.paper_white = False
        self.drawing = False  # a stroke is in progress
        self._strokes: list[tuple[float, list[QPointF]]] = []  # (pen width, points in ink pixels)
        self._background: QImage | None = None  # a loaded picture, drawn under the strokes
        self._ink = QImage(RESOLUTION, RESOLUTION, QImage.Format.Format_Grayscale8)
        self._ink.fill(0)

    # ----- size -----------------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        return QSize(420, 420)

    def _square(self) -> QRectF:
        side = min(self.width(), self.height())
        return QRectF((self.width() - side) / 2, 0, side, side)

    # ----- the ink ----------------------------------------------------------------------------------

    def ink(self) -> np.ndarray:
        """(RESOLUTION, RESOLUTION) float32 in [0, 1], ink high."""
        return _grey_pixels(self._ink).astype(np.float32) / 255.0

    @property
    def stroke_count(self) -> int:
        return len(self._strokes)

    def is_empty(self) -> bool:
        return not self._strokes and self._background is None

    def clear(self) -> None:
        self._strokes.clear()
        self._background = None
        self._render()

    def undo_stroke(self) -> bool:
        if not self._strokes:
            return False
        self._strokes.pop()
        self._render()
        return True

    def set_pen_width(self, fraction: float) -> None:
        self.pen_width = float(fraction)

    def set_paper_white(self, on: bool) -> None:
        self.paper_white = bool(on)
        self.update()

    def _render(self) -> None:
        self._ink.fill(0)
        painter = QPainter(self._ink)
        if self._background is not None:
            painter.drawImage(0, 0, self._background)
        for width, points in self._strokes:
            _draw_stroke(painter, width, points)
        painter.end()
        self.update()
        self.changed.emit()

    # ----- files ------------------------------------------------------------------------------------------

    def save_png(self, path: str | Path) -> None:
        """The ink as a RESOLUTION² greyscale PNG (white on black); atomic. OSError if it cannot."""
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        if not self._ink.save(buffer, "PNG"):
            raise OSError(translate("DrawCanvas", "the image could not be encoded as PNG"))
        with atomic_file(Path(path)) as handle:
            handle.write(bytes(data.data()))

    def load_image(self, path: str | Path) -> None:
        """Replace the drawing with a picture (any format Qt reads). Dark ink on light paper, as in a
        photo or scan, is inverted to MNIST's light on dark. ValueError if it cannot be read."""
        image = QImage(str(path))
        if image.isNull():
            raise ValueError(
                translate("DrawCanvas", "{file} is not an image this app can read (try PNG or JPEG)").format(
                    file=Path(path).name
                )
            )
        grey = image.convertToFormat(QImage.Format.Format_Grayscale8).scaled(
            RESOLUTION,
            RESOLUTION,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        if _mostly_light(grey):
            grey.invertPixels()
        canvas = QImage(RESOLUTION, RESOLUTION, QImage.Format.Format_Grayscale8)
        canvas.fill(0)
        painter = QPainter(canvas)
        painter.drawImage((RESOLUTION - grey.width()) // 2, (RESOLUTION - grey.height()) // 2, grey)
        painter.end()
        self._strokes.clear()
        self._background = canvas
        self._render()

    # ----- mouse / pen ----------------------------------------------------------------------------------

    def _to_ink(self, position: QPointF) -> QPointF:
        square = self._square()
        scale = RESOLUTION / max(1.0, square.width())
        return QPointF((position.x() - square.x()) * scale, (position.y() - square.y()) * scale)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        point = self._to_ink(event.position())
        self._strokes.append((self.pen_width, [point]))
        self.drawing = True
        self._paint_segment(point, point)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if not (event.buttons() & Qt.MouseButton.LeftButton) or not self._strokes:
            return super().mouseMoveEvent(event)
        point = self._to_ink(event.position())
        points = self._strokes[-1][1]
        previous = points[-1]
        points.append(point)
        self._paint_segment(previous, point)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.drawing:
            self.drawing = False
            self.stroke_finished.emit()
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Backspace:
            self.undo_stroke()
            return
        super().keyPressEvent(event)

    def _paint_segment(self, start: QPointF, end: QPointF) -> None:
        painter = QPainter(self._ink)
        _draw_stroke(painter, self.pen_width, [start, end])
        painter.end()
        self.update(self._widget_rect(start, end))  # only the segment's pixels: a full repaint costs ms
        self.changed.emit()

    def _widget_rect(self, start: QPointF, end: QPointF) -> QRect:
        square = self._square()
        scale = square.width() / RESOLUTION
        margin = self.pen_width * RESOLUTION / 2 + 2
        left, right = sorted((start.x(), end.x()))
        top, bottom = sorted((start.y(), end.y()))
        return (
            QRectF(
                square.x() + (left - margin) * scale,
                square.y() + (top - margin) * scale,
                (right - left + 2 * margin) * scale,
                (bottom - top + 2 * margin) * scale,
            )
            .toAlignedRect()
            .adjusted(-1, -1, 1, 1)
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        square = self._square()
        image = self._ink
        if self.paper_white:
            image = self._ink.copy()
            image.invertPixels()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(square, image)
        painter.setPen(QPen(QColor("#9e9e9e"), 1))
        painter.drawRect(square.adjusted(0, 0, -1, -1))
        if self.is_empty():
            painter.setPen(QColor("#9e9e9e") if not self.paper_white else QColor("#616161"))
            painter.drawText(square, Qt.AlignmentFlag.AlignCenter, translate("DrawCanvas", "Draw a digit here"))
        painter.end()


def _draw_stroke(painter: QPainter, width: float, points: list[QPointF]) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(QColor(255, 255, 255), width * RESOLUTION)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    if len(points) == 1:
        painter.drawPoint(points[0])
    else:
        painter.drawPolyline(points)


def _mostly_light(image: QImage) -> bool:
    return float(_grey_pixels(image).mean()) > 127


def _grey_pixels(image: QImage) -> np.ndarray:
    """A Format_Grayscale8 image's pixels as (height, width) uint8 (a view: copy before the image changes)."""
    stride, height = image.bytesPerLine(), image.height()
    rows = np.frombuffer(image.constBits(), dtype=np.uint8, count=stride * height).reshape(height, stride)
    return rows[:, : image.width()]
