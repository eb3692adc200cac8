"""The pinned probe sample's feature maps: one layer's channels as a mosaic, the input beside it."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QStackedWidget, QVBoxLayout, QWidget

from ui import i18n
from ui.i18n import translate
from ui.plots.common import (
    Refresher,
    add_menu_actions,
    add_separator_backing,
    colormap,
    follow_background,
    grid_shape,
    header_bar,
    layer_place,
    mosaic,
    normalise_tiles,
    own_menus,
    placeholder,
    set_backing,
    shrinkable,
    tile_at,
)
from ui.plots.saliency_overlay import blended
from ui.plots.view_box import MenuOnDemandViewBox
from ui.widgets import set_names
from workbench.events import ProbeUpdate

INPUT = 0  # the combo key of the input image; layers are keyed by their 1-based index (inside a block: module name)
MAX_CHANNELS = 256
EXPLAIN_MODES = (
    (QT_TRANSLATE_NOOP("FeatureMapView", "Input only"), None),
    (QT_TRANSLATE_NOOP("FeatureMapView", "Grad-CAM (last conv layer)"), "grad-cam"),
    (QT_TRANSLATE_NOOP("FeatureMapView", "Input gradient"), "gradient"),
)


# The core's notes on a probe it could not explain (`workbench.insight.saliency`), said in the window's language
SALIENCY_NOTES = (
    QT_TRANSLATE_NOOP("FeatureMapView", "Grad-CAM needs a Conv2d layer; this model has none (use the input gradient)"),
)


def layer_entries(event: ProbeUpdate) -> list[tuple[int | str, str]]:
    """(key, text) for the layer combo: the input, then every layer whose output is (C, H, W), in forward order.
    A layer of the model's own stack is keyed by its 1-based index ("3. Conv2d"); one inside a block by its
    module name, its text its place ("3 Residual › 1 Conv2d")."""
    c, h, w = event.image.shape
    text = translate("FeatureMapView", "Input — {shape}").format(shape=f"{c}×{h}×{w}")
    entries: list[tuple[int | str, str]] = [(INPUT, text)]
    for key, name, output in event.layers:
        if np.ndim(output) == 3:
            c, h, w = output.shape
            where = f"{key}. {name}" if isinstance(key, int) else layer_place(name)
            entries.append((key, f"{where} — {c}×{h}×{w}"))
    return entries


def input_picture(image: np.ndarray) -> np.ndarray:
    """(C, H, W) in [0, 1] → (H, W, 3) colour for C = 3, else (H, W) grey (the channel mean)."""
    image = np.nan_to_num(np.asarray(image, dtype=np.float32))
    if image.shape[0] == 3:
        return np.clip(image.transpose(1, 2, 0), 0, 1)
    return np.clip(image.mean(axis=0), 0, 1)


class FeatureMapView(QWidget):
    """`show_probe(ProbeUpdate)`, `reset()`. The chosen layer is kept across updates (and runs) by its
    index; each channel is scaled to its own min/max unless "Shared scale" is on; hover for values.
    With `explainable`, an "Explain" choice lays the probe's saliency map (the event's) over the input
    and `explain_changed(method or None)` asks for it."""

    explain_changed = Signal(object)

    def __init__(self, parent=None, explainable: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("featureMapView")
        self._event: ProbeUpdate | None = None
        self._key = None  # the user's choice; None = the default (the first layer with maps)
        self._entries: list[tuple[int, str]] = []
        self._tiles: np.ndarray | None = None  # raw maps on screen, for hover
        self._columns = 1
        self._caption = ""
        self._hover_pos = None  # last mouse position over the scene, to keep the readout live
        self.class_names: tuple[str, ...] = ()  # for the saliency caption
        self.refresher = Refresher(self, self._redraw)

        bar = self._make_header(explainable)
        self.placeholder = placeholder("")
        self.graphics = pg.GraphicsLayoutWidget()
        follow_background(self.graphics)
        self.graphics.setMinimumSize(160, 120)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(self.graphics)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        footer_bar, footer = header_bar()
        self.footer_label = shrinkable(QLabel(""))
        self.footer_label.setTextFormat(Qt.TextFormat.PlainText)  # it quotes class names
        self.footer_label.setObjectName("featureFooter")
        footer.addWidget(self.footer_label, 1)
        layout.addWidget(bar)
        layout.addWidget(self.stack, 1)
        layout.addWidget(footer_bar)
        self._build_scene()
        i18n.follow(self, lambda view: view.retranslate())

    def _make_header(self, explainable: bool) -> QWidget:
        self.layer_combo = QComboBox()
        self.layer_combo.setObjectName("featureLayerCombo")
        self.layer_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.layer_combo.activated.connect(self._layer_chosen)
        self.shared_scale_check = QCheckBox()
        self.shared_scale_check.setObjectName("featureSharedScale")
        self.shared_scale_check.toggled.connect(self.refresher.mark)
        bar, header = header_bar()
        self.layer_label = QLabel()
        header.addWidget(self.layer_label)
        header.addWidget(self.layer_combo)
        header.addStretch(1)
        self.explain_combo: QComboBox | None = None
        if explainable:
            header.addWidget(self._make_explain_combo())
        header.addWidget(self.shared_scale_check)
        return bar

    def retranslate(self) -> None:
        """The explain choices, layer names and caption in the window's language."""
        self.setAccessibleName(translate("FeatureMapView", "Feature maps"))
        self.setAccessibleDescription(
            translate("FeatureMapView", "Feature maps of the probe image at one layer, and the input image")
        )
        self.layer_label.setText(translate("FeatureMapView", "Layer"))
        self.layer_combo.setAccessibleName(translate("FeatureMapView", "Feature map layer"))
        self.shared_scale_check.setText(translate("FeatureMapView", "Shared scale"))
        self.shared_scale_check.setToolTip(
            translate("FeatureMapView", "One colour scale for all channels instead of each channel's own min/max")
        )
        self.placeholder.setText(translate("FeatureMapView", "No probe yet — feature maps appear once training starts"))
        self.graphics.setAccessibleName(
            translate("FeatureMapView", "The input image and the chosen layer's feature maps")
        )
        self.footer_label.setAccessibleName(translate("FeatureMapView", "Caption of the feature maps"))
        if self.explain_combo is not None:
            self.explain_combo.setAccessibleName(translate("FeatureMapView", "Explain"))
            for index, (text, _key) in enumerate(EXPLAIN_MODES):
                self.explain_combo.setItemText(index, translate("FeatureMapView", text))
        if self._event is not None:
            self._entries = []  # the layer combo's texts are made again
            self._redraw()

    def _make_explain_combo(self) -> QComboBox:
        combo = self.explain_combo = QComboBox()
        set_names(
            combo,
            "probeExplain",
            lambda: translate("FeatureMapView", "What to lay over the probe image: why the model said what it said"),
        )
        for text, key in EXPLAIN_MODES:
            combo.addItem(translate("FeatureMapView", text), key)
        i18n.keep(
            combo,
            "setToolTip",
            lambda: translate(
                "FeatureMapView",
                "Grad-CAM: where the last conv layer found evidence for the class. Input gradient: which pixels "
                "change its score most. Click a bar of the softmax chart to explain that class.",
            ),
        )
        combo.currentIndexChanged.connect(lambda _i: self.explain_changed.emit(combo.currentData()))
        return combo

    @property
    def explain_method(self) -> str | None:
        return None if self.explain_combo is None else self.explain_combo.currentData()

    def _build_scene(self) -> None:
        g = self.graphics
        self.input_view = MenuOnDemandViewBox(lockAspect=True, invertY=True)
        self.map_view = MenuOnDemandViewBox(lockAspect=True, invertY=True)
        g.addItem(self.input_view, row=0, col=0)
        g.addItem(self.map_view, row=0, col=1)
        own_menus(g, self.input_view, self.map_view)
        g.ci.layout.setColumnStretchFactor(0, 1)
        g.ci.layout.setColumnStretchFactor(1, 3)
        self.input_image = pg.ImageItem(axisOrder="row-major")
        self.input_view.addItem(self.input_image)
        self.map_image = pg.ImageItem(axisOrder="row-major", colorMap=colormap("viridis"))
        self.map_view.addItem(self.map_image)
        self.backing = add_separator_backing(self.map_view)
        for view in (self.input_view, self.map_view):
            add_menu_actions(view, None)  # the views fit their image until zoomed
        g.scene().sigMouseMoved.connect(self._hover)

    # ----- events ----------------------------------------------------------------------------------------

    def show_probe(self, event: ProbeUpdate) -> None:
        self._event = event
        self.refresher.mark()

    def reset(self) -> None:
        """Back to "no probe yet"; the chosen layer index is remembered for the next run."""
        self.refresher.cancel()
        self._event, self._tiles, self._entries = None, None, []
        self.layer_combo.clear()
        self.map_image.clear()
        self.input_image.clear()
        self.stack.setCurrentWidget(self.placeholder)
        self.footer_label.setText("")

    @property
    def current_key(self) -> int | str | None:
        return self.layer_combo.currentData()

    def select_layer(self, key: int | str) -> None:
        """Choose the layer by its 1-based index (0 = the input; a layer inside a block by its module name, as
        `workbench.insight.probe.run_layers` keys it), as if picked in the combo."""
        self._key = key
        index = self.layer_combo.findData(key)
        if index >= 0:
            self.layer_combo.setCurrentIndex(index)
        self.refresher.mark()

    def _layer_chosen(self, index: int) -> None:
        self._key = self.layer_combo.itemData(index)
        self.refresher.mark()

    # ----- drawing ------------------------------------------------------------------------------------------

    def _sync_combo(self, event: ProbeUpdate) -> int | str:
        entries = layer_entries(event)
        keys = [key for key, _ in entries]
        if entries != self._entries:
            self._entries = entries
            self.layer_combo.blockSignals(True)
            self.layer_combo.clear()
            for key, text in entries:
                self.layer_combo.addItem(text, key)
            self.layer_combo.blockSignals(False)
        key = self._key if self._key in keys else (keys[1] if len(keys) > 1 else INPUT)
        self.layer_combo.setCurrentIndex(keys.index(key))
        return key

    def _redraw(self) -> None:
        event = self._event
        if event is None:
            return
        self.stack.setCurrentWidget(self.graphics)
        key = self._sync_combo(event)
        raw = event.image if key == INPUT else next(out for i, _, out in event.layers if i == key)
        total = np.shape(raw)[0]
        maps = np.asarray(raw, dtype=np.float32)[:MAX_CHANNELS]
        shared = self.shared_scale_check.isChecked()
        count, height, width = maps.shape
        _, self._columns = grid_shape(count, height, width)
        image = mosaic(normalise_tiles(maps, shared), self._columns)
        self._tiles = maps
        self.map_image.setImage(image, levels=(0, 1), autoLevels=False)
        set_backing(self.backing, count, height, width, self._columns)
        self._caption = " · ".join(self._caption_parts(event, total, count, shared))
        self._hover(self._hover_pos)  # the readout under the mouse follows new data; else the caption
        self.input_image.setImage(self._input_picture(event), levels=(0, 1), autoLevels=False)

    def _input_picture(self, event: ProbeUpdate) -> np.ndarray:
        if self.explain_method is None or event.saliency is None:
            return input_picture(event.image)
        return blended(np.asarray(event.image, dtype=np.float32), event.saliency.map) / 255.0

    def _caption_parts(self, event: ProbeUpdate, total: int, count: int, shared: bool) -> list[str]:
        """The caption under the maps, part by part: the input, its explanation, the step, the scale."""
        if event.label is None:
            parts = [translate("FeatureMapView", "left: input")]
        else:
            parts = [translate("FeatureMapView", "left: input (label {label})").format(label=event.label)]
        why = self._saliency_caption(event)
        parts += [why] if why else []
        parts.append(translate("FeatureMapView", "step {step}").format(step=event.step))
        if total > count:
            more = translate("FeatureMapView", "first {shown} of {total} channels")
            parts.append(more.format(shown=MAX_CHANNELS, total=total))
        if shared:
            parts.append(translate("FeatureMapView", "shared scale"))
        else:
            parts.append(translate("FeatureMapView", "per-channel scale"))
        parts.append(translate("FeatureMapView", "hover a map for values"))
        return parts

    def _saliency_caption(self, event: ProbeUpdate) -> str:
        if self.explain_method is None:
            return ""
        if event.saliency is None:
            if event.saliency_note:
                return translate("FeatureMapView", event.saliency_note)  # SALIENCY_NOTES
            return translate("FeatureMapView", "saliency comes with the next update")
        found = event.saliency
        layer = layer_place(found.place) if isinstance(found.layer, str) else found.layer  # in a block: its place
        names = self.class_names
        name = names[found.target] if found.target < len(names) else str(found.target)
        method = "Grad-CAM" if found.method == "grad-cam" else translate("FeatureMapView", "input gradient")
        if found.layer:
            text = translate("FeatureMapView", "{method} at layer {layer}: evidence for {name}")
        else:
            text = translate("FeatureMapView", "{method}: evidence for {name}")
        return text.format(method=method, layer=layer, name=name)

    def leaveEvent(self, event) -> None:
        super().leaveEvent(event)
        self._hover(None)

    def _hover(self, scene_pos) -> None:
        self._hover_pos = scene_pos
        if self._tiles is None or self._event is None:
            return
        if scene_pos is None:
            self.footer_label.setText(self._caption)
            return
        point = self.map_view.mapSceneToView(scene_pos)
        count, height, width = self._tiles.shape
        hit = tile_at(point.x(), point.y(), count, height, width, self._columns)
        if hit is None or not self.map_view.sceneBoundingRect().contains(scene_pos):
            self.footer_label.setText(self._caption)
            return
        channel, y, x = hit
        value = float(self._tiles[channel, y, x])
        text = translate("FeatureMapView", "channel {channel} · pixel ({x}, {y}) = {value} · step {step}")
        self.footer_label.setText(text.format(channel=channel, x=x, y=y, value=f"{value:.4g}", step=self._event.step))


if __name__ == "__main__":
    import sys

    import torch
    from torch import nn

    from ui.plots.common import demo_app, run_demo
    from workbench.insight.probe import probe

    app = demo_app()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    rgb = "--rgb" in sys.argv
    channels = 3 if rgb else 1
    model = nn.Sequential(
        nn.Conv2d(channels, 10, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(10, 20, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(320, 10),
    )  # fmt: skip
    yy, xx = np.mgrid[0:28, 0:28]
    ring = np.exp(-(((np.hypot(yy - 14, xx - 14) - 8) / 2.0) ** 2))  # a "0"
    image = torch.tensor(np.stack([ring * (0.4 + 0.3 * c) for c in range(channels)]), dtype=torch.float32)
    view = FeatureMapView()

    def feed(tick: int) -> None:
        with torch.no_grad():
            for p in model.parameters():
                p.add_(0.01 * torch.randn_like(p))
        view.show_probe(probe(model, image, [0.5] * channels, [0.25] * channels, 0, tick * 10))

    run_demo(view, feed, interval_ms=250)
