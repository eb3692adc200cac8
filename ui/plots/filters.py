"""The first convolution layer's weights: one small image per output filter, in one mosaic."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui import i18n, theme
from ui.i18n import translate
from ui.plots.common import (
    Refresher,
    add_menu_actions,
    add_separator_backing,
    colorbar,
    colormap,
    colour_bar,
    follow_background,
    grid_shape,
    mosaic,
    own_menus,
    set_backing,
    tile_at,
)
from ui.plots.view_box import MenuOnDemandViewBox
from ui.theme import Theme
from ui.widgets import set_names

MAX_FILTERS = 256
NO_WEIGHTS = QT_TRANSLATE_NOOP("FilterView", "First conv layer — no weights yet")


def filter_tiles(weight: np.ndarray) -> tuple[np.ndarray, bool]:
    """(out, in, kh, kw) → (tiles, rgb). With 3 input channels: (out, kh, kw, 3) colour tiles, each
    filter scaled so 0 is mid-grey and its largest |weight| reaches 0 or 1. Otherwise (out, kh, kw):
    the mean over input channels, raw (drawn with a diverging map centred at 0)."""
    weight = np.nan_to_num(np.asarray(weight, dtype=np.float32))
    if weight.ndim != 4:
        raise ValueError(f"conv weights are (out, in, kh, kw), got shape {weight.shape}")
    if weight.shape[1] == 3:
        tiles = weight.transpose(0, 2, 3, 1)
        limit = np.abs(tiles).max(axis=(1, 2, 3), keepdims=True)
        return 0.5 + 0.5 * tiles / np.where(limit > 0, limit, 1), True
    return weight.mean(axis=1), False


class FilterView(QWidget):
    """`show_filters(weight (out, in, kh, kw))`, `reset()`. Blue < 0 < red, one symmetric scale for
    all filters (colour bar); RGB tiles for 3-channel input. Hover a tile for its filter and weight."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        set_names(
            self,
            "filterView",
            lambda: translate("FilterView", "Weights of the first convolution layer, one tile per output filter"),
        )
        self._weight: np.ndarray | None = None
        self._tiles: np.ndarray | None = None
        self._columns = 1
        self.refresher = Refresher(self, self._redraw)
        self.graphics = pg.GraphicsLayoutWidget()
        follow_background(self.graphics)
        self.graphics.setMinimumSize(160, 120)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.graphics)

        g = self.graphics
        self.title = g.addLabel("", row=0, col=0, colspan=2, size="9pt")
        self.view = MenuOnDemandViewBox(lockAspect=True, invertY=True)
        g.addItem(self.view, row=1, col=0)
        own_menus(self.graphics, self.view)
        self.image_item = pg.ImageItem(axisOrder="row-major")
        self.view.addItem(self.image_item)
        self.backing = add_separator_backing(self.view)
        self.colorbar = colorbar("CET-D1", lambda: translate("FilterView", "weight"), self.graphics)
        self.colorbar.setImageItem(self.image_item)
        g.addItem(self.colorbar, row=1, col=1)
        self.hover_label = g.addLabel("", row=2, col=0, colspan=2, size="8pt")
        add_menu_actions(self.view, None)  # the view fits the mosaic until zoomed
        g.scene().sigMouseMoved.connect(self._hover)
        theme.follow(self, self._restyle)
        i18n.follow(self, lambda view: view.retranslate())

    def retranslate(self) -> None:
        """The title in the window's language (the filters' description too); the hover line goes."""
        self.setAccessibleName(translate("FilterView", "First-layer filters"))
        self.graphics.setAccessibleName(translate("FilterView", "Mosaic of the first convolution layer's filters"))
        self.hover_label.setText("")
        self._title()

    def _restyle(self, t: Theme) -> None:
        """Labels are rendered text: set again in the new colours (muted while there are no weights)."""
        self.title.setText(self.title.text, color=t.plot_muted if self._weight is None else t.plot_text)
        self.title.setMinimumWidth(0)
        self.hover_label.setText(self.hover_label.text, color=t.plot_text)
        if self.colorbar.scene() is None:  # out of the scene (RGB tiles): not reached by the switch
            colour_bar(self.colorbar, t)

    def show_filters(self, weight: np.ndarray) -> None:
        weight = np.asarray(weight)
        if weight.ndim != 4:
            raise ValueError(f"conv weights are (out, in, kh, kw), got shape {weight.shape}")
        self._weight = weight.copy()
        self.refresher.mark()

    def reset(self) -> None:
        self.refresher.cancel()
        self._weight = self._tiles = None
        self.image_item.clear()
        set_backing(self.backing, 0, 1, 1, 1)
        self._title()
        self.hover_label.setText("")

    def _redraw(self) -> None:
        if self._weight is None:
            return
        kh, kw = self._weight.shape[2:]
        tiles, rgb = filter_tiles(self._weight[:MAX_FILTERS])
        count = len(tiles)
        _, self._columns = grid_shape(count, kh, kw)
        image = mosaic(tiles, self._columns)
        if rgb:
            self.image_item.setImage(image, levels=(0, 1), autoLevels=False)
        else:
            limit = float(np.abs(tiles).max()) or 1.0
            self.image_item.setColorMap(colormap("CET-D1"))
            self.image_item.setImage(image, levels=(-limit, limit), autoLevels=False)
            self.colorbar.setLevels((-limit, limit))
        if rgb and self.colorbar.scene() is not None:  # no colour scale for RGB tiles, and no space kept for it
            self.graphics.removeItem(self.colorbar)
        elif not rgb and self.colorbar.scene() is None:
            self.graphics.addItem(self.colorbar, row=1, col=1)
        self._tiles = self._weight[:MAX_FILTERS].transpose(0, 2, 3, 1) if rgb else tiles
        set_backing(self.backing, count, kh, kw, self._columns)
        self._title()

    def _title(self) -> None:
        """ "16 filters of 1×5×5 · weights", or no weights yet (muted)."""
        t = theme.current()
        if self._weight is None:
            self.title.setText(translate("FilterView", NO_WEIGHTS), color=t.plot_muted)
            self.title.setMinimumWidth(0)
            return
        out, inputs, kh, kw = self._weight.shape
        if inputs == 3:
            how = translate("FilterView", "RGB, ±max per filter")
        elif inputs == 1:
            how = translate("FilterView", "weights")
        else:
            how = translate("FilterView", "mean over {inputs} inputs").format(inputs=inputs)
        if out > MAX_FILTERS:
            text = translate("FilterView", "{count} filters (first {shown}) of {shape} · {how}")
        else:
            text = translate("FilterView", "{count} filters of {shape} · {how}")
        shape = f"{inputs}×{kh}×{kw}"
        self.title.setText(text.format(count=out, shown=MAX_FILTERS, shape=shape, how=how), color=t.plot_text)
        self.title.setMinimumWidth(0)  # clip a long title rather than widen the panel

    def _hover(self, scene_pos) -> None:
        if self._tiles is None or not self.view.sceneBoundingRect().contains(scene_pos):
            return
        point = self.view.mapSceneToView(scene_pos)
        count, kh, kw = self._tiles.shape[:3]
        hit = tile_at(point.x(), point.y(), count, kh, kw, self._columns)
        if hit is None:
            return
        index, y, x = hit
        value = np.round(self._tiles[index, y, x], 4)
        text = translate("FilterView", "filter {index} · ({x}, {y}) = {value}")
        self.hover_label.setText(text.format(index=index, x=x, y=y, value=value), color=theme.current().plot_text)


if __name__ == "__main__":
    import sys

    from ui.plots.common import demo_app, run_demo

    app = demo_app()
    view = FilterView()
    inputs = 3 if "--rgb" in sys.argv else 1
    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[-2:3, -2:3]
    angles = np.linspace(0, np.pi, 16, endpoint=False)
    gabor = np.stack([np.cos(1.4 * (xx * np.cos(a) + yy * np.sin(a))) * np.exp(-(xx**2 + yy**2) / 5) for a in angles])
    target = np.repeat(gabor[:, None], inputs, axis=1) * rng.uniform(0.5, 1.5, (16, inputs, 1, 1))
    weight = rng.normal(0, 0.3, target.shape)

    def feed(tick: int) -> None:
        weight[:] += 0.08 * (target - weight) + 0.01 * rng.standard_normal(weight.shape)
        view.show_filters(weight)

    run_demo(view, feed, interval_ms=100, size=(640, 480))
