"""Shared look: colours per layer group, and the palette's layer icons (painted, so they follow the
catalog without image files to keep in step)."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

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
}
INPUT_COLOUR = "#8FA3B8"
ERROR_COLOUR = "#D32F2F"
ERROR_BACKGROUND = "#FDE2E1"
GREY_COLOUR = "#C4C4C4"

# Two or three letters that name the layer on its icon.
ABBREVIATIONS = {
    "Conv2d": "Cv",
    "BatchNorm2d": "BN",
    "BatchNorm1d": "BN1",
    "ReLU": "Re",
    "ReLU6": "R6",
    "LeakyReLU": "LR",
    "ELU": "EL",
    "GELU": "GE",
    "Sigmoid": "σ",
    "Tanh": "th",
    "Softplus": "Sp",
    "SiLU": "Si",
    "MaxPool2d": "Mx",
    "AvgPool2d": "Av",
    "AdaptiveAvgPool2d": "AA",
    "Dropout": "Dr",
    "Dropout2d": "D2",
    "Flatten": "Fl",
    "Linear": "Li",
    "Softmax": "Sm",
    "LogSoftmax": "LS",
}


def group_colour(type_name: str) -> str:
    layer = CATALOG.get(type_name)
    return GROUP_COLOURS[layer.group] if layer else INPUT_COLOUR


@cache
def layer_icon(type_name: str, size: int = 32) -> QIcon:
    """A rounded square in the layer group's colour with the layer's abbreviation."""
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
    font.setPixelSize(int(size * (0.42 if len(ABBREVIATIONS.get(type_name, "")) < 3 else 0.34)))
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, ABBREVIATIONS.get(type_name, type_name[:2]))
    painter.end()
    return QIcon(pixmap)
