"""Shared pieces of the plot panels: plots in the current theme (and following a switch), the ~30 Hz
coalescing refresh, context-menu additions and the mosaic/tiling maths (plain numpy, testable without
a window). The curve panels' base class and buffers are in `ui.plots.live_plot`; the colours are
`ui.theme`'s plot tokens.

Every panel keeps pyqtgraph's own right-click menu (with its Export… entry for PNG/SVG/CSV) and adds
"Reset zoom" on top of it.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Sequence
from functools import cache

import numpy as np
import pyqtgraph as pg
import shiboken6
from PySide6.QtCore import QEvent, QObject, QRectF, Qt, QTimer
from PySide6.QtGui import QAction, QPainterPath, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsItem,
    QGraphicsPathItem,
    QHBoxLayout,
    QLabel,
    QMenu,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui import i18n, theme
from ui.i18n import translate
from ui.plots.view_box import MenuOnDemandViewBox, own_menu, when_menu_made
from ui.theme import Theme
from ui.widgets import Text, set_text

REFRESH_MS = 200  # at most ~5 redraws a second: pyqtgraph paints in Python, holding the GIL
STAGGER_MS, STAGGER_SLOTS = 20, 10  # panels' refresh offsets: 0, 20, … 180 ms

# ----- plots in the theme ---------------------------------------------------------------------------------


def rgba(color: str, alpha: int) -> tuple[int, int, int, int]:
    """A "#rrggbb" colour with an alpha (0-255)."""
    c = pg.mkColor(color)
    return c.red(), c.green(), c.blue(), alpha


@cache
def colormap(name: str) -> pg.ColorMap:
    """pyqtgraph's colour map by name ("viridis", "CET-D1", …), loaded once."""
    return pg.colormap.get(name)


def style_plot(item: pg.PlotItem, x_label: Text | None, y_label: Text | None, grid: bool = True) -> None:
    """Axis pens, tick text and labels in the theme (and following it); units go into the label text
    (no SI prefixes)."""
    for name in ("left", "bottom", "right", "top"):
        axis = item.getAxis(name)
        axis.enableAutoSIPrefix(False)  # "learning rate (x0.001)" helps nobody
        # Cached as a pixmap: any change in the plot repaints the axis (its grid lines cross the plot), and
        # replaying its tick labels and lines took 2 ms each time; it is redrawn only when its ticks change.
        axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
    if callable(x_label) or callable(y_label):  # lambdas around translate(…): labels follow the language
        i18n.follow(item, lambda target: _label_axes(target, x_label, y_label))
    else:
        _label_axes(item, x_label, y_label)
    if grid:
        item.showGrid(x=True, y=True, alpha=0.15)  # grid lines are drawn with the axis pen
    item.setContentsMargins(4, 10, 12, 4)  # room for the outermost tick labels
    theme.follow_owner(item, colour_axes)


def _label_axes(item: pg.PlotItem, x_label: Text | None, y_label: Text | None) -> None:
    label_style = {"font-size": "10pt"}  # the colour is the axis text pen's, set by the theme
    for side, label in (("bottom", x_label), ("left", y_label)):
        if label:
            item.setLabel(side, label() if callable(label) else label, **label_style)


def alive(item: pg.PlotItem) -> bool:
    """Whether a plot item and its view box still have their C++ side: a window being deleted can change the
    language (tests' teardown does) after its view boxes went, and laying out a legend then reads them. A closed
    PlotWidget has no plot item at all (None)."""
    return item is not None and shiboken6.isValid(item) and shiboken6.isValid(item.getViewBox())


def colour_axes(item: pg.PlotItem, t: Theme) -> None:
    """Axis lines, ticks and grid in the axis colour; tick values and axis labels in the text colour."""
    for name in ("left", "bottom", "right", "top"):
        axis = item.getAxis(name)
        axis.setPen(pg.mkPen(t.plot_axis))
        axis.setTextPen(pg.mkPen(t.plot_text))  # after setPen: both set the label's colour


def add_legend(item: pg.PlotItem, corner: str = "top-right") -> pg.LegendItem:
    """A legend with a translucent backing, in one corner of the plot ("top-right", "bottom-right", …)."""
    x = -10 if corner.endswith("right") else 10
    y = -10 if corner.startswith("bottom") else 10
    t = theme.current()
    legend = item.addLegend(
        offset=(x, y),
        brush=rgba(t.plot_background, 200),
        pen=pg.mkPen(t.plot_separator),
        labelTextColor=t.plot_text,
        labelTextSize="8pt",
        verSpacing=-6,
    )
    theme.follow_owner(legend, colour_legend)
    return legend


