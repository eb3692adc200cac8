"""The inspector's part for a block: a Residual's skip path (its 1×1 projection when its layers change the
channels or the size, with the parameters it adds), a Concat's branches with what each gives, and buttons to add
a branch or remove one. The buttons only emit; the window's document makes the undoable edit."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QToolButton, QVBoxLayout, QWidget

from workbench.model.catalog import CONCAT, RESIDUAL
from workbench.model.shape_rules import shape_text
from workbench.model.shapes import LayerInfo
from workbench.model.spec import MAX_BRANCHES, LayerSpec
from workbench.text import count

NO_PROJECTION = "Skip path: the input itself, added unchanged (the layers keep its channels and size)"


def projection_text(info: LayerInfo | None) -> str:
    """What a Residual adds its layers' output to, from its inference."""
    if info is None:
        return "Skip path: known once the layers above and inside fit together"
    if info.projection is None:
        return NO_PROJECTION
    return f"Skip path: projection {info.projection.text}"


def branch_text(index: int, layers: tuple[LayerSpec, ...], infos: tuple[LayerInfo, ...] | None, block_input) -> str:
    """'Branch 2: 3 layers → 32 channels, 9,248 parameters'; an empty branch passes the input through."""
    what = count(len(layers), "layer") if layers else "empty (passes the input through)"
    if infos is None:
        return f"Branch {index + 1}: {what}"
    shape = infos[-1].output if infos else block_input
    params = sum(info.params for info in infos)
    return f"Branch {index + 1}: {what} → {shape_text(shape)}, {count(params, 'parameter')}"


class BlockPanel(QWidget):
    add_branch_clicked = Signal()
    remove_branch_clicked = Signal(int)  # 0-based branch

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("blockPanel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        self.projection = QLabel(objectName="inspectorProjection", wordWrap=True)
        self.projection.setAccessibleName("inspectorProjection")
        self.projection.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.projection)
        self._branches = QWidget()
        self._grid = QGridLayout(self._branches)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setColumnStretch(0, 1)
        layout.addWidget(self._branches)
        self.add_button = QPushButton("Add branch", objectName="addBranchButton")
        self.add_button.setToolTip("A new, empty branch at the end: it passes the block's input through")
        self.add_button.clicked.connect(self.add_branch_clicked)
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.branch_labels: list[QLabel] = []
        self.remove_buttons: list[QToolButton] = []

    def show_block(self, layer: LayerSpec, info: LayerInfo | None) -> None:
        """Show what `layer` holds; hidden for a layer that is no block."""
        self.setVisible(layer.is_block)
        self.projection.setVisible(layer.type == RESIDUAL)
        concat = layer.type == CONCAT
        self._branches.setVisible(concat)
        self.add_button.setVisible(concat)
        if layer.type == RESIDUAL:
            self.projection.setText(projection_text(info))
        if concat:
            self._show_branches(layer, info)

    def _show_branches(self, layer: LayerSpec, info: LayerInfo | None) -> None:
        while self._grid.count():
            widget = self._grid.takeAt(0).widget()
            widget.setParent(None)
            widget.deleteLater()
        self.branch_labels, self.remove_buttons = [], []
        for index, layers in enumerate(layer.branches):
            infos = info.branches[index] if info is not None and index < len(info.branches) else None
            label = QLabel(branch_text(index, layers, infos, info.input if info else None), wordWrap=True)
            remove = QToolButton(text="✕", autoRaise=True)
            remove.setAccessibleName(f"remove branch {index + 1}")
            remove.setToolTip(f"Remove branch {index + 1} and its layers")
            remove.setEnabled(len(layer.branches) > 1)
            remove.clicked.connect(partial(self.remove_branch_clicked.emit, index))
            self._grid.addWidget(label, index, 0)
            self._grid.addWidget(remove, index, 1)
            self.branch_labels.append(label)
            self.remove_buttons.append(remove)
        self.add_button.setEnabled(len(layer.branches) < MAX_BRANCHES)
