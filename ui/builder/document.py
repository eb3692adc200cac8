"""The open model as an undoable document: the spec, its file, and a QUndoStack of edits.

Every edit is a `SpecChange` holding the spec before and after, so undo/redo restore exact specs.
Consecutive edits of the same parameter of the same layer merge into one undo step (spinning a
spin box from 10 to 20 is one edit, not ten).

Layers are named by their `model.tree` path (an int still names a layer of the spec's own stack). Each change
also holds the layer to select after it and after its undo (`focus`), so undo and redo select the layer they
changed, wherever it sits in the blocks.
"""

from __future__ import annotations

from pathlib import Path as FilePath

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ui.builder import stack_rows
from workbench.model import edits, tree
from workbench.model.shapes import Inference, infer
from workbench.model.spec import LayerSpec, ModelSpec
from workbench.model.tree import Path
from workbench.model.vary import Domain

_MERGE_ID = 1
Focus = tuple[Path | None, Path | None]  # what to select after undo, after redo (None: keep the selection)


def as_path(where: int | Path) -> Path:
    """A layer of the spec's own stack (an int, as a plain spec's rows give) or a path."""
    return (where,) if isinstance(where, int) else tuple(where)


class SpecChange(QUndoCommand):
    def __init__(
        self,
        document: ModelDocument,
        text: str,
        before: ModelSpec,
        after: ModelSpec,
        merge_key=None,
        focus: Focus = (None, None),
    ):
        super().__init__(text)
        self.document, self.before, self.after, self.merge_key = document, before, after, merge_key
        self.focus = focus

    def redo(self) -> None:
        self.document._set_spec(self.after, self.focus[1])

    def undo(self) -> None:
        self.document._set_spec(self.before, self.focus[0])

    def id(self) -> int:
        return _MERGE_ID if self.merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SpecChange) or other.merge_key != self.merge_key:
            return False
        self.after = other.after
        return True


class ModelDocument(QObject):
    spec_changed = Signal(object)  # ModelSpec
    path_changed = Signal(object)  # its file: pathlib.Path | None

    def __init__(self, spec: ModelSpec, parent: QObject | None = None):
        super().__init__(parent)
        self._spec = spec
        self._inference = infer(spec)
        self.path: FilePath | None = None
        self.focus: Path | None = None  # the layer the last change, undo or redo asks to select; None: keep
        self.undo_stack = QUndoStack(self)

    @property
    def spec(self) -> ModelSpec:
        return self._spec

    @property
    def inference(self) -> Inference:
        return self._inference

    @property
    def modified(self) -> bool:
        return not self.undo_stack.isClean()

    def _set_spec(self, spec: ModelSpec, focus: Path | None = None) -> None:
        self._spec = spec
        self._inference = infer(spec)
        self.focus = focus if focus is not None and tree.exists(spec, focus) else None
        self.spec_changed.emit(spec)

    def _change(self, text: str, after: ModelSpec, merge_key=None, focus: Focus = (None, None)) -> None:
        if after != self._spec:
            self.undo_stack.push(SpecChange(self, text, self._spec, after, merge_key, focus))

    def layer(self, where: int | Path) -> LayerSpec:
        return tree.layer_at(self._spec, as_path(where))

    # ----- edits (each one undo step) ----------------------------------------------------------

    def add_layer(self, index: int | Path, type_name: str) -> None:
        """Insert a new `type_name` layer at insertion path `index` (its stack's end is allowed)."""
        path = as_path(index)
        after = edits.insert_layer(self._spec, path, edits.new_layer(type_name))
        self._change(f"Add {type_name}", after, focus=(_before(path), path))

    def remove_layer(self, index: int | Path) -> None:
        path = as_path(index)
        after = edits.remove_layer(self._spec, path)
        self._change(f"Delete {self.layer(path).type}", after, focus=(path, stack_rows.after_removal(after, path)))

    def move_layer(self, source: int | Path, target: int | Path) -> None:
        """Move the layer at `source` so that it ends up at `target` (in its own stack or another one)."""
        source, target = as_path(source), as_path(target)
        name = self.layer(source).type
        if source[:-1] == target[:-1]:
            words, after = ("up" if target < source else "down"), edits.move_layer(self._spec, source, target)
        else:
            words = "out of its block" if len(target) < len(source) else "into a block"
            words = "to another branch" if len(target) == len(source) else words
            after = edits.move_layer(self._spec, source, stack_rows.insertion_path(source, target))
        self._change(f"Move {name} {words}", after, focus=(source, target))

    def duplicate_layer(self, index: int | Path) -> None:
        path = as_path(index)
        copy = (*path[:-1], path[-1] + 1)
        after = edits.duplicate_layer(self._spec, path)
        self._change(f"Duplicate {self.layer(path).type}", after, focus=(path, copy))

    def set_params(self, index: int | Path, params: dict) -> None:
        path = as_path(index)
        old = self.layer(path)
        changed = sorted(k for k in set(old.params) | set(params) if old.params.get(k) != params.get(k))
        layer = LayerSpec(old.type, params, old.vary, old.branches)  # a value edited keeps its marks and layers
        what = ", ".join(changed) or "settings"
        key = ("params", path, tuple(changed))
        self._change(f"Set {old.type} {what}", edits.replace_layer(self._spec, path, layer), key, (path, path))

    def set_vary(self, index: int | Path, param: str, domain: Domain | None) -> None:
        """Mark the parameter `param` of the layer at `index` to vary over `domain` in experiments (None: unmark)."""
        path = as_path(index)
        layer = self.layer(path).with_vary(param, domain)
        self._change(_vary_text(param, domain), edits.replace_layer(self._spec, path, layer), focus=(path, path))

    def add_branch(self, block: Path) -> None:
        """One more branch, empty, at the end of the Concat block at `block`."""
        block = tuple(block)
        self._change("Add branch", edits.add_branch(self._spec, block), focus=(block, block))

    def remove_branch(self, block: Path, branch: int) -> None:
        block = tuple(block)
        text = f"Remove branch {branch + 1}"
        self._change(text, edits.remove_branch(self._spec, block, branch), focus=(block, block))

    def set_setting_vary(self, name: str, domain: Domain | None) -> None:
        """Mark training setting `name` (lr, batch_size…) to vary over `domain` in experiments (None: unmark)."""
        self._change(_vary_text(name, domain), self._spec.with_setting_vary(name, domain))

    def set_input(self, shape: tuple[int, ...]) -> None:
        text = "×".join(str(d) for d in shape)
        self._change(f"Set input {text}", self._spec.with_input(shape), ("input",))

    def replace(self, spec: ModelSpec, text: str) -> None:
        """Replace the whole model as one undoable step (e.g. New from template)."""
        self._change(text, spec)

    # ----- files --------------------------------------------------------------------------------

    def load(self, spec: ModelSpec, path: FilePath | None) -> None:
        """Show a model opened from a file: a fresh history, clean, with the file's path."""
        self.undo_stack.clear()
        self._set_spec(spec)
        self.path = path
        self.undo_stack.setClean()
        self.path_changed.emit(path)

    def mark_saved(self, path: FilePath) -> None:
        self.path = path
        self.undo_stack.setClean()
        self.path_changed.emit(path)


def _before(path: Path) -> Path | None:
    """What to select when an insertion at `path` is undone: the layer before it, else its block."""
    if path[-1] > 0:
        return (*path[:-1], path[-1] - 1)
    return path[:-2] or None


def _vary_text(name: str, domain: Domain | None) -> str:
    return f"Vary {name}" if domain is not None else f"Stop varying {name}"