def colour_legend(legend: pg.LegendItem, t: Theme) -> None:
    legend.setBrush(rgba(t.plot_background, 200))
    legend.setPen(pg.mkPen(t.plot_separator))
    legend.setLabelTextColor(t.plot_text)
    for _sample, label in legend.items:
        label.setText(label.text)  # a label is rendered text: set again, it takes the new colour


def follow_background(widget: pg.PlotWidget | pg.GraphicsLayoutWidget) -> None:
    """The plot area's background in the theme's plot colour, now and after a switch."""
    theme.follow_owner(widget, lambda owner, t: owner.setBackground(t.plot_background))


def own_menus(owner: QWidget, *items: pg.PlotItem | pg.ViewBox) -> None:
    """Make `owner` the parent of pyqtgraph's context menus for these items, so they go when it goes.

    pyqtgraph makes a PlotItem's "Plot Options" menu and a ViewBox's menu (with its submenus, link
    combos and their popups) without a parent. Our theme and menu hooks keep the items' Python objects
    alive, so those menus outlived every closed window: about 900 widgets per window, which each later
    style-sheet change restyled (a theme switch took 6 times as long after the UI tests' windows)."""
    for item in items:
        if isinstance(item, MenuOnDemandViewBox):
            own_menu(owner, item)  # its menu, when made
            continue
        for menu in (getattr(item, "ctrlMenu", None), getattr(item, "menu", None)):
            if isinstance(menu, QMenu) and menu.parent() is None:
                menu.setParent(owner, menu.windowFlags())
        if isinstance(item, pg.PlotItem):
            own_menus(owner, item.getViewBox())


def themed_plot_widget(parent: QWidget | None = None) -> pg.PlotWidget:
    widget = pg.PlotWidget(parent, background=theme.current().plot_background, viewBox=MenuOnDemandViewBox())
    widget.setMinimumSize(160, 120)
    follow_background(widget)
    own_menus(widget, widget.getPlotItem())
    return widget


def placeholder(text: Text) -> QLabel:
    """A centred, wrapped line in the plot colours, shown instead of empty axes until there is data (a lambda's
    text follows the language)."""
    label = QLabel()
    set_text(label, "setText", text)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    theme.style_sheet(label, "background: {plot_background}; color: {plot_muted}; font-size: 11pt;")
    return label


def add_menu_actions(view_box: pg.ViewBox, reset: Callable[[], None] | None, extra: Sequence[QAction] = ()) -> QAction:
    """Put "Reset zoom" (and `extra` actions) at the top of pyqtgraph's ViewBox menu, above "View All";
    the scene still appends its Export… entry. `reset` None: fit and follow again (auto-range).
    Returns the reset action (on the menu once the menu is made: see `ui.plots.view_box`)."""
    action = QAction(view_box)  # owned by Qt: never deleted by Python's collector, on whatever thread
    i18n.follow(action, _name_reset_action)
    action.triggered.connect(reset if reset is not None else lambda: view_box.enableAutoRange())

    def add(menu: QMenu) -> None:
        first = menu.actions()[0] if menu.actions() else None
        for entry in (action, *extra):
            if entry.parent() is None:
                entry.setParent(menu)
            menu.insertAction(first, entry)
        menu.insertSeparator(first)

    when_menu_made(view_box, add)
    return action


def _name_reset_action(action: QAction) -> None:
    action.setText(translate("common", "Reset zoom"))
    action.setToolTip(translate("common", "Fit the view to the data and follow new data again"))


def colorbar(name: str, label: Text, owner: QWidget) -> pg.ColorBarItem:
    """A non-interactive colour bar in the theme, its axis labelled (no SI prefixes), shown in `owner`."""
    bar = pg.ColorBarItem(colorMap=colormap(name), interactive=False, width=12, colorMapMenu=False)
    bar.axis.enableAutoSIPrefix(False)
    if callable(label):  # a lambda around translate(…): the label follows the language
        i18n.follow(bar.axis, lambda axis: axis.setLabel(label()))
    else:
        bar.axis.setLabel(label)  # its colour is the axis text pen's
    bar.axis.setWidth(62)  # room for tick values and the label

    theme.follow_owner(bar, colour_bar)
    own_menus(owner, bar)  # a ColorBarItem is a PlotItem
    return bar


def colour_bar(bar: pg.ColorBarItem, t: Theme) -> None:
    bar.axis.setPen(pg.mkPen(t.plot_axis))
    bar.axis.setTextPen(pg.mkPen(t.plot_text))


def plot_palette(widget: QWidget) -> None:
    """The widget's background and text in the plot colours (it fills its background), following the theme."""
    widget.setAutoFillBackground(True)
    theme.follow_owner(widget, colour_panel)


