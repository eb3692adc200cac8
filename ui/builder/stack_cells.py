"""What each row of the layer stack says (number, layer, settings, output, parameters) and its state, from the spec
and its inference; no Qt, so the rules for nested rows are tested on their own.

A layer that cannot work is FAILING (red); the blocks holding it say "error" (ERROR); every row after it is
UNREACHED (grey, "?"): shape inference stops there. A failing layer inside a closed block marks the closed
block's row instead, the nearest row in sight.
"""

from __future__ import annotations

from dataclasses import dataclass

from ui.builder.stack_rows import Row
from workbench.model import tree
from workbench.model.catalog import CONCAT, RESIDUAL
from workbench.model.edits import settings_text
from workbench.model.formatting import human_count
from workbench.model.shape_rules import shape_text
from workbench.model.shapes import Inference, LayerInfo
from workbench.model.spec import LayerSpec, ModelSpec
from workbench.model.tree import Path
from workbench.text import count

OK, FAILING, ERROR, UNREACHED = "ok", "failing", "error", "after"
EMPTY_BRANCH = "empty: passes the input through"


@dataclass(frozen=True)
class Cells:
    texts: tuple[str, str, str, str, str]  # #, Layer, Settings, Output, Parameters
    state: str  # OK, FAILING, ERROR or UNREACHED
    tip: str  # why the row cannot work, or that it comes after one; empty otherwise


def number_text(spec: ModelSpec, path: Path) -> str:
    """'3' for the model's third layer, '2.1' for the first layer of the Residual block at 2, '4.b2.1' for the
    first layer of branch 2 of the Concat block at 4: the numbering the summary, the runs diff and the
    experiments' headers use (`tree.label`)."""
    return tree.label(spec, path)


def failing_row(rows: list[Row], inference: Inference) -> int:
    """The row that shows the failing layer: its own, or the closed block's that hides it; -1 when none fails."""
    error = inference.error
    if error is None:
        return -1
    path = tuple(error.path) or (error.index - 1,)
    where = {row.path: index for index, row in enumerate(rows) if not row.is_header}
    while path:
        if path in where:
            return where[path]
        path = path[:-2]
    return -1


def row_cells(spec: ModelSpec, rows: list[Row], inference: Inference) -> list[Cells]:
    infos = {info.path: info for info in inference.walk()}
    failing = failing_row(rows, inference)
    error = inference.error
    failing_path = rows[failing].path if failing >= 0 else ()
    cells = []
    for index, row in enumerate(rows):
        if failing >= 0 and index == failing:
            state, tip = FAILING, error.message
        elif failing >= 0 and index > failing:
            state, tip = UNREACHED, "after a layer that cannot work"
        elif not row.is_header and failing >= 0 and failing_path[: len(row.path)] == row.path:
            state, tip = ERROR, error.message
        else:
            state, tip = OK, ""
        texts = _header_texts(spec, row, infos) if row.is_header else _layer_texts(spec, row.path, infos, state)
        cells.append(Cells(texts, state, tip))
    return cells


def _layer_texts(spec: ModelSpec, path: Path, infos: dict[Path, LayerInfo], state: str) -> tuple[str, ...]:
    layer = tree.layer_at(spec, path)
    info = infos.get(path)
    if info is not None:
        output, params = shape_text(info.output), human_count(info.params)
    else:
        output, params = ("error", "") if state in (FAILING, ERROR) else ("?", "")
    return (number_text(spec, path), layer.type, block_settings(layer, info), output, params)


def block_settings(layer: LayerSpec, info: LayerInfo | None) -> str:
    """A layer's settings; for a block also what it holds (and a Residual's projection, when it needs one)."""
    settings = settings_text(layer)
    if layer.type == RESIDUAL:
        parts = [settings, count(len(layer.layers), "layer")]
        if info is not None and info.projection is not None:
            parts.append(f"projection {info.projection.in_channels}→{info.projection.out_channels}")
        return " · ".join(part for part in parts if part)
    if layer.type == CONCAT:
        return f"{len(layer.branches)} branches" if len(layer.branches) != 1 else "1 branch"
    return settings


def _header_texts(spec: ModelSpec, row: Row, infos: dict[Path, LayerInfo]) -> tuple[str, ...]:
    layers = tree.layer_at(spec, row.path).branches[row.branch]
    settings = count(len(layers), "layer") if layers else EMPTY_BRANCH
    block = infos.get(row.path)
    output, params = "", ""
    if block is not None and row.branch < len(block.branches):
        inner = block.branches[row.branch]
        output = shape_text(inner[-1].output if inner else block.input)
        params = human_count(sum(info.params for info in inner))
    return ("", f"branch {row.branch + 1}", settings, output, params)
