"""Shared look: colours per layer group, the layer icons and the app's icon.

The icons are SVG files, `resources/icons/<Type>.svg` for each catalog layer type (a rounded square in
its group's colour with a white pictogram) and `app.svg`, read through `resources` and rendered at
each size a QIcon offers, so they stay sharp from 16 px up. A type without a valid SVG still gets an
icon: a painted square in its colour with its first two letters, and a logged warning.
"""

from __future__ import annotations

import logging
from functools import cache

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

import resources
from workbench.model.catalog import CATALOG

GROUP_COLOURS = {
    "Convolution": "#4C78A8",
    "Normalization": "#72B7B2",
    "Activation": "#F2A541",
    "Pooling": "#59A14F",
    "Regularization": "#B07AA1",
    "Reshape": "#9C755F",
    "Dense": "#7E6BC4",
    "Output": "#5B6B7A",
    "Blocks": "#D4A017",
}
INPUT_COLOUR = "#8FA3B8"
ERROR_COLOUR = "#D32F2F"
ERROR_BACKGROUND = "#FDE2E1"
GREY_COLOUR = "#C4C4C4"

ICON_SIZES = (16, 20, 24, 32, 48, 64)  # rendered into each QIcon, so no size is a scaled copy

_log = logging.getLogger(__name__)


def group_colour(type_name: str) -> str:
    layer = CATALOG.get(type_name)
    return GROUP_COLOURS[layer.group] if layer else INPUT_COLOUR


@cache
def _svg(name: str) -> QSvgRenderer | None:
    """The renderer of resources/icons/<name>.svg, or None (with a warning) if it is missing or not SVG."""
    try:
        data = resources.read_bytes("icons", f"{name}.svg")
    except FileNotFoundError:
        _log.warning("no icon resources/icons/%s.svg: painting one instead", name)
        return None
    renderer = QSvgRenderer(QByteArray(data))
    if not renderer.isValid():
        _log.warning("resources/icons/%s.svg is not valid SVG: painting an icon instead", name)
        return None
    return renderer


def _rendered(renderer: QSvgRenderer, size: int) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return pixmap


def _painted(type_name: str, size: int) -> QPixmap:
    """The stand-in for a missing SVG: a rounded square in the group's colour with two letters."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(group_colour(type_name)))
    painter.setPen(Qt.PenStyle.NoPen)
    rect = QRectF(1, 1, size - 2, size - 2)
    painter.drawRoundedRect(rect, size * 0.2, size * 0.2)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(int(size * 0.42))
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, type_name[:2])
    painter.end()
    return pixmap


def layer_pixmap(type_name: str, size: int = 32) -> QPixmap:
    """The layer's icon at size × size pixels: its SVG rendered, or the painted stand-in."""
    renderer = _svg(type_name)
    return _painted(type_name, size) if renderer is None else _rendered(renderer, size)


@cache
def layer_icon(type_name: str) -> QIcon:
    """The layer's icon (palette, stack, menus), rendered at every size in ICON_SIZES."""
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addPixmap(layer_pixmap(type_name, size))
    return icon


@cache
def app_icon() -> QIcon:
    """The application's icon, resources/icons/app.svg."""
    renderer = _svg("app")
    icon = QIcon()
    if renderer is not None:
        for size in (*ICON_SIZES, 128, 256):
            icon.addPixmap(_rendered(renderer, size))
    return icon