def colour_panel(widget: QWidget, t: Theme) -> None:
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.Window, pg.mkColor(t.plot_background))
    palette.setColor(QPalette.ColorRole.WindowText, pg.mkColor(t.plot_text))
    palette.setColor(QPalette.ColorRole.Base, pg.mkColor(t.plot_control))
    widget.setPalette(palette)


def header_bar() -> tuple[QWidget, QHBoxLayout]:
    """A thin strip above a plot for its controls and captions, in the plot colours."""
    bar = QWidget()
    bar.setObjectName("plotHeader")
    plot_palette(bar)
    layout = QHBoxLayout(bar)
    layout.setContentsMargins(6, 3, 6, 3)
    layout.setSpacing(8)
    return bar, layout


def stacked_panel(owner: QWidget, header: QWidget, empty: QWidget, plot: QWidget) -> QStackedWidget:
    """Lay `owner` out as a header strip over a stack that shows `empty` (a line saying when data will
    come) instead of empty axes until the panel switches to `plot`. Returns the stack."""
    stack = QStackedWidget()
    stack.addWidget(empty)
    stack.addWidget(plot)
    layout = QVBoxLayout(owner)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    layout.addWidget(header)
    layout.addWidget(stack, 1)
    return stack


def layer_place(text: str) -> str:
    """A layer's place as the core writes it ("3 Residual › branch 2 › 1 Conv2d", "3 Residual › projection
    Conv2d") in the window's language; layer names stay as they are."""
    text = _BRANCH.sub(lambda found: translate("common", "branch {number}").format(number=found.group(1)), text)
    return _PROJECTION.sub(lambda _found: translate("common", "projection"), text)


_BRANCH = re.compile(r"\bbranch (\d+)\b")
_PROJECTION = re.compile(r"\bprojection\b")


def shrinkable(label: QLabel) -> QLabel:
    """A caption that never forces its panel wider: long text is clipped instead."""
    label.setMinimumWidth(20)
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    return label


# ----- the ~30 Hz refresh -----------------------------------------------------------------------------------


class Refresher(QObject):
    """Coalesces changes: `mark()` after buffering data; `redraw` runs once on the next timer tick
    (about REFRESH_MS later), never per data point. `flush()` redraws now if something is pending.

    Each refresher's interval is offset by a few tens of milliseconds from the previous one's: panels
    marked by the same event then repaint in separate passes instead of one long one that would
    freeze the window (one pass of all panels took 60-110 ms)."""

    _count = 0

    def __init__(self, parent: QObject, redraw: Callable[[], None], interval_ms: int = REFRESH_MS) -> None:
        super().__init__(parent)
        self._redraw = redraw
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        Refresher._count += 1
        self._timer.setInterval(interval_ms + STAGGER_MS * (Refresher._count % STAGGER_SLOTS))
        self._timer.timeout.connect(self._on_timeout)
        self.dirty = False
        self.redraws = 0
        if isinstance(parent, QWidget):
            parent.installEventFilter(self)

    def _on_timeout(self) -> None:
        """A panel out of sight (another tab) is not redrawn; it is when it is shown again."""
        widget = self.parent()
        if isinstance(widget, QWidget) and not widget.isVisible():
            return
        self.flush()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and self.dirty:
            self._timer.start()
        return False

    def mark(self) -> None:
        self.dirty = True
        if not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        self._timer.stop()
        if self.dirty:
            self.dirty = False
            self.redraws += 1
            self._redraw()

    def cancel(self) -> None:
        self._timer.stop()
        self.dirty = False


# ----- mosaics: numpy only --------------------------------------------------------------------------------


def grid_shape(count: int, tile_height: int = 1, tile_width: int = 1, aspect: float = 1.0) -> tuple[int, int]:
    """(rows, columns) for `count` tiles so the whole mosaic is about `aspect` (width / height) wide,
    with no empty row or column: 10 square tiles → (3, 4), 256 → (16, 16), 1 → (1, 1)."""
    if count <= 0:
        return 0, 0
    columns = math.ceil(math.sqrt(count * aspect * tile_height / max(1, tile_width)))
    columns = max(1, min(count, columns))
    rows = math.ceil(count / columns)
    return rows, math.ceil(count / rows)


def mosaic_shape(count: int, tile_height: int, tile_width: int, columns: int, pad: int = 1) -> tuple[int, int]:
    rows = math.ceil(count / columns) if count else 0
    return rows * tile_height + max(0, rows - 1) * pad, columns * tile_width + max(0, columns - 1) * pad


