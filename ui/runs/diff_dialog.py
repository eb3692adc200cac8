"""Two runs' architectures layer by layer: added (+), removed (−) and changed (~) layers, and the
layers whose output shape or parameter count differs because of them, tinted."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ui import theme
from workbench.runs.diff import DiffRow, Side, summary_line
from workbench.runs.store import RunSummary

SYMBOLS = {"same": "", "changed": "~", "added": "+", "removed": "−"}
HEADERS = ("", "Layer (A)", "Output (A)", "Params (A)", "Layer (B)", "Output (B)", "Params (B)", "What differs")


def _side_cells(side: Side | None) -> tuple[str, str, str]:
    if side is None:
        return "", "", ""
    return f"{side.place}. {side.layer}", side.output, "?" if side.params is None else f"{side.params:,}"


class DiffDialog(QDialog):
    def __init__(self, left: RunSummary, right: RunSummary, rows: list[DiffRow], parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("diffDialog")
        self.setWindowTitle(f"Architectures: run {left.id} → run {right.id}")
        self.rows = rows
        heading = QLabel(
            f"<b>A</b> run {left.id}: {left.name} ({left.parameters or 0:,} parameters)<br>"
            f"<b>B</b> run {right.id}: {right.name} ({right.parameters or 0:,} parameters)"
        )
        summary = QLabel(f"<b>{summary_line(rows)}</b>")
        summary.setObjectName("diffSummary")
        self.table = QTableWidget(len(rows), len(HEADERS))
        self.table.setObjectName("diffTable")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        for r, row in enumerate(rows):
            cells = (SYMBOLS[row.kind], *_side_cells(row.left), *_side_cells(row.right), row.what)
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text if c in (1, 4, 7) else "")
                if c in (3, 6):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(HEADERS) - 1, QHeaderView.ResizeMode.Stretch)
        theme.follow(self, self._tint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(1280, 520)

    def _tint(self, t: theme.Theme) -> None:
        """Added rows green, removed red, changed (or reshaped) orange: a tint of the table's base colour."""
        base = t.palette.get("Base", "#ffffff")
        tints = {"added": t.green, "removed": t.error, "changed": t.orange}
        for r, row in enumerate(self.rows):
            colour = tints.get(row.kind) or (t.orange if row.differs else None)
            amount = 0.28 if row.kind != "same" else 0.14
            for c in range(self.table.columnCount()):
                item = self.table.item(r, c)
                if colour is None:
                    item.setData(Qt.ItemDataRole.BackgroundRole, None)  # the table's own
                else:
                    item.setBackground(theme.mixed(colour, base, amount))
