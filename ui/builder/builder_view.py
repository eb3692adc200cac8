"""The builder tab: palette | layer stack over model summary | inspector, wired to the document.

Layers are named by `model.tree` paths between the views; the document says which layer each change (and its
undo) leaves selected (`ModelDocument.focus`), so the views never guess rows after an edit.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QSplitter, QVBoxLayout, QWidget

from ui import i18n, messages
from ui.background import Tasks
from ui.builder.document import ModelDocument
from ui.builder.inspector import LayerInspector
from ui.builder.layer_stack import LayerStack
from ui.builder.palette import LayerPalette
from ui.builder.stack_cells import number_text
from ui.builder.stack_rows import add_position
from ui.builder.summary import ModelSummary
from ui.i18n import translate
from workbench.model import tree
from workbench.model.catalog import CONCAT
from workbench.model.spec import ModelSpec
from workbench.model.tree import Path

# The edits the spec refuses (workbench.model.edits raises them in English, uncoded): how the status bar says them


class BuilderView(QWidget):
    def __init__(self, document: ModelDocument, parent: QWidget | None = None, tasks: Tasks | None = None):
        super().__init__(parent)
        self.document = document
        self.palette_list = LayerPalette()
        self.stack = LayerStack()
        self.summary = ModelSummary(tasks=tasks)  # its measurement runs on the window's background tasks
        self.inspector = LayerInspector()
        self._build_layout()
        self._connect()
        self._on_document_spec_changed(document.spec)
        self.stack.select_row(0)  # the inspector starts on the first layer, not empty

    def _build_layout(self) -> None:
        palette_box = _titled(lambda: translate("BuilderView", "Layers — drag into the stack"), self.palette_list)
        stack_box = _titled(
            lambda: translate("BuilderView", "Model (drop layers here or onto a block; Del, Ctrl+↑/↓, Ctrl+D)"),
            self.stack,
        )
        self.centre_splitter = QSplitter(Qt.Orientation.Vertical)
        self.centre_splitter.setObjectName("builderCentreSplitter")
        self.centre_splitter.addWidget(stack_box)
        self.centre_splitter.addWidget(self.summary)
        self.centre_splitter.setStretchFactor(0, 3)
        self.centre_splitter.setStretchFactor(1, 0)
        self.centre_splitter.setCollapsible(1, False)
        self.summary.setMinimumHeight(self.summary.sizeHint().height())  # the strip is never cut off
        self.main_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.main_splitter.setObjectName("builderMainSplitter")
        self.main_splitter.addWidget(palette_box)
        self.main_splitter.addWidget(self.centre_splitter)
        self.main_splitter.addWidget(self.inspector)
        self.main_splitter.setStretchFactor(1, 1)
        self.main_splitter.setSizes([200, 660, 370])  # the inspector fits a pair editor and Vary…
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.main_splitter)

    def _connect(self) -> None:
        doc, stack = self.document, self.stack
        doc.spec_changed.connect(self._on_document_spec_changed)
        self.palette_list.add_requested.connect(self.add_after_current)
        stack.insert_requested.connect(lambda path, name: self._edit(doc.add_layer, path, name))
        stack.move_requested.connect(lambda source, target: self._edit(doc.move_layer, source, target))
        stack.remove_requested.connect(lambda path: self._edit(doc.remove_layer, path))
        stack.duplicate_requested.connect(lambda path: self._edit(doc.duplicate_layer, path))
        stack.branch_add_requested.connect(lambda path: self._edit(doc.add_branch, path))
        stack.branch_remove_requested.connect(lambda path, branch: self._edit(doc.remove_branch, path, branch))
        stack.current_row_changed.connect(self._on_stack_current_row_changed)
        self.inspector.params_edited.connect(doc.set_params)
        self.inspector.vary_edited.connect(doc.set_vary)
        self.inspector.branch_add_requested.connect(lambda key: self._edit(doc.add_branch, _as_path(key)))
        self.inspector.branch_remove_requested.connect(
            lambda key, branch: self._edit(doc.remove_branch, _as_path(key), branch)
        )
        self.summary.input_changed.connect(doc.set_input)
        self.summary.path_clicked.connect(stack.select_path)

    # ----- edits ---------------------------------------------------------------------------------

    def add_after_current(self, type_name: str) -> None:
        """Add a layer after the selected one in its own stack (into a selected branch; at the end without one)."""
        row = self.stack.row_at(self.stack.current_layer_row())
        self._edit(self.document.add_layer, add_position(self.document.spec, row), type_name)

    def _edit(self, edit, *args) -> None:
        """Run a document edit; one the spec refuses (too deep a nesting, too many branches) is said in the status
        bar and changes nothing."""
        try:
            edit(*args)
        except IndexError as exc:
            window = self.window()
            if isinstance(window, QMainWindow):
                reason = refusal_text(exc)
                window.statusBar().showMessage(
                    translate("BuilderView", "Cannot do that: {reason}").format(reason=reason), 8000
                )

    # ----- views ---------------------------------------------------------------------------------

    def _on_document_spec_changed(self, spec: ModelSpec) -> None:
        inference = self.document.inference
        self.summary.show_inference(spec, inference)
        self.stack.show_spec(spec, inference, self.document.focus)
        self._on_stack_current_row_changed(self.stack.current_layer_row())

    def _on_stack_current_row_changed(self, index: int) -> None:
        spec, inference = self.document.spec, self.document.inference
        row = self.stack.row_at(index)
        path = None if row is None else row.path
        self.summary.forward_strip.set_current_path(path)
        if row is None or row.is_header:
            self.inspector.clear()
            return
        error = inference.error
        failing = tuple(error.path or (error.index - 1,)) if error is not None else None
        inside = failing is not None and len(failing) > len(path) and failing[: len(path)] == path
        self.inspector.show_layer(
            path[0] if len(path) == 1 else path,  # a row of the spec itself is its int, as before blocks
            tree.layer_at(spec, path),
            inference.at(path),
            error if failing == path or inside else None,
            number=number_text(spec, path),
            place=_place(spec, path),
            inside_error=inside,
        )


def _place(spec: ModelSpec, path: Path) -> str:
    """Where an inner layer sits, for the inspector: 'in layer 3 Concat › branch 2'; empty for the spec's own."""
    if len(path) == 1:
        return ""
    block = path[:-2]
    where = messages.translated(tree.where(spec, block))
    if tree.layer_at(spec, block).type == CONCAT:
        return translate("BuilderView", "in {where} › branch {branch}").format(where=where, branch=path[-2] + 1)
    return translate("BuilderView", "in {where}").format(where=where)


def refusal_text(error: Exception) -> str:
    """Why the model refuses an edit, in the window's language (the core codes its refusals)."""
    return messages.translated(error)


def _as_path(key: int | Path) -> Path:
    return (key,) if isinstance(key, int) else tuple(key)


def _titled(title, widget: QWidget) -> QWidget:
    """`widget` under a bold title; `title` gives it in the window's language (see `i18n.keep`)."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    label = i18n.keep(QLabel(), "setText", title)
    label.setStyleSheet("font-weight: 600; padding: 2px 0;")
    layout.addWidget(label)
    layout.addWidget(widget)
    return box


if __name__ == "__main__":
    from PySide6.QtWidgets import QApplication

    from workbench.model import templates

    app = QApplication([])
    view = BuilderView(ModelDocument(templates.template(templates.STARTER)))
    view.resize(1300, 800)
    view.show()
    app.exec()
