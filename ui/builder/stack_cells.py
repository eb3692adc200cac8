"""What each row of the layer stack says (number, layer, settings, output, parameters) and its state, from the spec
and its inference; no Qt, so the rules for nested rows are tested on their own.

A layer that cannot work is FAILING (red); the blocks holding it say "error" (ERROR); every row after it is
UNREACHED (grey, "?"): shape inference stops there. A failing layer inside a closed block marks the closed
block's row instead, the nearest row in sight.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from ui import messages
from ui.builder.stack_rows import Row
from workbench.model import tree
from workbench.model.catalog import CONCAT, RESIDUAL
from workbench.model.edits import settings_text
from workbench.model.formatting import human_count
from workbench.model.shape_rules import shape_text
from workbench.model.shapes import Inference, LayerInfo
from workbench.model.spec import LayerSpec, ModelSpec
from workbench.model.tree import Path

OK, FAILING, ERROR, UNREACHED = "ok", "failing", "error", "after"


def layers_text(n: int) -> str:
    """'1 layer', '3 layers', in the window's language."""
    if n == 1:
        return QCoreApplication.translate("LayerStack", "1 layer")
    return QCoreApplication.translate("LayerStack", "{count} layers").format(count=f"{n:,}")


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
            state, tip = FAILING, _error_tip(error)
        elif failing >= 0 and index > failing:
            state, tip = UNREACHED, QCoreApplication.translate("LayerStack", "after a layer that cannot work")
        elif not row.is_header and failing >= 0 and failing_path[: len(row.path)] == row.path:
            state, tip = ERROR, _error_tip(error)
        else:
            state, tip = OK, ""
        texts = _header_texts(spec, row, infos) if row.is_header else _layer_texts(spec, row.path, infos, state)
        cells.append(Cells(texts, state, tip))
    return cells


def _error_tip(error) -> str:
    """Why the layer cannot work, in the window's language (the inspector has room for the English line)."""
    return messages.translated(error)


def _layer_texts(spec: ModelSpec, path: Path, infos: dict[Path, LayerInfo], state: str) -> tuple[str, ...]:
    layer = tree.layer_at(spec, path)
    info = infos.get(path)
    if info is not None:
        output, params = shape_text(info.output), human_count(info.params)
    else:
        failed = state in (FAILING, ERROR)
        output, params = (QCoreApplication.translate("LayerStack", "error"), "") if failed else ("?", "")
    return (number_text(spec, path), layer.type, block_settings(layer, info), output, params)


def block_settings(layer: LayerSpec, info: LayerInfo | None) -> str:
    """A layer's settings; for a block also what it holds (and a Residual's projection, when it needs one)."""
    settings = settings_text(layer)
    if layer.type == RESIDUAL:
        parts = [settings, layers_text(len(layer.layers))]
        if info is not None and info.projection is not None:
            projection = info.projection
            parts.append(
                QCoreApplication.translate("LayerStack", "projection {source}→{target}").format(
                    source=projection.in_channels, target=projection.out_channels
                )
            )
        return " · ".join(part for part in parts if part)
    if layer.type == CONCAT:
        if len(layer.branches) == 1:
            return QCoreApplication.translate("LayerStack", "1 branch")
        return QCoreApplication.translate("LayerStack", "{count} branches").format(count=len(layer.branches))
    return settings


def _header_texts(spec: ModelSpec, row: Row, infos: dict[Path, LayerInfo]) -> tuple[str, ...]:
    layers = tree.layer_at(spec, row.path).branches[row.branch]
    if layers:
        settings = layers_text(len(layers))
    else:
        settings = QCoreApplication.translate("LayerStack", "empty: passes the input through")
    block = infos.get(row.path)
    output, params = "", ""
    if block is not None and row.branch < len(block.branches):
        inner = block.branches[row.branch]
        output = shape_text(inner[-1].output if inner else block.input)
        params = human_count(sum(info.params for info in inner))
    branch = QCoreApplication.translate("LayerStack", "branch {number}").format(number=row.branch + 1)
    return ("", branch, settings, output, params)


def marks_text(layer: LayerSpec) -> str:
    """What experiments vary of the layer ("varies out_channels: 8, 16, 32"), empty when nothing."""
    marks = "; ".join(f"{name}: {domain_text(domain)}" for name, domain in layer.vary.items())
    return marks and QCoreApplication.translate("LayerStack", "varies {marks}").format(marks=marks)


def domain_text(domain) -> str:
    """A domain's values, or its range ("8 to 20 (integers)"), in the window's language."""
    if domain.is_choice:
        return domain.describe()
    ranges = {
        "log": QCoreApplication.translate("LayerStack", "{low} to {high} (log-uniform)"),
        "int": QCoreApplication.translate("LayerStack", "{low} to {high} (integers)"),
        "uniform": QCoreApplication.translate("LayerStack", "{low} to {high} (uniform)"),
    }
    return ranges[domain.kind].format(low=f"{domain.low:g}", high=f"{domain.high:g}")
