"""Small widget helpers every tab uses: a widget named for tests and screen readers, and a push button made
in one line with its names, its tooltip and its slot.

The object name is what tests find a widget by and the accessible name what a screen reader says; both are the
same camelCase name ("clearCanvasButton"), and the accessible description says what the widget is for.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QPushButton, QTableView, QWidget


def set_names(widget: QWidget, name: str, description: str) -> None:
    """The widget's object and accessible name, and what it is for (its accessible description)."""
    widget.setObjectName(name)
    widget.setAccessibleName(name)
    widget.setAccessibleDescription(description)


def named_button(text: str, name: str, slot, tip: str) -> QPushButton:
    """A push button with its object/accessible name, a tooltip that says what it does, and its slot."""
    button = QPushButton(text)
    set_names(button, name, tip)
    button.setToolTip(tip)
    button.clicked.connect(slot)
    return button


def list_rows(table: QTableView) -> None:
    """A table that reads as a list of records: alternating rows 22 px high, no row numbers, columns the user can
    widen, the last one taking what is left (the Runs and Experiments tabs' tables)."""
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(22)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
