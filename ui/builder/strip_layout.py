"""Where the forward strip draws each layer: positioned items, a Residual block's skip arc and a Concat block's
branches, worked out from a spec and its inference with no painting (`forward_strip` paints them).

The main line is a row of columns and chips (see `forward_strip`). A Residual block's layers stay on the main
line; an arc leaves the line before them and comes back at the block's add node (a circle, the block's own
item), dashed when the input passes a 1×1 projection. A Concat block parts the line into one lane per branch,
each branch's layers small chips along it (an empty lane passes the input through), and the lanes meet at the
block's join node. Every layer of the spec, inside blocks too, is exactly one item, named by its path.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from PySide6.QtCore import QCoreApplication, QRectF
from PySide6.QtGui import QFont, QFontMetrics

from ui import messages
from ui.builder.block_panel import projection_words
from ui.builder.stack_cells import number_text
from ui.style import ERROR_COLOUR, GROUP_COLOURS, INPUT_COLOUR
from workbench.model import tree
from workbench.model.catalog import CATALOG, CONCAT, RESIDUAL
from workbench.model.shape_rules import Shape, shape_text
from workbench.model.shapes import Inference, LayerInfo
from workbench.model.spec import LayerSpec, ModelSpec
from workbench.model.tree import Path

STRIP_HEIGHT = 170
ALWAYS_BLOCK = ("Convolution", "Dense")
CHIP_NAMES = {"BatchNorm2d": "BN2d", "BatchNorm1d": "BN1d", "Dropout": "Drop", "Dropout2d": "Drop2d"}
LANE_NAMES = {**CHIP_NAMES, "Residual": "Res", "Concat": "Cat", "MaxPool2d": "MaxPool", "AvgPool2d": "AvgPool"}
CHIP_KINDS = ("Activation", "Normalization", "Regularization", "Output")

TOP, BOTTOM, COLUMN_GAP, CHIP_GAP = 8, 6, 16, 10
CHIP_HEIGHT, CHIPS_PER_COLUMN = 17, 5
OBLIQUE_X, OBLIQUE_Y = 0.5, 0.35  # the receding (width) axis of a block, per pixel of depth
MIN_FACE, BAR_WIDTH, TYPE_MAX_WIDTH = 8.0, 8.0, 104
NODE_RADIUS, ARC_STEP, LANE_GAP = 9.0, 5.0, 6.0


@dataclass(frozen=True)
class StripItem:
    """One drawn thing. `row` is the 0-based row of the spec that holds the layer (None for the input), `path`
    the layer's own; `kind` is "input", "block", "chip" or "join" (a block's add or join node); `state` is "ok",
    "error" (the failing layer, or a block holding it) or "after" (never reached, drawn in the theme's grey: its
    `colour` is empty)."""

    row: int | None
    kind: str
    type: str
    label: str
    state: str
    shape: Shape | None
    colour: str
    tooltip: str
    rect: QRectF = field(default_factory=QRectF)  # the clickable area
    face: QRectF = field(default_factory=QRectF)  # the front face of a block (the pill of a chip, a node's circle)
    depth: float = 0.0  # length of the receding edge; 0 for flat bars and chips
    path: Path | None = None

    @property
    def height(self) -> float:
        """Drawn height of the block's front face, in pixels."""
        return self.face.height()


@dataclass(frozen=True)
class StripArc:
    """A Residual block's skip connection: it leaves the line at x `start`, runs at height `y` and comes down into
    the add node at x `end`; `projection` is the 1×1 projection's text, empty when the input is added as it is."""

    path: Path
    start: float
    end: float
    y: float
    projection: str


@dataclass(frozen=True)
class StripFork:
    """A Concat block's branches: the line parts at x `start` into lanes at heights `lanes` (one per branch) that
    meet at the join node at x `end`."""

    path: Path
    start: float
    end: float
    lanes: tuple[float, ...]


@dataclass(frozen=True)
class StripPlan:
    items: tuple[StripItem, ...]
    arcs: tuple[StripArc, ...]
    forks: tuple[StripFork, ...]
    width: int


