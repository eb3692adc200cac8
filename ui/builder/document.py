"""The open model as an undoable document: the spec, its file, and a QUndoStack of edits.

Every edit is a `SpecChange` holding the spec before and after, so undo/redo restore exact specs.
Consecutive edits of the same parameter of the same layer merge into one undo step (spinning a
spin box from 10 to 20 is one edit, not ten).

Layers are named by their `model.tree` path (an int still names a layer of the spec's own stack). Each change
also holds the layer to select after it and after its undo (`focus`), so undo and redo select the layer they
changed, wherever it sits in the blocks.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path as FilePath

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ui import i18n
from ui.builder import stack_rows
from ui.i18n import translate
from workbench.model import edits, tree
from workbench.model.shapes import Inference, infer
from workbench.model.spec import LayerSpec, ModelSpec
from workbench.model.tree import Path
from workbench.model.vary import Domain

_MERGE_ID = 1
Focus = tuple[Path | None, Path | None]  # what to select after undo, after redo (None: keep the selection)
Name = str | Callable[[], str]  # an undo step's name (Edit ▸ Undo …): a text, or one in the window's language


def as_path(where: int | Path) -> Path:
    """A layer of the spec's own stack (an int, as a plain spec's rows give) or a path."""
    return (where,) if isinstance(where, int) else tuple(where)


class SpecChange(QUndoCommand):
    def __init__(
        self,
        document: ModelDocument,
        text: Name,
        before: ModelSpec,
        after: ModelSpec,
        merge_key=None,
        focus: Focus = (None, None),
    ):
        super().__init__()
        self.document, self.before, self.after, self.merge_key = document, before, after, merge_key
        self.focus, self.name = focus, text
        self.retranslate()

    def retranslate(self) -> None:
        """The step's name in the window's language (a name given as a text stays as it is)."""
        self.setText(self.name() if callable(self.name) else self.name)

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
        i18n.follow(self, ModelDocument.retranslate)

    def retranslate(self) -> None:
        """Every undo step's name in the window's language; Edit ▸ Undo and Redo are told."""
        stack = self.undo_stack
        for index in range(stack.count()):
            command = stack.command(index)
            if isinstance(command, SpecChange):
                command.retranslate()
        stack.undoTextChanged.emit(stack.undoText())
        stack.redoTextChanged.emit(stack.redoText())

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

    def _change(self, text: Name, after: ModelSpec, merge_key=None, focus: Focus = (None, None)) -> None:
        if after != self._spec:
            self.undo_stack.push(SpecChange(self, text, self._spec, after, merge_key, focus))

    def layer(self, where: int | Path) -> LayerSpec:
        return tree.layer_at(self._spec, as_path(where))

    # ----- edits (each one undo step) ----------------------------------------------------------

    def add_layer(self, index: int | Path, type_name: str) -> None:
        """Insert a new `type_name` layer at insertion path `index` (its stack's end is allowed)."""
        path = as_path(index)
        after = edits.insert_layer(self._spec, path, edits.new_layer(type_name))
        name = lambda: translate("ModelDocument", "Add {type}").format(type=type_name)  # noqa: E731
        self._change(name, after, focus=(_before(path), path))

    def remove_layer(self, index: int | Path) -> None:
        path = as_path(index)
        after = edits.remove_layer(self._spec, path)
        type_name = self.layer(path).type
        name = lambda: translate("ModelDocument", "Delete {type}").format(type=type_name)  # noqa: E731
        self._change(name, after, focus=(path, stack_rows.after_removal(after, path)))

    def move_layer(self, source: int | Path, target: int | Path) -> None:
        """Move the layer at `source` so that it ends up at `target` (in its own stack or another one)."""
        source, target = as_path(source), as_path(target)
        if source[:-1] == target[:-1]:
            after = edits.move_layer(self._spec, source, target)
        else:
            after = edits.move_layer(self._spec, source, stack_rows.insertion_path(source, target))
        type_name, how = self.layer(source).type, _move_kind(source, target)
        self._change(lambda: _move_text(how).format(type=type_name), after, focus=(source, target))

    def duplicate_layer(self, index: int | Path) -> None:
        path = as_path(index)
        copy = (*path[:-1], path[-1] + 1)
        after = edits.duplicate_layer(self._spec, path)
        type_name = self.layer(path).type
        name = lambda: translate("ModelDocument", "Duplicate {type}").format(type=type_name)  # noqa: E731
        self._change(name, after, focus=(path, copy))

    def set_params(self, index: int | Path, params: dict) -> None:
        path = as_path(index)
        old = self.layer(path)
        changed = sorted(k for k in set(old.params) | set(params) if old.params.get(k) != params.get(k))
        layer = LayerSpec(old.type, params, old.vary, old.branches)  # a value edited keeps its marks and layers
        key = ("params", path, tuple(changed))
        self._change(_set_text(old.type, changed), edits.replace_layer(self._spec, path, layer), key, (path, path))

    def set_vary(self, index: int | Path, param: str, domain: Domain | None) -> None:
        """Mark the parameter `param` of the layer at `index` to vary over `domain` in experiments (None: unmark)."""
        path = as_path(index)
        layer = self.layer(path).with_vary(param, domain)
        self._change(_vary_text(param, domain), edits.replace_layer(self._spec, path, layer), focus=(path, path))

    def add_branch(self, block: Path) -> None:
        """One more branch, empty, at the end of the Concat block at `block`."""
        block = tuple(block)
        name = lambda: translate("ModelDocument", "Add branch")  # noqa: E731
        self._change(name, edits.add_branch(self._spec, block), focus=(block, block))

    def remove_branch(self, block: Path, branch: int) -> None:
        block = tuple(block)
        text = lambda: translate("ModelDocument", "Remove branch {number}").format(number=branch + 1)  # noqa: E731
        self._change(text, edits.remove_branch(self._spec, block, branch), focus=(block, block))

    def set_setting_vary(self, name: str, domain: Domain | None) -> None:
        """Mark training setting `name` (lr, batch_size…) to vary over `domain` in experiments (None: unmark)."""
        self._change(_vary_text(name, domain), self._spec.with_setting_vary(name, domain))

    def set_input(self, shape: tuple[int, ...]) -> None:
        text = "×".join(str(d) for d in shape)
        name = lambda: translate("ModelDocument", "Set input {shape}").format(shape=text)  # noqa: E731
        self._change(name, self._spec.with_input(shape), ("input",))

    def replace(self, spec: ModelSpec, text: Name) -> None:
        """Replace the whole model as one undoable step (e.g. New from template); `text` names it, or a function
        gives its name in the window's language (then it follows a change of language)."""
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


def _vary_text(name: str, domain: Domain | None) -> Callable[[], str]:
    if domain is not None:
        return lambda: translate("ModelDocument", "Vary {name}").format(name=name)
    return lambda: translate("ModelDocument", "Stop varying {name}").format(name=name)


def _set_text(type_name: str, changed: list[str]) -> Callable[[], str]:
    """'Set Conv2d kernel_size, stride'; 'Set Conv2d settings' when nothing is named."""
    if not changed:
        return lambda: translate("ModelDocument", "Set {type} settings").format(type=type_name)
    names = ", ".join(changed)
    return lambda: translate("ModelDocument", "Set {type} {names}").format(type=type_name, names=names)


def _move_kind(source: Path, target: Path) -> str:
    if source[:-1] == target[:-1]:
        return "up" if target < source else "down"
    if len(target) == len(source):
        return "branch"
    return "out" if len(target) < len(source) else "into"


def _move_text(how: str) -> str:
    """'Move {type} up', … in the window's language."""
    texts = {
        "up": translate("ModelDocument", "Move {type} up"),
        "down": translate("ModelDocument", "Move {type} down"),
        "out": translate("ModelDocument", "Move {type} out of its block"),
        "into": translate("ModelDocument", "Move {type} into a block"),
        "branch": translate("ModelDocument", "Move {type} to another branch"),
    }
    return texts[how]
