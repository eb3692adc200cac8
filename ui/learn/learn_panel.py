"""The Learn tab: convolution, pooling, activation and softmax explorers, the depth lesson (a plain and a residual
20-layer network trained side by side), and a way in from the builder ("Explore this layer" opens the right
explorer with the layer's own settings)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from ui import theme
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
        self.setAccessibleName("learnPanel")
        self.setAccessibleDescription(
            "See how convolution, pooling, activations, softmax and depth work, on real numbers"
        )
        self.conv = ConvExplorer(classifier_source, probe_source)
        self.pool = PoolExplorer()
        self.activation = ActivationPlot()
        self.softmax = SoftmaxExplorer()
        self.softmax.calibration_requested.connect(self.calibration_requested)
        self.depth = DepthExplorer()  # its runs go to the window's Tasks, found when Run is pressed
        self.tabs = QTabWidget()
        self.tabs.setObjectName("learnTabs")
        self.tabs.addTab(self.conv, "Convolution")
        self.tabs.addTab(self.pool, "Pooling")
        self.tabs.addTab(self.activation, "Activations")
        self.tabs.addTab(self.softmax, "Softmax && loss")
        self.tabs.addTab(self.depth, "Depth")
        self.source = QLabel()
        self.source.setObjectName("learnSource")
        self.source.setWordWrap(True)
        theme.style_sheet(self.source, "background: {note_background}; padding: 4px 8px; border-radius: 4px;")
        self.source.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.source)
        layout.addWidget(self.tabs, 1)

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
        where = f"layer {position} of your model" if position is not None else "your model"
        text = f"Showing {where}: {layer.type}({settings_text(layer)})"
        self.source.setText("; ".join([text, *notes]) + ".")
        self.source.show()
        return True


if __name__ == "__main__":
    from ui.plots.common import demo_app

    app = demo_app()
    panel = LearnPanel()
    panel.resize(1300, 800)
    panel.show()
    app.exec()