def _states(spec: ModelSpec, inference: Inference) -> tuple[dict[Path, str], Path | None]:
    """The state of every layer that is not "ok", and the failing layer's path."""
    error = inference.error
    if error is None:
        return {}, None
    failing = tuple(error.path) or (error.index - 1,)
    order = [path for path, _ in tree.walk(spec)]
    at = order.index(failing) if failing in order else len(order)
    states = {}
    for index, path in enumerate(order):
        if index == at or (index < at and failing[: len(path)] == path):
            states[path] = "error"
        elif index > at:
            states[path] = "after"
    return states, failing


def _residual_depth(layers: tuple[LayerSpec, ...]) -> int:
    """How many Residual blocks nest on the main line (each needs its own arc height)."""
    deepest = 0
    for layer in layers:
        if layer.type == RESIDUAL:
            deepest = max(deepest, 1 + _residual_depth(layer.layers))
    return deepest


class Layout:
    """Turns a spec and its inference into a StripPlan (no painting)."""

    def __init__(self, label_font: QFont, chip_font: QFont):
        bold = QFont(label_font)
        bold.setBold(True)
        self._label_metrics = QFontMetrics(bold)
        self._type_metrics = QFontMetrics(label_font)
        self._chip_metrics = QFontMetrics(chip_font)
        self._line = max(self._label_metrics.height(), self._type_metrics.height())
        self._items: list[StripItem] = []
        self._arcs: list[StripArc] = []
        self._forks: list[StripFork] = []
        self._x = 10.0
        self._max_side = 1
        self._band = 0.0  # the height kept above the figures for the skip arcs
        self._level = 0  # how many Residual blocks hold the layers being laid out
        self._spec: ModelSpec | None = None
        self._infos: dict[Path, LayerInfo] = {}
        self._states: dict[Path, str] = {}
        self._failing: Path | None = None
        self._inference: Inference | None = None

    def line_height(self) -> int:
        return self._line

    def draw_height(self) -> float:
        """Height available to the figures, below the arcs and above the two label lines."""
        return STRIP_HEIGHT - TOP - BOTTOM - 2 * self._line - 10 - self._band

    def axis(self) -> float:
        return TOP + self._band + self.draw_height() / 2

    def build(self, spec: ModelSpec, inference: Inference) -> StripPlan:
        self._spec, self._inference = spec, inference
        self._infos = {info.path: info for info in inference.walk()}
        self._states, self._failing = _states(spec, inference)
        levels = _residual_depth(spec.layers)
        self._band = min(4.0 + ARC_STEP * levels, 24.0) if levels else 0.0
        shapes = (inference.input, *(info.output for info in inference.walk()))
        sides = [s[1:] for s in shapes if len(s) == 3]
        if inference.error is not None and len(inference.error.input) == 3:
            sides.append(inference.error.input[1:])
        self._max_side = max((max(hw) for hw in sides), default=1)
        label = shape_text(inference.input)
        tip = QCoreApplication.translate("ForwardStrip", "Input: {shape}").format(shape=label)
        self._column(
            StripItem(
                None,
                "input",
                QCoreApplication.translate("ForwardStrip", "Input"),
                label,
                "ok",
                inference.input,
                INPUT_COLOUR,
                tip,
            )
        )
        self._stack(spec.layers, ())
        return StripPlan(tuple(self._items), tuple(self._arcs), tuple(self._forks), int(self._x + 6))

    # -- the main line ----------------------------------------------------------------------------

    def _stack(self, layers: tuple[LayerSpec, ...], stack: Path) -> None:
        chips: list[StripItem] = []
        for index, layer in enumerate(layers):
            path = (*stack, index)
            entry = None if layer.is_block else self._entry(path, layer.type)
            if entry is not None and entry.kind == "chip":
                chips.append(entry)
                continue
            self._chips(chips)
            chips = []
            if layer.type == RESIDUAL:
                self._residual(layer, path)
            elif layer.type == CONCAT:
                self._concat(layer, path)
            else:
                self._column(entry)
        self._chips(chips)

    def _residual(self, layer: LayerSpec, path: Path) -> None:
        start = self._x + 4
        self._x += 10
        self._level += 1
        self._stack(layer.layers, (*path, 0))
        self._level -= 1
        node = self._node(path, layer)
        info = self._infos.get(path)
        projection = info.projection.text if info is not None and info.projection is not None else ""
        self._arcs.append(StripArc(path, start, node.face.center().x(), TOP + 2 + ARC_STEP * self._level, projection))

    def _concat(self, layer: LayerSpec, path: Path) -> None:
        start = self._x + 4
        self._x += 18
        count_ = len(layer.branches)
        spacing = min(CHIP_HEIGHT + 4.0, self.draw_height() / count_)
        chip_height = min(float(CHIP_HEIGHT), spacing - 2)
        top = self.axis() - spacing * (count_ - 1) / 2
        lanes, widest = [], 0.0
        for branch, layers in enumerate(layer.branches):
            y = top + branch * spacing
            lanes.append(y)
            widest = max(widest, self._lane(layers, (*path, branch), y, chip_height))
        self._x += max(widest, 16.0) + 14
        node = self._node(path, layer)
        self._forks.append(StripFork(path, start, node.face.center().x(), tuple(lanes)))

    def _lane(self, layers: tuple[LayerSpec, ...], stack: Path, y: float, height: float) -> float:
        """One branch's layers as small chips along its lane at height `y`; returns the lane's width."""
        x = self._x
        for path, layer in tree.walk_stack(layers, stack):
            entry = self._entry(path, layer.type)
            name = LANE_NAMES.get(layer.type, layer.type)
            width = self._chip_metrics.horizontalAdvance(name) + 12
            pill = QRectF(x, y - height / 2, width, height)
            shown = name if height >= self._chip_metrics.height() - 2 else ""
            self._items.append(replace(entry, kind="chip", label=shown, rect=pill, face=pill))
            x += width + LANE_GAP
        return x - self._x - LANE_GAP if layers else 0.0

    def _node(self, path: Path, layer: LayerSpec) -> StripItem:
        """A block's add (Residual) or join (Concat) node, a circle on the line with the block's output below."""
        entry = self._block_entry(path, layer)
        label_w = max(
            self._label_metrics.horizontalAdvance(entry.label),
            min(self._type_metrics.horizontalAdvance(entry.type), TYPE_MAX_WIDTH),
        )
        width = max(2 * NODE_RADIUS, label_w) + COLUMN_GAP
        centre = self._x + width / 2
        face = QRectF(centre - NODE_RADIUS, self.axis() - NODE_RADIUS, 2 * NODE_RADIUS, 2 * NODE_RADIUS)
        item = replace(entry, rect=QRectF(self._x, TOP, width, STRIP_HEIGHT - TOP - BOTTOM), face=face)
        self._items.append(item)
        self._x += width
        return item

    # -- entries ----------------------------------------------------------------------------------

    def _head(self, path: Path, type_name: str) -> str:
        return f"{number_text(self._spec, path)}. {type_name}"

    def _entry(self, path: Path, type_name: str) -> StripItem:
        group = CATALOG[type_name].group
        colour = GROUP_COLOURS.get(group, INPUT_COLOUR)
        head, info, state = self._head(path, type_name), self._infos.get(path), self._states.get(path, "ok")
        if info is not None:
            kind = "block" if group in ALWAYS_BLOCK or info.output != info.input else "chip"
            label = shape_text(info.output)
            tip = _made(head, label, info.params)
            return StripItem(path[0], kind, type_name, label, "ok", info.output, colour, tip, path=path)
        error = self._inference.error
        if path == self._failing:
            tip = QCoreApplication.translate("ForwardStrip", "{layer}: {cause}; {fix}").format(
                layer=head, cause=messages.translated(error.cause), fix=messages.translated(error.fix)
            )
            shown = QCoreApplication.translate("ForwardStrip", "error")
            return StripItem(path[0], "block", type_name, shown, "error", error.input, ERROR_COLOUR, tip, path=path)
        kind = "chip" if group in CHIP_KINDS else "block"
        where = messages.place(error) if error else "?"
        tip = QCoreApplication.translate("ForwardStrip", "{layer}: not reached; fix {where} first").format(
            layer=head, where=where
        )
        if state != "after":  # inside the block that fails, before the failing layer: its shape is not reported
            tip = QCoreApplication.translate(
                "ForwardStrip", "{layer}: in a block that cannot work; fix {where} first"
            ).format(layer=head, where=where)
            return StripItem(path[0], kind, type_name, "?", "ok", None, colour, tip, path=path)
        return StripItem(path[0], kind, type_name, "?", "after", None, "", tip, path=path)

    def _block_entry(self, path: Path, layer: LayerSpec) -> StripItem:
        head, info, state = self._head(path, layer.type), self._infos.get(path), self._states.get(path, "ok")
        colour = GROUP_COLOURS.get("Blocks", INPUT_COLOUR)
        if info is not None:
            label = shape_text(info.output)
            tip = _made(head, label, info.params)
            if info.projection is not None:
                tip += "\n" + QCoreApplication.translate("ForwardStrip", "skip path: {projection}").format(
                    projection=projection_words(info.projection)
                )
            return StripItem(path[0], "join", layer.type, label, "ok", info.output, colour, tip, path=path)
        if state == "error":
            tip = QCoreApplication.translate("ForwardStrip", "{layer}: {problem}").format(
                layer=head, problem=messages.translated(self._inference.error)
            )
            return StripItem(
                path[0],
                "join",
                layer.type,
                QCoreApplication.translate("ForwardStrip", "error"),
                "error",
                None,
                ERROR_COLOUR,
                tip,
                path=path,
            )
        tip = QCoreApplication.translate("ForwardStrip", "{layer}: not reached").format(layer=head)
        return StripItem(path[0], "join", layer.type, "?", "after", None, "", tip, path=path)

    # -- columns and chips ------------------------------------------------------------------------

    def _column(self, entry: StripItem) -> None:
        thickness, face_h, depth = self._geometry(entry.shape)
        figure_w = thickness + depth * OBLIQUE_X
        label_w = max(
            self._label_metrics.horizontalAdvance(entry.label),
            min(self._type_metrics.horizontalAdvance(entry.type), TYPE_MAX_WIDTH),
        )
        width = max(figure_w, label_w) + COLUMN_GAP
        left = self._x + (width - figure_w) / 2
        top = self.axis() - (face_h + depth * OBLIQUE_Y) / 2 + depth * OBLIQUE_Y
        face = QRectF(left, top, thickness, face_h)
        rect = QRectF(self._x, TOP, width, STRIP_HEIGHT - TOP - BOTTOM)
        self._items.append(replace(entry, rect=rect, face=face, depth=depth))
        self._x += width

    def _geometry(self, shape: Shape | None) -> tuple[float, float, float]:
        """(front thickness ∝ log2 channels, face height ∝ sqrt H, receding depth ∝ sqrt W)."""
        if shape is None:
            return 14.0, 28.0, 0.0
        if len(shape) == 3:
            channels, height, width = shape
            full = self.draw_height() / (1 + OBLIQUE_Y)
            return 5 + 5 * math.log2(channels), self._side(height, full), self._side(width, full)
        thickness = 5 + 5 * math.log2(shape[0]) if len(shape) > 1 else BAR_WIDTH
        length = math.prod(shape[1:]) if len(shape) > 1 else shape[0]
        return thickness, min(self.draw_height(), max(MIN_FACE, 9 * math.log2(length + 1))), 0.0

    def _side(self, size: int, full: float) -> float:
        return max(MIN_FACE, full * math.sqrt(min(size, self._max_side) / self._max_side))

    def _chips(self, chips: list[StripItem]) -> None:
        """Stack shape-preserving layers as pills in the gap, in columns of CHIPS_PER_COLUMN."""
        for start in range(0, len(chips), CHIPS_PER_COLUMN):
            column = chips[start : start + CHIPS_PER_COLUMN]
            names = [CHIP_NAMES.get(entry.type, entry.type) for entry in column]
            width = max(self._chip_metrics.horizontalAdvance(name) for name in names) + 12
            y = self.axis() - (len(column) * (CHIP_HEIGHT + 3) - 3) / 2
            for entry, name in zip(column, names, strict=True):
                pill = QRectF(self._x, y, width, CHIP_HEIGHT)
                self._items.append(replace(entry, label=name, rect=pill, face=pill))
                y += CHIP_HEIGHT + 3
            self._x += width + CHIP_GAP


def _made(head: str, shape: str, params: int) -> str:
    """'4. Conv2d → 20×8×8, 5,020 parameters'."""
    if params == 1:
        return QCoreApplication.translate("ForwardStrip", "{layer} → {shape}, 1 parameter").format(
            layer=head, shape=shape
        )
    text = QCoreApplication.translate("ForwardStrip", "{layer} → {shape}, {params} parameters")
    return text.format(layer=head, shape=shape, params=f"{params:,}")
