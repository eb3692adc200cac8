"""The inspector's part for a block: a Residual's skip path (its 1×1 projection when its layers change the
channels or the size, with the parameters it adds), a Concat's branches with what each gives, and buttons to add
a branch or remove one. The buttons only emit; the window's document makes the undoable edit."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QToolButton, QVBoxLayout, QWidget

from ui import i18n
from ui.builder.stack_cells import layers_text
from ui.i18n import translate
from workbench.model.catalog import CONCAT, RESIDUAL
from workbench.model.shape_rules import shape_text
from workbench.model.shapes import LayerInfo
from workbench.model.spec import MAX_BRANCHES, LayerSpec


def projection_text(info: LayerInfo | None) -> str:
    """What a Residual adds its layers' output to, from its inference."""
    if info is None:
        return translate("BlockPanel", "Skip path: known once the layers above and inside fit together")
    if info.projection is None:
        return translate(
            "BlockPanel", "Skip path: the input itself, added unchanged (the layers keep its channels and size)"
        )
    return translate("BlockPanel", "Skip path: projection {projection}").format(
        projection=projection_words(info.projection)
    )


def projection_words(projection) -> str:
    """'1×1 Conv2d 16→32, stride 2×2 + BatchNorm2d (544 parameters)' (`Projection.text`), in the window's language."""
    stride = ""
    if projection.stride != (1, 1):
        stride = translate("BlockPanel", ", stride {rows}×{columns}").format(
            rows=projection.stride[0], columns=projection.stride[1]
        )
    norm = " + BatchNorm2d" if projection.batch_norm else ""
    return translate("BlockPanel", "1×1 Conv2d {source}→{target}{stride}{norm} ({params} parameters)").format(
        source=projection.in_channels,
        target=projection.out_channels,
        stride=stride,
        norm=norm,
        params=f"{projection.params:,}",
    )


def branch_text(index: int, layers: tuple[LayerSpec, ...], infos: tuple[LayerInfo, ...] | None, block_input) -> str:
    """'Branch 2: 3 layers → 32 channels, 9,248 parameters'; an empty branch passes the input through."""
    what = layers_text(len(layers)) if layers else translate("BlockPanel", "empty (passes the input through)")
    if infos is None:
        return translate("BlockPanel", "Branch {number}: {layers}").format(number=index + 1, layers=what)
    shape = infos[-1].output if infos else block_input
    params = sum(info.params for info in infos)
    if params == 1:
        made = translate("BlockPanel", "Branch {number}: {layers} → {shape}, 1 parameter")
    else:
        made = translate("BlockPanel", "Branch {number}: {layers} → {shape}, {params} parameters")
    return made.format(number=index + 1, layers=what, shape=shape_text(shape), params=f"{params:,}")


class BlockPanel(QWidget):
    add_branch_clicked = Signal()
    remove_branch_clicked = Signal(int)  # 0-based branch

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("blockPanel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        self.projection = QLabel(objectName="inspectorProjection", wordWrap=True)
        i18n.keep(self.projection, "setAccessibleName", lambda: translate("BlockPanel", "Projection"))
        self.projection.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.projection)
        self._branches = QWidget()
        self._grid = QGridLayout(self._branches)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setColumnStretch(0, 1)
        layout.addWidget(self._branches)
        self.add_button = i18n.keep(
            QPushButton("", objectName="addBranchButton"), "setText", lambda: translate("BlockPanel", "Add branch")
        )
        i18n.keep(
            self.add_button,
            "setToolTip",
            lambda: translate("BlockPanel", "A new, empty branch at the end: it passes the block's input through"),
        )
        self.add_button.clicked.connect(self.add_branch_clicked)
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.branch_labels: list[QLabel] = []
        self.remove_buttons: list[QToolButton] = []
        self._shown: tuple[LayerSpec, LayerInfo | None] | None = None
        i18n.follow(self, BlockPanel.retranslate)

    def retranslate(self) -> None:
        """The texts of the block shown, in the window's language."""
        if self._shown is not None:
            self.show_block(*self._shown)

    def show_block(self, layer: LayerSpec, info: LayerInfo | None) -> None:
        """Show what `layer` holds; hidden for a layer that is no block."""
        self._shown = (layer, info)
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
            remove.setAccessibleName(self.tr("Remove branch {number}").format(number=index + 1))
            remove.setToolTip(self.tr("Remove branch {number} and its layers").format(number=index + 1))
            remove.setEnabled(len(layer.branches) > 1)
            remove.clicked.connect(partial(self.remove_branch_clicked.emit, index))
            self._grid.addWidget(label, index, 0)
            self._grid.addWidget(remove, index, 1)
            self.branch_labels.append(label)
            self.remove_buttons.append(remove)
        self.add_button.setEnabled(len(layer.branches) < MAX_BRANCHES)
