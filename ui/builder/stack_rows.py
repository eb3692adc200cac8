"""The layer stack's rows as plain data: the walk of a spec with its blocks open or closed, and where a drop, a
key or an edit puts a layer (`model.tree` paths). No Qt here, so every rule is tested on its own.

A spec's own layers are rows at depth 0, exactly one row per layer (a plain spec's row i is its layer i). A
block's layers follow it one level deeper; a Concat block shows a "branch N" header row before each branch's
layers (a drop target even when the branch is empty). A closed block hides everything inside it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from workbench.model import tree
from workbench.model.catalog import CONCAT
from workbench.model.spec import ModelSpec
from workbench.model.tree import Path

ABOVE, BELOW, INTO = "above", "below", "into"


@dataclass(frozen=True)
class Row:
    """One row: a layer at `path`, or (branch not None) the header of branch `branch` of the block at `path`."""

    path: Path
    depth: int  # indentation steps
    branch: int | None = None
    is_block: bool = False

    @property
    def is_header(self) -> bool:
        return self.branch is not None

    @property
    def layer_path(self) -> Path | None:
        return None if self.is_header else self.path


def rows_of(spec: ModelSpec, closed: Iterable[Path] = ()) -> list[Row]:
    """The rows shown for `spec`, the blocks at the paths in `closed` shown closed."""
    closed = set(closed)
    rows: list[Row] = []

    def add(layers, stack: Path, depth: int) -> None:
        for index, layer in enumerate(layers):
            path = (*stack, index)
            rows.append(Row(path, depth, is_block=layer.is_block))
            if not layer.is_block or path in closed:
                continue
            for branch, inner in enumerate(layer.branches):
                if layer.type == CONCAT:
                    rows.append(Row(path, depth + 1, branch))
                    add(inner, (*path, branch), depth + 2)
                else:
                    add(inner, (*path, branch), depth + 1)

    add(spec.layers, (), 0)
    return rows


def drop_path(spec: ModelSpec, rows: list[Row], index: int, zone: str, closed: Iterable[Path] = ()) -> Path:
    """Where a layer dropped on row `index` (len(rows): below the last row) goes, as an insertion path read before
    any move: ABOVE a row is before its layer, BELOW after it, INTO a block is at the end of its first stack; a
    branch header takes the drop at the start of its branch; below an open block is at the start of its layers."""
    if index >= len(rows):
        return (len(spec.layers),)
    row = rows[index]
    if row.is_header:
        return (*row.path, row.branch, 0)
    path = row.path
    if zone == INTO and row.is_block:
        return (*path, 0, len(tree.layer_at(spec, path).branches[0]))
    if zone == BELOW:
        if row.is_block and path not in set(closed):
            return (*path, 0, 0)
        return (*path[:-1], path[-1] + 1)
    return path


def final_path(source: Path, insertion: Path) -> Path:
    """Where a layer moved from `source` to insertion path `insertion` (read before the move) ends up."""
    depth = len(source) - 1
    if len(insertion) > depth and insertion[:depth] == source[:depth] and insertion[depth] > source[-1]:
        return (*insertion[:depth], insertion[depth] - 1, *insertion[depth + 1 :])
    return tuple(insertion)


def insertion_path(source: Path, final: Path) -> Path:
    """The inverse of `final_path` for a move into another stack: the insertion path, read before the move, that
    puts the layer at `source` at `final` (what `edits.move_layer` takes)."""
    depth = len(source) - 1
    if len(final) > len(source) and final[:depth] == source[:depth] and final[depth] >= source[-1]:
        return (*final[:depth], final[depth] + 1, *final[depth + 1 :])
    return tuple(final)


def inside(path: Path, block: Path) -> bool:
    """Whether `path` is `block` itself or a layer inside it (a block cannot be dropped there)."""
    return tuple(path[: len(block)]) == tuple(block)


def step_up(path: Path) -> Path | None:
    """Where Ctrl+↑ moves the layer at `path`: one up in its stack, out of its block from the top, None at the
    model's top."""
    if path[-1] > 0:
        return (*path[:-1], path[-1] - 1)
    return path[:-2] if len(path) > 1 else None


def step_down(spec: ModelSpec, path: Path) -> Path | None:
    """Where Ctrl+↓ moves the layer at `path`: one down in its stack, out of its block from the bottom (just after
    the block), None at the model's bottom."""
    if path[-1] < len(tree.stack_layers(spec, path[:-1])) - 1:
        return (*path[:-1], path[-1] + 1)
    if len(path) == 1:
        return None
    block = path[:-2]
    return (*block[:-1], block[-1] + 1)


def after_removal(spec: ModelSpec, path: Path) -> Path | None:
    """What to select once the layer at `path` is gone from `spec` (the spec after the removal): the layer that
    took its place, else the one before it, else the block that held it, else nothing."""
    if tree.exists(spec, path):
        return path
    if path[-1] > 0:
        return (*path[:-1], path[-1] - 1)
    return path[:-2] or None


def add_position(spec: ModelSpec, row: Row | None) -> Path:
    """Where a layer added "after the current row" goes: after the selected layer in its own stack, at the start
    of a selected branch, at the model's end with nothing selected."""
    if row is None:
        return (len(spec.layers),)
    if row.is_header:
        return (*row.path, row.branch, 0)
    return (*row.path[:-1], row.path[-1] + 1)


def path_payload(path: Path) -> bytes:
    """A dragged row's path as drag data: '2' for layer 2, '1.0.3' inside a block."""
    return ".".join(str(step) for step in path).encode()


def parse_payload(text: str) -> Path:
    return tuple(int(step) for step in text.split("."))
