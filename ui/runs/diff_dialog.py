"""Two runs' architectures layer by layer: added (+), removed (−) and changed (~) layers, and the
layers whose output shape or parameter count differs because of them, tinted."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ui import i18n, theme
from ui.i18n import translate
from workbench.runs.diff import DiffRow, Side
from workbench.runs.store import RunSummary

SYMBOLS = {"same": "", "changed": "~", "added": "+", "removed": "−"}
HEADERS = (  # translated where shown (context "DiffDialog")
    "",
    QT_TRANSLATE_NOOP("DiffDialog", "Layer (A)"),
    QT_TRANSLATE_NOOP("DiffDialog", "Output (A)"),
    QT_TRANSLATE_NOOP("DiffDialog", "Params (A)"),
    QT_TRANSLATE_NOOP("DiffDialog", "Layer (B)"),
    QT_TRANSLATE_NOOP("DiffDialog", "Output (B)"),
    QT_TRANSLATE_NOOP("DiffDialog", "Params (B)"),
    QT_TRANSLATE_NOOP("DiffDialog", "What differs"),
)


def _number(value: int | None) -> str:
    return "?" if value is None else f"{value:,}"


def what_text(row: DiffRow) -> str:
    """What differs in `row` (the core's `DiffRow.what`), in the window's language; settings stay PyTorch's."""
    if row.kind == "added":
        return translate("DiffDialog", "added: output {shape}, {count} parameters").format(
            shape=row.right.output, count=_number(row.right.params)
        )
    if row.kind == "removed":
        return translate("DiffDialog", "removed: it gave {shape}, {count} parameters").format(
            shape=row.left.output, count=_number(row.left.params)
        )
    parts = list(row.changes)
    if row.shape_changed:
        parts.append(
            translate("DiffDialog", "output {before} → {after}").format(before=row.left.output, after=row.right.output)
        )
    if row.parameters_changed:
        parts.append(
            translate("DiffDialog", "parameters {before} → {after}").format(
                before=_number(row.left.params), after=_number(row.right.params)
            )
        )
    return translate("DiffDialog", "; ").join(parts)


def summary_text(rows: list[DiffRow]) -> str:
    """How many layers were added, removed, changed, reshaped (the core's `summary_line`), in the window's language."""
    reshaped = sum(row.kind in ("same", "changed") and row.shape_changed for row in rows)
    recounted = sum(row.kind in ("same", "changed") and row.parameters_changed for row in rows)
    counts = (
        (sum(row.kind == "added" for row in rows), translate("DiffDialog", "{count} added")),
        (sum(row.kind == "removed" for row in rows), translate("DiffDialog", "{count} removed")),
        (sum(row.kind == "changed" for row in rows), translate("DiffDialog", "{count} changed")),
        (reshaped, translate("DiffDialog", "{count} with new output shapes")),
        (recounted, translate("DiffDialog", "{count} with new parameter counts")),
    )
    parts = [text.format(count=n) for n, text in counts if n]
    return translate("DiffDialog", ", ").join(parts) if parts else translate("DiffDialog", "the same layers")


def _side_cells(side: Side | None) -> tuple[str, str, str]:
    if side is None:
        return "", "", ""
    return f"{side.place}. {side.layer}", side.output, _number(side.params)


class DiffDialog(QDialog):
    def __init__(self, left: RunSummary, right: RunSummary, rows: list[DiffRow], parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("diffDialog")
        self.left, self.right, self.rows = left, right, rows
        self.heading = QLabel()
        self.heading.setObjectName("diffHeading")
        self.summary = QLabel()
        self.summary.setObjectName("diffSummary")
        self.table = QTableWidget(len(rows), len(HEADERS))
        self.table.setObjectName("diffTable")
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        for r, row in enumerate(rows):
            cells = (SYMBOLS[row.kind], *_side_cells(row.left), *_side_cells(row.right), "")
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text if c in (1, 4) else "")
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
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(1280, 520)
        i18n.follow(self, DiffDialog.retranslate)

    def retranslate(self) -> None:
        """The title, the runs compared, the summary, the headers and what differs, in the window's language."""
        left, right = self.left, self.right
        self.setWindowTitle(self.tr("Architectures: run {left} → run {right}").format(left=left.id, right=right.id))
        line = self.tr("<b>{side}</b> run {id}: {name} ({count} parameters)")
        self.heading.setText(
            line.format(side="A", id=left.id, name=left.name, count=f"{left.parameters or 0:,}")
            + "<br>"
            + line.format(side="B", id=right.id, name=right.name, count=f"{right.parameters or 0:,}")
        )
        self.summary.setText(f"<b>{summary_text(self.rows)}</b>")
        self.table.setHorizontalHeaderLabels([translate("DiffDialog", text) if text else "" for text in HEADERS])
        self.table.setAccessibleName(self.tr("Layers of the two runs side by side"))
        for r, row in enumerate(self.rows):
            item = self.table.item(r, len(HEADERS) - 1)
            item.setText(what_text(row))
            item.setToolTip(item.text())

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
