"""Two architectures side by side, layer by layer: what was added, removed or changed, and which
layers' output shapes or parameter counts differ because of it.

The layers are aligned as a weighted longest common subsequence: a layer matches one of the same
type, an identical one scoring higher than one with other settings, so a Conv2d inserted before an
unchanged Conv2d shows as added rather than as a changed layer followed by an added one.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from workbench.model import tree
from workbench.model.edits import setting_value, settings_text
from workbench.model.shape_rules import shape_text
from workbench.model.shapes import infer
from workbench.model.spec import LayerSpec, ModelSpec

IDENTICAL, SAME_TYPE = 2, 1


@dataclass(frozen=True)
class Side:
    index: int  # 1-based, in its own stack
    layer: str  # "Conv2d(out_channels=10, kernel_size=3)"
    output: str  # "10×10×10", or "?" after a layer whose shape cannot be worked out
    params: int | None
    place: str = ""  # where it is, as tables number it: "3", "3.2" inside row 3's block, "4.b2.1" (`tree.label`)


@dataclass(frozen=True)
class DiffRow:
    kind: str  # same, changed, added, removed
    left: Side | None
    right: Side | None
    changes: tuple[str, ...] = ()  # settings that differ: "out_channels 20 → 32"

    @property
    def shape_changed(self) -> bool:
        return self.left is not None and self.right is not None and self.left.output != self.right.output

    @property
    def parameters_changed(self) -> bool:
        return self.left is not None and self.right is not None and self.left.params != self.right.params

    @property
    def differs(self) -> bool:
        return self.kind != "same" or self.shape_changed or self.parameters_changed

    @property
    def what(self) -> str:
        """One line on what differs: settings, output shape, parameter count."""
        if self.kind == "added":
            return f"added: output {self.right.output}, {_count(self.right.params)} parameters"
        if self.kind == "removed":
            return f"removed: it gave {self.left.output}, {_count(self.left.params)} parameters"
        parts = list(self.changes)
        if self.shape_changed:
            parts.append(f"output {self.left.output} → {self.right.output}")
        if self.parameters_changed:
            parts.append(f"parameters {_count(self.left.params)} → {_count(self.right.params)}")
        return "; ".join(parts)

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "left": None if self.left is None else asdict(self.left),
            "right": None if self.right is None else asdict(self.right),
            "changes": list(self.changes),
            "shape_changed": self.shape_changed,
            "parameters_changed": self.parameters_changed,
            "what": self.what,
        }


def layer_text(layer: LayerSpec) -> str:
    settings = settings_text(layer)
    return f"{layer.type}({settings})" if settings else layer.type


def diff_specs(left: ModelSpec, right: ModelSpec) -> list[DiffRow]:
    """Row by row, every layer inside blocks too (in forward order): a layer matches one of the same type in
    the same kind of place (the same blocks and branches around it)."""
    left_sides, right_sides = _sides(left), _sides(right)
    left_layers, right_layers = _placed(left), _placed(right)
    rows = []
    for i, j in _align(left_layers, right_layers):
        if i is None:
            rows.append(DiffRow("added", None, right_sides[j]))
        elif j is None:
            rows.append(DiffRow("removed", left_sides[i], None))
        else:
            changes = _setting_changes(left_layers[i][1], right_layers[j][1])
            rows.append(DiffRow("changed" if changes else "same", left_sides[i], right_sides[j], changes))
    return rows


def _placed(spec: ModelSpec) -> list[tuple[tuple, LayerSpec]]:
    """Every layer with its place's kind: the types of the blocks around it and the branch in each Concat."""
    placed = []
    for path, layer in tree.walk(spec):
        context = tuple((tree.layer_at(spec, path[:depth]).type, path[depth]) for depth in range(1, len(path), 2))
        placed.append((context, layer))
    return placed


def summary_line(rows: list[DiffRow]) -> str:
    """'1 added, 4 with new output shapes, 1 with new parameter counts', or 'the same layers'."""
    counts = [
        (sum(row.kind == "added" for row in rows), "added"),
        (sum(row.kind == "removed" for row in rows), "removed"),
        (sum(row.kind == "changed" for row in rows), "changed"),
        (sum(row.kind in ("same", "changed") and row.shape_changed for row in rows), "with new output shapes"),
        (
            sum(row.kind in ("same", "changed") and row.parameters_changed for row in rows),
            "with new parameter counts",
        ),
    ]
    parts = [f"{n} {label}" for n, label in counts if n]
    return ", ".join(parts) if parts else "the same layers"


def _sides(spec: ModelSpec) -> list[Side]:
    inference = infer(spec)
    sides = []
    for path, layer in tree.walk(spec):
        info = inference.at(path)
        output = shape_text(info.output) if info is not None else "?"
        params = None if info is None else info.params
        sides.append(Side(path[-1] + 1, layer_text(layer), output, params, tree.label(spec, path)))
    return sides


def _score(a: tuple[tuple, LayerSpec], b: tuple[tuple, LayerSpec]) -> int:
    (where_a, a), (where_b, b) = a, b
    if a.type != b.type or where_a != where_b:
        return 0
    return IDENTICAL if a.resolved() == b.resolved() else SAME_TYPE


def _align(left: list, right: list) -> list[tuple[int | None, int | None]]:
    """Pairs (left index, right index) in order; None on one side for an added or removed layer."""
    n, m = len(left), len(right)
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            score = _score(left[i], right[j])
            best[i][j] = max(best[i + 1][j], best[i][j + 1], best[i + 1][j + 1] + score if score else 0)
    pairs: list[tuple[int | None, int | None]] = []
    i = j = 0
    while i < n and j < m:
        score = _score(left[i], right[j])
        if score and best[i][j] == best[i + 1][j + 1] + score:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            pairs.append((i, None))
            i += 1
        else:
            pairs.append((None, j))
            j += 1
    pairs += [(k, None) for k in range(i, n)] + [(None, k) for k in range(j, m)]
    return pairs


def _setting_changes(a: LayerSpec, b: LayerSpec) -> tuple[str, ...]:
    before, after = a.resolved(), b.resolved()
    return tuple(
        f"{name} {setting_value(before.get(name))} → {setting_value(after.get(name))}"
        for name in dict.fromkeys([*before, *after])
        if before.get(name) != after.get(name)
    )


def _count(value: int | None) -> str:
    return "?" if value is None else f"{value:,}"
