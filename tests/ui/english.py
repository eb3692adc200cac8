"""Finds English a person would see in a window or dialog meant to be in Chinese.

`visible_texts(root)` lists the texts of what is visible under `root` (labels, buttons, titles, tabs, menus,
combo items, placeholders, tooltips, accessible names, item views' headers and cells, plot titles, axes,
legends and text items); `english(texts)` keeps those with a word that is neither a name kept as it is
(PyTorch's layers and parameters, optimisers, datasets, formats, units: `KEPT`) nor a number.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator

from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, QModelIndex, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGraphicsTextItem,
    QGraphicsView,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QMenuBar,
    QPlainTextEdit,
    QTabBar,
    QTabWidget,
    QTextEdit,
    QWidget,
    QWidgetAction,
)

from workbench.data.datasets import DATASET_NAMES
from workbench.model.catalog import CATALOG
from workbench.training.config import TrainConfig

# Names that stay as they are in the Chinese window: PyTorch's, formats', products', units
KEPT = {
    # maths notation and torch's padding modes, shown as they are
    "f",
    "max",
    "min",
    "exp",
    "log",
    "logsumexp",
    "ln",
    "zeros",
    "reflect",
    "replicate",
    "circular",
    "CVPR",
    "True",
    "False",
    "None",
    "sigmoid",
    "Swish",
    "Transformer",
    "DenseNet",
    "zip",
    "VGG",
    "sgd",
    "adam",
    "adamw",
    "rmsprop",
    "bfloat16",
    "bf16",
    "float16",
    "compile",
    "DistributedDataParallel",
    "channels_last",
    "autocast",
    "NumPy",
    "npy",
    "Smith",
    "LSTM",
    "MobileNet",
    "EfficientNet",
    "in_channels",
    "in_features",
    "num_features",
    "same",
    "valid",
    "none",
    "tanh",
    "mean",
    # what is typed or named as it is: JSON's literals, Python's types and files, the names of special values
    "true",
    "false",
    "null",
    "int",
    "NaN",
    "NUL",
    "FIFO",
    "Python",
    "pickle",
    # training and data
    "SGD",
    "Adam",
    "AdamW",
    "RMSprop",
    "MNIST",
    "FashionMNIST",
    "Fashion",
    "CIFAR",
    "EMNIST",
    "KMNIST",
    "OneCycle",
    "OneCycleLR",
    "StepLR",
    "CosineAnnealingLR",
    "ReduceLROnPlateau",
    "lr",
    "momentum",
    "weight_decay",
    "batch_size",
    "epochs",
    "seed",
    "Grad",
    "CAM",
    "ECE",
    "NLL",
    "AMP",
    "TF32",
    "DDP",
    "torchrun",
    "gloo",
    "nccl",
    "PyTorch",
    "torch",
    "nn",
    "Module",
    "Optuna",
    "TPE",
    "SQLite",
    "PostgreSQL",
    "TensorBoard",
    "logits",
    "softmax",
    "argmax",
    "ResNet",
    "Inception",
    "LeNet",
    "He",
    "et",
    "al",
    # formats and devices
    "CPU",
    "GPU",
    "CUDA",
    "MPS",
    "ONNX",
    "CSV",
    "PNG",
    "JPEG",
    "BMP",
    "JSON",
    "IDX",
    "SVG",
    "TIF",  # pyqtgraph's image export: "图像文件（PNG、TIF、JPG 等）"
    "JPG",
    "HDF5",  # pyqtgraph's HDF5 export (where h5py is installed)
    "Matplotlib",  # pyqtgraph's "Matplotlib 窗口" export
    "FFT",  # pyqtgraph's Plot Options: "功率谱（FFT）"
    "PyQtGraph",  # the title of pyqtgraph's forms in a menu (shown nowhere)
    "URL",
    "ID",
    "onnx",
    "csv",
    "png",
    "json",
    "py",
    "pt",
    "cnnwb",
    "db",
    "ts",
    "qm",
    "md",
    "npz",
    # units and symbols
    "ms",
    "KB",
    "MB",
    "GB",
    "KiB",
    "MiB",
    "GiB",
    "px",
    "s",
    "x",
    "MACs",
    "MAC",
    "FLOPs",
    "Hz",
    "it",
    "Ctrl",
    "Shift",
    "Alt",
    "Del",
    "Enter",
    "Esc",
    "Tab",
    "Space",
    "Backspace",
    "Home",
    "End",
    "PgUp",
    "PgDown",
    "English",
    "CNN",
    "Workbench",
    "e",
    "k",
    "M",
    "K",
    "T",
    "N",
    "C",
    "H",
    "W",
    "y",
    "z",
    "i",
    "j",
    "n",
}
KEPT.update(field.name for field in dataclasses.fields(TrainConfig))  # training settings, named as in the CLI
KEPT.update(part for field in dataclasses.fields(TrainConfig) for part in field.name.split("_"))
KEPT.update(DATASET_NAMES)  # the datasets' names, as `--dataset` takes them
for _entry in CATALOG.values():
    KEPT.add(_entry.name)
    KEPT.update(param.name for param in _entry.params)
    KEPT.update(part for param in _entry.params for part in param.name.split("_"))

# file paths, environment variables and torch's functions (torch.save)
_PATH = re.compile(r"\S*[/\\]\S*|\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b|\btorch(?:\.\w+)+")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[_-][A-Za-z0-9]+)*")


def plain(text: str) -> str:
    """Rich text as it reads; mnemonics' ampersands removed."""
    if "<" in text and ">" in text:
        document = QTextDocument()
        document.setHtml(text)
        text = document.toPlainText()
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def foreign_words(text: str, kept: Iterable[str] = ()) -> list[str]:
    """The words of `text` a Chinese reader would see as English."""
    allowed = KEPT | set(kept)
    words = []
    for word in _WORD.findall(_PATH.sub(" ", plain(text))):
        parts = re.split(r"[_-]", word)
        if word in allowed or all(part in allowed or part.isdigit() or re.fullmatch(r"\d+\w*", part) for part in parts):
            continue
        if re.fullmatch(r"[a-z]?\d+[a-z]?\d*|[A-Z]\d*|0x[0-9a-fA-F]+", word):  # numbers, axis names, hex
            continue
        words.append(word)
    return words


