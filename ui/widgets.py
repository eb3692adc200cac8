"""Small widget helpers every tab uses: a widget named for tests and screen readers, a push button made
in one line with its names, its tooltip and its slot, and tabs whose pages are made when first shown.

The object name is what tests find a widget by ("clearCanvasButton"); what a screen reader says is human text in
the window's language: the accessible name (a button's or label's own text, unless set) and the accessible
description, which says what the widget is for. Texts given as lambdas around `translate(…)` follow a change of
language (`i18n.keep`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QPushButton,
    QTableView,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui import i18n

Text = str | Callable[[], str]  # a text, or a lambda around `translate(…)` that gives it in the language of the moment


def set_text(widget: QObject, setter: str, text: Text) -> None:
    """`widget.<setter>(text)`; a lambda's text follows a change of language (`i18n.keep`)."""
    if callable(text):
        i18n.keep(widget, setter, text)
    else:
        getattr(widget, setter)(text)


def set_names(widget: QWidget, name: str, description: Text) -> None:
    """The widget's object name (for tests and style sheets) and what it is for (its accessible description, read
    aloud in the window's language). Its accessible name is left to Qt, which takes a button's or a label's text."""
    widget.setObjectName(name)
    set_text(widget, "setAccessibleDescription", description)


def named_button(text: Text, name: str, slot, tip: Text) -> QPushButton:
    """A push button with its object name, a tooltip that says what it does (also its accessible description),
    and its slot."""
    button = QPushButton()
    set_text(button, "setText", text)
    set_names(button, name, tip)
    set_text(button, "setToolTip", tip)
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


def record_table(name: str, headers: tuple[str, ...], tips: tuple[str, ...]) -> QTableWidget:
    """A read-only table of records: named, one row selected at a time, each header with its tooltip, rows 22 px
    high and no row numbers (the per-class table, layer health)."""
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)  # its accessible name is its owner's to give, in the window's language
    table.setHorizontalHeaderLabels(list(headers))
    for column, tip in enumerate(tips):
        table.horizontalHeaderItem(column).setToolTip(tip)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(22)
    return table


class LazyTabs(QTabWidget):
    """Tabs whose pages may be made the first time they are shown or asked for (`add_lazy`): a window opens
    without making what the user may never look at (a page of plots costs tens of milliseconds).

    A lazy page is a placeholder holding its content once made; `content(index)` makes it. The QTabWidget
    methods called with or returning pages (`setCurrentWidget`, `indexOf`, `currentWidget`, `widget`) take and
    give the content as well, so callers never see the placeholder."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lazy: dict[QWidget, _LazyPage] = {}  # content -> its placeholder, once made

    def add_lazy(self, make: Callable[[], QWidget], label: str) -> int:
        return self.addTab(_LazyPage(make, self._lazy), label)

    def content(self, index: int) -> QWidget | None:
        page = super().widget(index)
        return page.content() if isinstance(page, _LazyPage) else page

    def made(self, index: int) -> bool:
        """Whether the page at `index` exists: made already, or not a lazy one."""
        page = super().widget(index)
        return not isinstance(page, _LazyPage) or page.made()

    def _page(self, widget: QWidget) -> QWidget:
        return self._lazy.get(widget, widget)

    def setCurrentWidget(self, widget: QWidget) -> None:
        super().setCurrentWidget(self._page(widget))

    def indexOf(self, widget: QWidget) -> int:
        return super().indexOf(self._page(widget))

    def currentWidget(self) -> QWidget | None:
        return self.content(self.currentIndex())

    def widget(self, index: int) -> QWidget | None:
        return self.content(index)


class _LazyPage(QWidget):
    def __init__(self, make: Callable[[], QWidget], made: dict) -> None:
        super().__init__()
        self._make, self._made, self._content = make, made, None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    def made(self) -> bool:
        return self._content is not None

    def content(self) -> QWidget:
        if self._content is None:
            self._content = self._make()
            self._made[self._content] = self
            self.layout().addWidget(self._content)
        return self._content

    def showEvent(self, event) -> None:
        self.content()
        super().showEvent(event)