def mosaic(tiles: np.ndarray, columns: int | None = None, pad: int = 1, fill: float = np.nan) -> np.ndarray:
    """(N, H, W) or (N, H, W, 3) tiles → one float32 image, row-major, tiles left to right then top to
    bottom, `pad` pixels of `fill` between them (NaN: drawn transparent, the separator shows through)."""
    tiles = np.asarray(tiles, dtype=np.float32)
    count, height, width = tiles.shape[:3]
    if count == 0:
        return np.zeros((0, 0, *tiles.shape[3:]), dtype=np.float32)
    if columns is None:
        columns = grid_shape(count, height, width)[1]
    out_h, out_w = mosaic_shape(count, height, width, columns, pad)
    out = np.full((out_h, out_w, *tiles.shape[3:]), fill, dtype=np.float32)
    for index in range(count):
        r, c = divmod(index, columns)
        y, x = r * (height + pad), c * (width + pad)
        out[y : y + height, x : x + width] = tiles[index]
    return out


def tile_at(x: float, y: float, count: int, tile_height: int, tile_width: int, columns: int, pad: int = 1):
    """Inverse of `mosaic` for hovering: image coordinates (x right, y down) → (tile index, row, col)
    within the tile, or None on a separator or outside."""
    if x < 0 or y < 0 or columns <= 0:
        return None
    c, in_x = divmod(int(x), tile_width + pad)
    r, in_y = divmod(int(y), tile_height + pad)
    index = r * columns + c
    if c >= columns or in_x >= tile_width or in_y >= tile_height or index >= count:
        return None
    return index, in_y, in_x


def normalise_tiles(maps: np.ndarray, shared: bool = False) -> np.ndarray:
    """(N, H, W) → float32 in [0, 1], each map by its own min/max (or one min/max for all when
    `shared`); a constant map becomes 0. NaN/inf become 0 first."""
    maps = np.nan_to_num(np.asarray(maps, dtype=np.float32), nan=0.0, posinf=0.0, neginf=0.0)
    axes = None if shared else tuple(range(1, maps.ndim))
    low = maps.min(axis=axes, keepdims=True) if maps.size else np.zeros(1, np.float32)
    span = maps.max(axis=axes, keepdims=True) - low if maps.size else np.ones(1, np.float32)
    return np.where(span > 0, (maps - low) / np.where(span > 0, span, 1), 0).astype(np.float32)


def abbreviate(name: str, max_chars: int) -> str:
    """Shorten a class name to `max_chars`: "T-shirt/top" → "T-shirt/…" (9) or "T-s" (3, too short for "…")."""
    max_chars = max(1, max_chars)
    if len(name) <= max_chars:
        return name
    return name[: max_chars - 1] + "…" if max_chars >= 5 else name[:max_chars]  # "Sne" beats "S…"


def add_separator_backing(view_box: pg.ViewBox) -> QGraphicsPathItem:
    """A shape behind a mosaic whose colour shows through the NaN separators (see `set_backing`)."""
    item = QGraphicsPathItem()
    item.setPen(pg.mkPen(None))
    item.setZValue(-10)
    view_box.addItem(item, ignoreBounds=True)
    theme.follow(view_box, lambda t: item.setBrush(pg.mkBrush(t.plot_separator)))
    return item


def set_backing(item: QGraphicsPathItem, count: int, tile_height: int, tile_width: int, columns: int, pad=1) -> None:
    """Cover the filled tiles and the separators between them, not the empty cells after the last tile."""
    path = QPainterPath()
    rows = math.ceil(count / columns) if count and columns else 0
    for r in range(rows):
        in_row = min(columns, count - r * columns)
        top = r * (tile_height + pad) - (pad if r else 0)
        bottom = r * (tile_height + pad) + tile_height
        path.addRect(QRectF(0, top, in_row * (tile_width + pad) - pad, bottom - top))
    item.setPath(path.simplified())


def demo_app() -> QApplication:
    """For the modules' `__main__` demos: the application, created before any widget."""
    return QApplication.instance() or QApplication([])


def run_demo(widget: QWidget, feed: Callable[[int], None], interval_ms: int = 50, size=(820, 520)) -> None:
    """For the modules' `__main__` demos: show `widget` and call `feed(tick)` on a timer."""
    app = demo_app()
    if os.environ.get("DEMO_SIZE"):  # e.g. DEMO_SIZE=400x300 to check legibility when small
        size = tuple(int(v) for v in os.environ["DEMO_SIZE"].split("x"))
    widget.resize(*size)
    widget.setWindowTitle(f"CNN Workbench — {widget.objectName()} demo")
    widget.show()
    tick = [0]

    def step() -> None:
        tick[0] += 1
        feed(tick[0])

    timer = QTimer(widget)
    timer.timeout.connect(step)
    timer.start(interval_ms)
    app.exec()
