"""The builder tab: palette | layer stack over model summary | inspector, wired to the document."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from ui.background import Tasks
from ui.builder.document import ModelDocument
from ui.builder.inspector import LayerInspector
from ui.builder.layer_stack import LayerStack
from ui.builder.palette import LayerPalette
from ui.builder.summary import ModelSummary
from workbench.model.spec import ModelSpec


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
        palette_box = _titled("Layers — drag into the stack", self.palette_list)
        stack_box = _titled("Model (drop layers here; Del, Ctrl+↑/↓, Ctrl+D)", self.stack)
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
        doc = self.document
        doc.spec_changed.connect(self._on_document_spec_changed)
        self.palette_list.add_requested.connect(self.add_after_current)
        self.stack.insert_requested.connect(self._on_stack_insert_requested)
        self.stack.move_requested.connect(self._on_stack_move_requested)
        self.stack.remove_requested.connect(self._on_stack_remove_requested)
        self.stack.duplicate_requested.connect(self._on_stack_duplicate_requested)
        self.stack.current_row_changed.connect(self._on_stack_current_row_changed)
        self.inspector.params_edited.connect(doc.set_params)
        self.inspector.vary_edited.connect(doc.set_vary)
        self.summary.input_changed.connect(doc.set_input)
        self.summary.layer_clicked.connect(self.stack.select_row)

    # ----- edits ---------------------------------------------------------------------------------

    def add_after_current(self, type_name: str) -> None:
        row = self.stack.current_layer_row()
        position = row + 1 if row >= 0 else len(self.document.spec.layers)
        self._on_stack_insert_requested(position, type_name)

    def _on_stack_insert_requested(self, position: int, type_name: str) -> None:
        self.document.add_layer(position, type_name)
        self.stack.select_row(position)

    def _on_stack_move_requested(self, source: int, target: int) -> None:
        self.document.move_layer(source, target)
        self.stack.select_row(target)

    def _on_stack_remove_requested(self, row: int) -> None:
        self.document.remove_layer(row)
        self.stack.select_row(min(row, len(self.document.spec.layers) - 1))

    def _on_stack_duplicate_requested(self, row: int) -> None:
        self.document.duplicate_layer(row)
        self.stack.select_row(row + 1)

    # ----- views ---------------------------------------------------------------------------------

    def _on_document_spec_changed(self, spec: ModelSpec) -> None:
        inference = self.document.inference
        self.stack.show_spec(spec, inference)
        self.summary.show_inference(spec, inference)
        self._on_stack_current_row_changed(self.stack.current_layer_row())

    def _on_stack_current_row_changed(self, row: int) -> None:
        spec, inference = self.document.spec, self.document.inference
        self.summary.forward_strip.set_current_row(row if row >= 0 else None)
        if not 0 <= row < len(spec.layers):
            self.inspector.clear()
            return
        info = inference.layers[row] if row < len(inference.layers) else None
        error = inference.error if inference.error and inference.error.index == row + 1 else None
        self.inspector.show_layer(row, spec.layers[row], info, error)


def _titled(title: str, widget: QWidget) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    label = QLabel(title)
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
