"""The Learn tab: convolution, pooling, activation and softmax explorers, the depth lesson (a plain and a residual
20-layer network trained side by side), and a way in from the builder ("Explore this layer" opens the right
explorer with the layer's own settings)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from ui import i18n, theme
from ui.i18n import translate
from ui.learn.activation_plot import ActivationPlot
from ui.learn.conv_explorer import ConvExplorer
from ui.learn.conv_sources import ClassifierSource, ProbeSource
from ui.learn.depth_explorer import DepthExplorer
from ui.learn.pool_explorer import PoolExplorer
from ui.learn.softmax_explorer import SoftmaxExplorer
from workbench.explore.functions import ACTIVATIONS
from workbench.model.edits import settings_text
from workbench.model.spec import LayerSpec


class LearnPanel(QWidget):
    calibration_requested = Signal()  # the softmax page's link to the Train tab's Calibration panel

    def __init__(
        self,
        classifier_source: ClassifierSource | None = None,
        probe_source: ProbeSource | None = None,
        parent: QWidget | None = None,
    ):
        """The sources give the convolution explorer the model at hand and the probe image (see
        `ConvExplorer`); without them its kernels and inputs are the hand-set ones only."""
        super().__init__(parent)
        self.setObjectName("learnPanel")
        i18n.keep(self, "setAccessibleName", lambda: translate("LearnPanel", "Learn"))
        i18n.keep(
            self,
            "setAccessibleDescription",
            lambda: translate(
                "LearnPanel", "See how convolution, pooling, activations, softmax and depth work, on real numbers"
            ),
        )
        self.conv = ConvExplorer(classifier_source, probe_source)
        self.pool = PoolExplorer()
        self.activation = ActivationPlot()
        self.softmax = SoftmaxExplorer()
        self.softmax.calibration_requested.connect(self.calibration_requested)
        self.depth = DepthExplorer()  # its runs go to the window's Tasks, found when Run is pressed
        self.tabs = QTabWidget()
        self.tabs.setObjectName("learnTabs")
        for page in (self.conv, self.pool, self.activation, self.softmax, self.depth):
            self.tabs.addTab(page, "")
        self._shown: tuple[LayerSpec, int | None, list[Callable[[], str]]] | None = None  # what "Explore" opened
        self.source = QLabel()
        self.source.setObjectName("learnSource")
        self.source.setWordWrap(True)
        theme.style_sheet(self.source, "background: {note_background}; padding: 4px 8px; border-radius: 4px;")
        self.source.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.source)
        layout.addWidget(self.tabs, 1)
        i18n.follow(self, lambda panel: panel.retranslate())

    def retranslate(self) -> None:
        """The sub-tabs' titles and the line on the layer shown, in the window's language."""
        titles = (
            translate("LearnPanel", "Convolution"),
            translate("LearnPanel", "Pooling"),
            translate("LearnPanel", "Activations"),
            translate("LearnPanel", "Softmax && loss"),
            translate("LearnPanel", "Depth"),
        )
        for index, title in enumerate(titles):
            self.tabs.setTabText(index, title)
        if self._shown is not None:
            self._show_source(*self._shown)

    def model_changed(self) -> None:
        """The model at hand has new weights or is another one (the dashboard's `model_changed`)."""
        self.conv.model_changed()

    def set_layer(self, layer: LayerSpec, position: int | None = None) -> bool:
        """Open the explorer for this layer with its real parameters; False if none fits its type.
        `position` is the layer's 1-based number in the model, for the caption."""
        params = layer.resolved()
        if layer.type == "Conv2d":
            notes, explorer = self.conv.set_layer_params(params), self.conv
        elif layer.type in ("MaxPool2d", "AvgPool2d"):
            notes, explorer = self.pool.set_layer_params(layer.type, params), self.pool
        elif layer.type in ACTIVATIONS:
            self.activation.set_layer(layer)
            notes, explorer = [], self.activation
        elif layer.type in ("Softmax", "LogSoftmax"):
            notes, explorer = [], self.softmax
        else:
            return False
        self.tabs.setCurrentWidget(explorer)
        self._shown = (layer, position, notes)
        self._show_source(layer, position, notes)
        self.source.show()
        return True

    def _show_source(self, layer: LayerSpec, position: int | None, notes: list[Callable[[], str]]) -> None:
        shown = f"{layer.type}({settings_text(layer)})"
        if position is not None:
            text = translate("LearnPanel", "Showing layer {number} of your model: {layer}")
            text = text.format(number=position, layer=shown)
        else:
            text = translate("LearnPanel", "Showing your model: {layer}").format(layer=shown)
        parts = [text, *(note() for note in notes)]
        self.source.setText(translate("LearnPanel", "; ").join(parts) + translate("LearnPanel", "."))


if __name__ == "__main__":
    from ui.plots.common import demo_app

    app = demo_app()
    panel = LearnPanel()
    panel.resize(1300, 800)
    panel.show()
    app.exec()
