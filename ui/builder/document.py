"""The open model as an undoable document: the spec, its file, and a QUndoStack of edits.

Every edit is a `SpecChange` holding the spec before and after, so undo/redo restore exact specs.
Consecutive edits of the same parameter of the same layer merge into one undo step (spinning a
spin box from 10 to 20 is one edit, not ten).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from workbench.model import edits
from workbench.model.shapes import Inference, infer
from workbench.model.spec import LayerSpec, ModelSpec
from workbench.model.vary import Domain

_MERGE_ID = 1


class SpecChange(QUndoCommand):
    def __init__(self, document: ModelDocument, text: str, before: ModelSpec, after: ModelSpec, merge_key=None):
        super().__init__(text)
        self.document, self.before, self.after, self.merge_key = document, before, after, merge_key

    def redo(self) -> None:
        self.document._set_spec(self.after)

    def undo(self) -> None:
        self.document._set_spec(self.before)

    def id(self) -> int:
        return _MERGE_ID if self.merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SpecChange) or other.merge_key != self.merge_key:
            return False
        self.after = other.after
        return True


class ModelDocument(QObject):
    spec_changed = Signal(object)  # ModelSpec
    path_changed = Signal(object)  # Path | None

    def __init__(self, spec: ModelSpec, parent: QObject | None = None):
        super().__init__(parent)
        self._spec = spec
        self._inference = infer(spec)
        self.path: Path | None = None
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

    def _set_spec(self, spec: ModelSpec) -> None:
        self._spec = spec
        self._inference = infer(spec)
        self.spec_changed.emit(spec)

    def _change(self, text: str, after: ModelSpec, merge_key=None) -> None:
        if after != self._spec:
            self.undo_stack.push(SpecChange(self, text, self._spec, after, merge_key))

    # ----- edits (each one undo step) ----------------------------------------------------------

    def add_layer(self, index: int, type_name: str) -> None:
        self._change(f"Add {type_name}", edits.insert_layer(self._spec, index, edits.new_layer(type_name)))

    def remove_layer(self, index: int) -> None:
        self._change(f"Delete {self._spec.layers[index].type}", edits.remove_layer(self._spec, index))

    def move_layer(self, source: int, target: int) -> None:
        name = self._spec.layers[source].type
        direction = "up" if target < source else "down"
        self._change(f"Move {name} {direction}", edits.move_layer(self._spec, source, target))

    def duplicate_layer(self, index: int) -> None:
        self._change(f"Duplicate {self._spec.layers[index].type}", edits.duplicate_layer(self._spec, index))

    def set_params(self, index: int, params: dict) -> None:
        old = self._spec.layers[index]
        changed = sorted(k for k in set(old.params) | set(params) if old.params.get(k) != params.get(k))
        layer = LayerSpec(old.type, params, old.vary)  # a value edited keeps its marks
        what = ", ".join(changed) or "settings"
        key = ("params", index, tuple(changed))
        self._change(f"Set {old.type} {what}", edits.replace_layer(self._spec, index, layer), key)

    def set_vary(self, index: int, param: str, domain: Domain | None) -> None:
        """Mark layer `index`'s parameter `param` to vary over `domain` in experiments (None: unmark)."""
        layer = self._spec.layers[index].with_vary(param, domain)
        self._change(_vary_text(param, domain), edits.replace_layer(self._spec, index, layer))

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

    def load(self, spec: ModelSpec, path: Path | None) -> None:
        """Show a model opened from a file: a fresh history, clean, with the file's path."""
        self.undo_stack.clear()
        self._set_spec(spec)
        self.path = path
        self.undo_stack.setClean()
        self.path_changed.emit(path)

    def mark_saved(self, path: Path) -> None:
        self.path = path
        self.undo_stack.setClean()
        self.path_changed.emit(path)


def _vary_text(name: str, domain: Domain | None) -> str:
    return f"Vary {name}" if domain is not None else f"Stop varying {name}"
