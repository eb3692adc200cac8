"""The main window. For now it shows the starter model's layer-by-layer summary; the builder,
training dashboard and drawing canvas arrive with their issues."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow, QTableWidget, QTableWidgetItem

from workbench import templates
from workbench.formatting import human_count
from workbench.shapes import describe_shape, infer
from workbench.spec import ModelSpec


class MainWindow(QMainWindow):
    def __init__(self, spec: ModelSpec | None = None):
        super().__init__()
        self.spec = spec or templates.template(templates.STARTER)
        self.setWindowTitle(f"CNN Workbench — {self.spec.name or 'untitled'}")
        self.resize(1280, 800)
        self.summary_table = QTableWidget(self)
        self.summary_table.setObjectName("modelSummary")
        self.summary_table.setAccessibleName("modelSummary")
        self.setCentralWidget(self.summary_table)
        self._show_summary()

    def _show_summary(self) -> None:
        inference = infer(self.spec)
        table = self.summary_table
        table.setColumnCount(4)
        table.setHorizontalHeaderLabels(["Layer", "Output shape", "Parameters", "Multiply-adds"])
        table.setRowCount(len(inference.layers))
        for row, info in enumerate(inference.layers):
            cells = (
                f"{info.index}. {info.type}",
                describe_shape(info.output),
                human_count(info.params),
                human_count(info.macs),
            )
            for column, text in enumerate(cells):
                table.setItem(row, column, QTableWidgetItem(text))
        table.resizeColumnsToContents()
        total = f"{human_count(inference.total_params)} parameters · {human_count(inference.total_macs)} multiply-adds"
        self.statusBar().showMessage(total)