def english(texts: Iterable[tuple[str, str]], kept: Iterable[str] = ()) -> list[tuple[str, str, list[str]]]:
    """(where, text, its English words) for each text with any."""
    kept = set(kept)
    found = []
    for where, text in texts:
        words = foreign_words(text, kept)
        if words:
            found.append((where, text, words))
    return found


def _name(widget: QWidget) -> str:
    return widget.objectName() or type(widget).__name__


def visible_texts(root: QWidget, include_root: bool = True) -> list[tuple[str, str]]:
    """Every text shown under `root` (visible to it), with where it is."""
    found: list[tuple[str, str]] = []
    widgets = ([root] if include_root else []) + root.findChildren(QWidget)
    for widget in widgets:
        if widget is not root and not widget.isVisibleTo(root):
            continue
        where = _name(widget)
        found.extend((where, text) for text in _widget_texts(widget) if text and text.strip())
    return found


def _widget_texts(widget: QWidget) -> Iterator[str]:
    if widget.isWindow():
        yield widget.windowTitle()
    yield widget.toolTip()
    yield widget.accessibleName()
    yield widget.accessibleDescription()
    if isinstance(widget, (QLabel, QAbstractButton)):
        yield widget.text()
    elif isinstance(widget, QGroupBox):
        yield widget.title()
    elif isinstance(widget, QLineEdit):
        yield widget.placeholderText()
    elif isinstance(widget, (QTextEdit, QPlainTextEdit)):
        yield widget.placeholderText()
        yield widget.toPlainText()
    elif isinstance(widget, QComboBox):
        yield from (widget.itemText(i) for i in range(widget.count()))
    elif isinstance(widget, QTabBar):
        for i in range(widget.count()):
            yield widget.tabText(i)
            yield widget.tabToolTip(i)
    elif isinstance(widget, QTabWidget):
        yield from (widget.tabText(i) for i in range(widget.count()))
    elif isinstance(widget, (QMenuBar, QMenu)):
        yield from menu_texts(widget)
    elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
        yield from model_texts(widget.model())
    elif isinstance(widget, QGraphicsView) and widget.scene() is not None:
        yield from scene_texts(widget)
    for action in widget.actions():  # toolbar buttons' and context menus' actions
        yield action.text()
        yield action.toolTip() if action.toolTip() != plain(action.text()) else ""


def menu_texts(menu: QWidget) -> Iterator[str]:
    for action in menu.actions():
        if not action.isVisible():
            continue
        yield action.text()
        if action.menu() is not None:
            yield action.menu().title()
            yield from menu_texts(action.menu())
        if isinstance(action, QWidgetAction) and action.defaultWidget() is not None:  # a form in a menu (pyqtgraph's)
            yield from (text for _where, text in visible_texts(action.defaultWidget()))


def model_texts(model: QAbstractItemModel, rows: int = 40) -> Iterator[str]:
    for orientation, count in ((Qt.Orientation.Horizontal, _columns(model)), (Qt.Orientation.Vertical, 0)):
        for section in range(count):
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = model.headerData(section, orientation, role)
                if isinstance(value, str):
                    yield value
    yield from _cells(model, rows)


def _columns(model: QAbstractItemModel, parent: QModelIndex | None = None) -> int:
    """A model's columns (a list model has one: Qt makes its columnCount private)."""
    parent = parent or QModelIndex()
    if isinstance(model, QAbstractListModel):
        return 0 if parent.isValid() else 1
    return model.columnCount(parent)


def _cells(model: QAbstractItemModel, rows: int, parent=None, depth: int = 0) -> Iterator[str]:
    parent = parent or QModelIndex()
    for row in range(min(model.rowCount(parent), rows)):
        for column in range(_columns(model, parent)):
            index = model.index(row, column, parent)
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = model.data(index, role)
                if isinstance(value, str):
                    yield value
            if column == 0 and depth < 4 and model.rowCount(index) > 0:
                yield from _cells(model, rows, index, depth + 1)


def scene_texts(view: QGraphicsView) -> Iterator[str]:
    """pyqtgraph's titles, axis labels, legends and text items (and any plain QGraphicsTextItem)."""
    for item in view.scene().items():
        if not item.isVisible():
            continue
        if isinstance(item, QGraphicsTextItem):
            yield item.toPlainText()
        label = getattr(item, "labelText", None)  # pyqtgraph's AxisItem
        if isinstance(label, str) and getattr(item, "label", None) is not None and item.label.isVisible():
            yield label
            yield getattr(item, "labelUnits", "") or ""
        text = getattr(item, "text", None)  # pyqtgraph's LabelItem
        if isinstance(text, str):
            yield text


def window_english(root: QWidget, kept: Iterable[str] = ()) -> list[tuple[str, str, list[str]]]:
    """What is English under `root` now."""
    return english(visible_texts(root), kept)


def report(found: list[tuple[str, str, list[str]]]) -> str:
    return "\n".join(f"  {where}: {text!r} ({', '.join(words)})" for where, text, words in found)
