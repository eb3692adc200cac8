"""Small widget helpers every tab uses: a widget named for tests and screen readers, a push button made
in one line with its names, its tooltip and its slot, and tabs whose pages are made when first shown.

The object name is what tests find a widget by and the accessible name what a screen reader says; both are the
same camelCase name ("clearCanvasButton"), and the accessible description says what the widget is for.
"""

from __future__ import annotations

from collections.abc import Callable

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


def record_table(name: str, headers: tuple[str, ...], tips: tuple[str, ...]) -> QTableWidget:
    """A read-only table of records: named, one row selected at a time, each header with its tooltip, rows 22 px
    high and no row numbers (the per-class table, layer health)."""
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setAccessibleName(name)
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
