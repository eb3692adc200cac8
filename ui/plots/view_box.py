"""pyqtgraph's ViewBox with its context menu made when it is first wanted, not with the plot.

A ViewBox menu is about 30 widgets (range, link, invert and mouse controls for each axis, their popups). A
window has some fifteen plots and a person opens one of those menus now and then, yet every widget costs the
window's construction (about 5 ms a menu) and each theme switch, which restyles every widget of the application
once per ancestor. Here the menu is made on the first right-click, or when code asks for `view_box.menu`; what
the app adds to a menu (`when_menu_made`) is added then, and the menu gets the owner `own_menu` named, so it
goes with its window. pyqtgraph's own bookkeeping (the list of views to link to, refreshed whenever a view comes
or goes) does not make it.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable

import pyqtgraph as pg
import shiboken6
from PySide6.QtWidgets import QMenu, QWidget

__all__ = ["MenuOnDemandViewBox", "own_menu", "when_menu_made"]


class MenuOnDemandViewBox(pg.ViewBox):
    _made: QMenu | None = None
    _quiet = False  # inside pyqtgraph's updateViewLists: a menu not made yet needs no view list
    _owner: weakref.ref | None = None

    def __init__(self, *args, **kwargs) -> None:
        enabled = kwargs.pop("enableMenu", True)
        super().__init__(*args, enableMenu=False, **kwargs)  # pyqtgraph makes no menu now …
        self.state["enableMenu"] = enabled  # … yet the menu is on: made when wanted
        self._on_made: list[Callable[[QMenu], None]] = []

    @property
    def menu(self) -> QMenu | None:
        if self._made is not None and not shiboken6.isValid(self._made):
            self._made = None  # gone with its owner: this view box's window is closed
            return None
        if self._made is None and not self._quiet and self.menuEnabled():
            self._make_menu()
        return self._made

    @menu.setter
    def menu(self, value: QMenu | None) -> None:
        self._made = value

    @property
    def menu_made(self) -> bool:
        return self._made is not None

    def updateViewLists(self) -> None:
        self._quiet = True
        try:
            super().updateViewLists()
        finally:
            self._quiet = False

    def _make_menu(self) -> None:
        from pyqtgraph.graphicsItems.ViewBox.ViewBoxMenu import ViewBoxMenu

        owner = self._owner() if self._owner is not None else None
        if owner is not None and not shiboken6.isValid(owner):
            return  # the window is closed: no menu to make
        menu = ViewBoxMenu(self)
        self._made = menu
        if owner is not None:
            menu.setParent(owner, menu.windowFlags())
        self.updateViewLists()  # the views it may link to
        for add in self._on_made:
            add(menu)


def own_menu(owner: QWidget, view_box: MenuOnDemandViewBox) -> None:
    """Make `owner` the parent of the menu when it is made (see `ui.plots.common.own_menus`)."""
    view_box._owner = weakref.ref(owner)
    if view_box.menu_made and view_box.menu.parent() is None:
        view_box.menu.setParent(owner, view_box.menu.windowFlags())


def when_menu_made(view_box: pg.ViewBox, add: Callable[[QMenu], None]) -> None:
    """Run `add(menu)` with the view box's menu: now if it exists (or the view box makes menus with the plot),
    else when it is made. Additions run in the order they were asked for."""
    if isinstance(view_box, MenuOnDemandViewBox) and not view_box.menu_made:
        view_box._on_made.append(add)
    elif view_box.menu is not None:
        add(view_box.menu)
