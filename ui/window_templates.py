"""File ▸ New from template: a menu entry per template of `workbench.model.templates`, its name, what it measured
and (as its tooltip) what it is and where it comes from, in the window's language.

The core's texts stay English (the CLI prints them); their translations are keyed here by the template's name
(context "Templates"). A template without an entry here shows the core's English.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QMenu

from ui import i18n
from workbench.model import templates

# name -> (title, measured, description, source): the English of each is the core's own text
TEXTS: dict[str, tuple[str, str, str, str]] = {
    "mnist-classic": (
        QT_TRANSLATE_NOOP("Templates", "mnist-classic"),
        QT_TRANSLATE_NOOP("Templates", "98.3% (98.2–98.5% over 3 seeds) after 1 epoch, 6 s on 2 CPU cores"),
        QT_TRANSLATE_NOOP(
            "Templates", "The classic PyTorch MNIST example: two 5×5 convolutions, max pooling, two Linear layers."
        ),
        QT_TRANSLATE_NOOP(
            "Templates",
            "The PyTorch examples repository's mnist/main.py in its original form (10 and 20 channels; the example "
            "now has a larger network), without its two dropout layers; there it trained 10 epochs of SGD.",
        ),
    ),
    "mnist-fast": (
        QT_TRANSLATE_NOOP("Templates", "mnist-fast"),
        QT_TRANSLATE_NOOP("Templates", "99.2% (99.2–99.3% over 3 seeds) after 1 epoch, 15 s on 2 CPU cores"),
        QT_TRANSLATE_NOOP(
            "Templates", "Four small 3×3 conv-BN-ReLU blocks and global max pooling: 99% on MNIST in one quick epoch."
        ),
        QT_TRANSLATE_NOOP(
            "Templates",
            "This app's own design: VGG-style 3×3 conv-BN-ReLU stacks (Simonyan & Zisserman 2015; BatchNorm: Ioffe & "
            "Szegedy 2015) with global max pooling, sized for one fast MNIST epoch; no published figure.",
        ),
    ),
    "lenet5": (
        QT_TRANSLATE_NOOP("Templates", "lenet5"),
        QT_TRANSLATE_NOOP("Templates", "97.6% (97.3–97.7% over 3 seeds) after 1 epoch, 5 s on 2 CPU cores"),
        QT_TRANSLATE_NOOP(
            "Templates", "LeCun's LeNet-5 (1998) with Tanh and average pooling, padded for 28×28 digits."
        ),
        QT_TRANSLATE_NOOP(
            "Templates",
            'LeCun et al. 1998, "Gradient-based learning applied to document recognition": LeNet-5, 0.95% test error '
            "on MNIST with its own training. Ours keeps its layer sizes but uses plain Tanh and plain average pooling "
            "(no trained scale), connects C3 fully, ends in a Linear layer with cross-entropy instead of RBF units, "
            "and trains 1 epoch with Adam.",
        ),
    ),
    "mnist-bn": (
        QT_TRANSLATE_NOOP("Templates", "mnist-bn"),
        QT_TRANSLATE_NOOP("Templates", "99.2% (99.1–99.3% over 3 seeds) after 2 epochs, 52 s on 2 CPU cores"),
        QT_TRANSLATE_NOOP(
            "Templates", "A wider BatchNorm CNN (conv-BN-ReLU blocks, a BatchNorm1d head) with 420k parameters."
        ),
        QT_TRANSLATE_NOOP(
            "Templates",
            "This app's own design, the common two-block CNN with BatchNorm (Ioffe & Szegedy 2015) and a dropout "
            "head; no published figure.",
        ),
    ),
    "vgg-mini": (
        QT_TRANSLATE_NOOP("Templates", "vgg-mini"),
        QT_TRANSLATE_NOOP(
            "Templates", "56 s per CIFAR-10 epoch on 2 CPU cores (10 epochs); accuracy not measured here"
        ),
        QT_TRANSLATE_NOOP(
            "Templates", "A small VGG-style net of 3×3 conv-BN-ReLU blocks for 3×32×32 colour images (CIFAR-10)."
        ),
        QT_TRANSLATE_NOOP(
            "Templates",
            'After VGG (Simonyan & Zisserman 2015, "Very deep convolutional networks for large-scale image '
            'recognition"): 3×3 convolutions in pairs between max pooling, here with BatchNorm and far fewer '
            "channels; the paper gives ImageNet figures and none for CIFAR-10.",
        ),
    ),
    "mlp": (
        QT_TRANSLATE_NOOP("Templates", "mlp"),
        QT_TRANSLATE_NOOP("Templates", "97.0% (96.9–97.0% over 3 seeds) after 1 epoch, 2 s on 2 CPU cores"),
        QT_TRANSLATE_NOOP("Templates", "A baseline without convolutions: Flatten and three Linear layers."),
        QT_TRANSLATE_NOOP(
            "Templates",
            "This app's own baseline: LeCun et al. 1998 report fully connected nets of this kind (two hidden "
            "layers, e.g. 300 and 100 units) at about 3% test error on MNIST.",
        ),
    ),
    "resnet-mini": (
        QT_TRANSLATE_NOOP("Templates", "resnet-mini"),
        QT_TRANSLATE_NOOP("Templates", "99.5% (99.49–99.51% over 3 seeds) after 3 epochs, 137 s on 2 CPU cores"),
        QT_TRANSLATE_NOOP(
            "Templates",
            "A small ResNet: a 3×3 stem and three Residual blocks (16, 32, 64 channels), global average pooling. "
            "Any input size.",
        ),
        QT_TRANSLATE_NOOP(
            "Templates",
            'He et al. 2016, "Deep residual learning for image recognition": the paper\'s CIFAR-10 ResNet '
            "(16/32/64 channels, global average pooling) with one basic block per stage (8 weighted layers), 1×1 "
            "projections where the paper used zero-padded shortcuts; its smallest, ResNet-20, reached 8.75% test "
            "error on CIFAR-10.",
        ),
    ),
    "inception-mini": (
        QT_TRANSLATE_NOOP("Templates", "inception-mini"),
        QT_TRANSLATE_NOOP("Templates", "98.8% (98.8–98.9% over 3 seeds) after 1 epoch, 30 s on 2 CPU cores"),
        QT_TRANSLATE_NOOP(
            "Templates",
            "Two Inception blocks (1×1, 1×1→3×3 and pool→1×1 branches joined on channels) between max pooling, "
            "then global average pooling.",
        ),
        QT_TRANSLATE_NOOP(
            "Templates",
            'Szegedy et al. 2015, "Going deeper with convolutions" (GoogLeNet, 6.67% top-5 error on ImageNet, '
            "ILSVRC 2014): its Inception module without the 5×5 branch, with BatchNorm after each convolution (from "
            "Ioffe & Szegedy 2015), two modules instead of nine.",
        ),
    ),
}


def texts(name: str) -> tuple[str, str, str, str]:
    """The template's title, what it measured, its description and its source, in the window's language (the
    core's English where a text here no longer matches it)."""
    core = (name, templates.MEASURED[name], templates.DESCRIPTIONS[name], templates.SOURCES[name])
    ours = TEXTS.get(name)
    if ours is None:
        return core
    return tuple(
        QCoreApplication.translate("Templates", mine) if mine == theirs else theirs
        for mine, theirs in zip(ours, core, strict=True)
    )


def title(name: str) -> str:
    return texts(name)[0]


def fill_menu(menu: QMenu, chosen: Callable[[str], object]) -> None:
    """An entry per template; `chosen(name)` when one is picked. Texts follow the language."""
    menu.setToolTipsVisible(True)
    for name in templates.TEMPLATES:
        action = menu.addAction("")
        action.setObjectName(f"template:{name}")
        action.triggered.connect(lambda _=False, n=name: chosen(n))
    i18n.follow(menu, _retranslate)


def _retranslate(menu: QMenu) -> None:
    for action in menu.actions():
        name = action.objectName().removeprefix("template:")
        if name not in templates.TEMPLATES:
            continue
        shown, measured, description, source = texts(name)
        action.setText(f"{shown}  —  {measured}")
        source_line = QCoreApplication.translate("Templates", "Source: {source}").format(source=source)
        action.setToolTip(f"{description}\n{source_line}")
