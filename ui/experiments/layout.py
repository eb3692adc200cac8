"""The Experiments tab's widgets laid out: the side column (the search space, the study's form, Start / Stop /
Resume and the line that says how the study stands) scrolling left of the results (the best configuration with
its buttons over the trial table, the four plots below), the splits between them movable."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui import i18n
from ui.i18n import translate
from ui.widgets import Text, list_rows, set_names

SIDE_WIDTH = 320


def wrapped_label(name: str, what: Text) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    set_names(label, name, what)
    return label


def trial_table(model: QAbstractItemModel) -> QTableView:
    """The table of trials: sortable, one row selected at a time, read-only."""
    table = QTableView()
    set_names(
        table,
        "trialTable",
        lambda: translate("ExperimentsLayout", "The study's trials; double-click one to see its runs"),
    )
    i18n.keep(table, "setAccessibleName", lambda: translate("ExperimentsLayout", "Trials"))
    table.setModel(model)
    table.setSortingEnabled(True)
    table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    list_rows(table)
    return table


def side_panel(space: Sequence[QWidget], form: QWidget, buttons: Sequence[QPushButton], status: QLabel) -> QWidget:
    """The search space's box over the study's box (form, buttons in a row, the status line), scrolling."""
    space_box = i18n.keep(QGroupBox(), "setTitle", lambda: translate("ExperimentsLayout", "Search space"))
    column = QVBoxLayout(space_box)
    for widget in space:
        column.addWidget(widget)
    study_box = i18n.keep(QGroupBox(), "setTitle", lambda: translate("ExperimentsLayout", "Study"))
    grid = QGridLayout(study_box)
    grid.addWidget(form, 0, 0, 1, len(buttons))
    for position, button in enumerate(buttons):
        grid.addWidget(button, 1, position)
    grid.addWidget(status, 2, 0, 1, len(buttons))
    side = QWidget()
    column = QVBoxLayout(side)
    column.setContentsMargins(0, 0, 0, 0)
    column.addWidget(space_box)
    column.addWidget(study_box)
    column.addStretch(1)
    scroll = QScrollArea()  # scrolls rather than forcing a tall window
    scroll.setWidget(side)
    scroll.setWidgetResizable(True)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    bar = scroll.verticalScrollBar().sizeHint().width()
    scroll.setMinimumWidth(max(260, side.minimumSizeHint().width() + bar + 2))
    return scroll


def results_panel(best: QLabel, buttons: Sequence[QPushButton], table: QTableView, plots: Sequence[QWidget]):
    """The best line and its buttons over the table; the plots two by two below."""
    bar = QHBoxLayout()
    bar.addWidget(best, 1)
    for button in buttons:
        bar.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
    top = QWidget()
    column = QVBoxLayout(top)
    column.setContentsMargins(0, 0, 0, 0)
    column.addLayout(bar)
    column.addWidget(table, 1)
    grid_widget = QWidget()
    grid = QGridLayout(grid_widget)
    grid.setContentsMargins(0, 0, 0, 0)
    for position, panel in enumerate(plots):
        grid.addWidget(panel, position // 2, position % 2)
    splitter = QSplitter(Qt.Orientation.Vertical)
    splitter.setObjectName("experimentsResults")
    splitter.addWidget(top)
    splitter.addWidget(grid_widget)
    splitter.setSizes([300, 500])
    return splitter


def lay_out(view: QWidget, side: QWidget, results: QWidget) -> None:
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.setObjectName("experimentsSplitter")
    splitter.addWidget(side)
    splitter.addWidget(results)
    splitter.setStretchFactor(1, 1)
    splitter.setSizes([SIDE_WIDTH, 1000])
    QHBoxLayout(view).addWidget(splitter)
