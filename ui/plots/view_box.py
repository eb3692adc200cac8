"""pyqtgraph's ViewBox with its context menu made when it is first wanted, not with the plot; pyqtgraph's
menus and export dialog in the window's language.

A ViewBox menu is about 30 widgets (range, link, invert and mouse controls for each axis, their popups). A
window has some fifteen plots and a person opens one of those menus now and then, yet every widget costs the
window's construction (about 5 ms a menu) and each theme switch, which restyles every widget of the application
once per ancestor. Here the menu is made on the first right-click, or when code asks for `view_box.menu`; what
the app adds to a menu (`when_menu_made`) is added then, and the menu gets the owner `own_menu` named, so it
goes with its window. pyqtgraph's own bookkeeping (the list of views to link to, refreshed whenever a view comes
or goes) does not make it.

pyqtgraph translates its texts (`resources/i18n/pyqtgraph_zh_CN.ts`, see `ui.i18n`) when it makes them. After a
change of language a view box drops the menu it made (the next right-click makes it again, with the app's
additions), retitles its plot's "Plot Options" and the scene's "Export..."; the export dialog (made by the scene
when asked for) is `ExportDialog` here, which also translates what pyqtgraph leaves in English: the list of items
to export, the formats' choices and tips. The texts are pyqtgraph's, held in constants: a literal `translate`
here would send them to lupdate's `workbench_zh_CN.ts`.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Callable
from functools import cache

import pyqtgraph as pg
import shiboken6
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMenu, QWidget

from ui import i18n

__all__ = ["MenuOnDemandViewBox", "own_menu", "when_menu_made"]

# pyqtgraph's texts, as its modules translate them ("Context", text)
_PLOT_OPTIONS = ("PlotItem", "Plot Options")
_PLOT_SUBMENUS = ("Transforms", "Downsample", "Average", "Alpha", "Grid", "Points")  # in the menu's order
_EXPORT = ("GraphicsScene", "Export...")
_DIALOG = "ExportDialog"  # the export dialog's texts pyqtgraph leaves in English (resources/i18n/pyqtgraph_texts.py)
_EXPORTER = "Exporter"


def _tr(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


class MenuOnDemandViewBox(pg.ViewBox):
    _made: QMenu | None = None
    _quiet = False  # inside pyqtgraph's updateViewLists: a menu not made yet needs no view list
    _owner: weakref.ref | None = None

    def __init__(self, *args, **kwargs) -> None:
        enabled = kwargs.pop("enableMenu", True)
        super().__init__(*args, enableMenu=False, **kwargs)  # pyqtgraph makes no menu now …
        self.state["enableMenu"] = enabled  # … yet the menu is on: made when wanted
        self._on_made: list[Callable[[QMenu], None]] = []
        i18n.follow(self, _follow_language)

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
        _translate_export_dialog()  # its Export... entry opens the dialog in the window's language
        menu = ViewBoxMenu(self)
        self._made = menu
        if owner is not None:
            menu.setParent(owner, menu.windowFlags())
        self.updateViewLists()  # the views it may link to
        for add in self._on_made:
            add(menu)

    def drop_menu(self) -> None:
        """Let the menu go (it is made again when next wanted, in the language of the moment). What the app added
        to it lives on: its actions and submenus have owners of their own."""
        menu, self._made = self._made, None
        if menu is None or not shiboken6.isValid(menu):
            return
        with contextlib.suppress(RuntimeError, TypeError):
            self.sigStateChanged.disconnect(menu.viewStateChanged)
        menu.hide()
        menu.deleteLater()


def _follow_language(view_box: MenuOnDemandViewBox) -> None:
    """After a change of language: the menu made again when wanted; the plot's "Plot Options" and the scene's
    "Export..." in the new language (the view box has neither while it is being built)."""
    view_box.drop_menu()
    parent = view_box.parentItem()
    while parent is not None:
        if isinstance(parent, pg.PlotItem):
            retranslate_plot_options(parent)
        parent = parent.parentItem()
    export = (getattr(view_box.scene(), "contextMenu", None) or [None])[0]  # pyqtgraph's scene has one entry
    if export is not None and shiboken6.isValid(export):
        export.setText(_tr(*_EXPORT))


class _Untitled:
    """A stand-in for the form a Designer template retranslates: its title is never shown."""

    def setWindowTitle(self, title: str) -> None:
        pass


def retranslate_plot_options(item: pg.PlotItem) -> None:
    """A plot's "Plot Options" menu (made with the plot, in the language of the moment) in today's language."""
    menu = getattr(item, "ctrlMenu", None)
    if menu is None or not shiboken6.isValid(menu):
        return
    menu.setTitle(_tr(*_PLOT_OPTIONS))
    for action, title in zip(menu.actions(), _PLOT_SUBMENUS, strict=False):
        action.setText(_tr(_PLOT_OPTIONS[0], title))
    item.ctrl.retranslateUi(_Untitled())  # the options' labels and tips


@cache
def _translate_export_dialog() -> None:
    """The scene makes its export dialog by this module attribute's name when first asked for: ours, then."""
    from pyqtgraph.GraphicsScene import exportDialog

    exportDialog.ExportDialog = _export_dialog_class(exportDialog.ExportDialog)


def _export_dialog_class(base: type) -> type:
    class ExportDialog(base):
        """pyqtgraph's export dialog, following the language, with what it leaves in English translated."""

        def __init__(self, scene) -> None:
            super().__init__(scene)
            i18n.follow(self, lambda dialog: dialog.retranslate())

        def retranslate(self) -> None:
            self.ui.retranslateUi(self)
            self.ui.paramTree.setHeaderLabels([_tr(_DIALOG, "Parameter"), _tr(_DIALOG, "Value")])
            self._name_items()
            for index in range(self.ui.formatList.count()):
                item = self.ui.formatList.item(index)
                item.setText(_tr(_EXPORTER, item.expClass.Name))
            self._translate_parameters()

        def updateItemList(self, select=None) -> None:
            super().updateItemList(select)
            self._name_items()

        def exportFormatChanged(self, item, prev) -> None:
            super().exportFormatChanged(item, prev)
            self._translate_parameters()

        def _translate_parameters(self) -> None:
            params = self.currentExporter.parameters() if self.currentExporter is not None else None
            if params is not None:  # None: the format has no options
                params.setOpts(title=_tr(_DIALOG, "Options"))  # pyqtgraph shows "params" over them
                _translate_parameters(params)

        def _name_items(self) -> None:
            """The tree of what to export: "Entire Scene", then each plot ("Plot") and view ("ViewBox") in it."""
            pending = [self.ui.itemTree.topLevelItem(i) for i in range(self.ui.itemTree.topLevelItemCount())]
            while pending:
                tree_item = pending.pop()
                target = getattr(tree_item, "gitem", None)
                name = (
                    "Entire Scene" if target is self.scene else "ViewBox" if isinstance(target, pg.ViewBox) else "Plot"
                )
                tree_item.setText(0, _tr(_DIALOG, name))
                pending.extend(tree_item.child(i) for i in range(tree_item.childCount()))

    return ExportDialog


def _translate_parameters(params) -> None:
    """An exporter's options: titles (pyqtgraph's are translated when the exporter is made), the choices of a
    list (the values stay: only their names are shown) and tips, in the language of the moment."""
    for param in params.children():
        param.setOpts(title=_tr(_EXPORTER, param.name()))
        tip = param.opts.get("tip")
        if tip:
            source = param.opts.setdefault("source_tip", tip)
            param.setOpts(tip=_tr(_EXPORTER, source))
        limits = param.opts.get("limits")
        if param.type() == "list" and limits:
            values = list(limits.values()) if isinstance(limits, dict) else list(limits)
            param.setLimits({_tr(_EXPORTER, str(value)): value for value in values})
            for item in list(param.items):
                item.valueChanged(param, param.value(), force=True)  # the combo shows the value's new name


def own_menu(owner: QWidget, view_box: MenuOnDemandViewBox) -> None:
    """Make `owner` the parent of the menu when it is made (see `ui.plots.common.own_menus`)."""
    view_box._owner = weakref.ref(owner)
    if view_box.menu_made and view_box.menu.parent() is None:
        view_box.menu.setParent(owner, view_box.menu.windowFlags())


def when_menu_made(view_box: pg.ViewBox, add: Callable[[QMenu], None]) -> None:
    """Run `add(menu)` with the view box's menu: now if it exists (or the view box makes menus with the plot),
    and each time it is made (again, after a change of language). Additions run in the order they were asked
    for."""
    if isinstance(view_box, MenuOnDemandViewBox):
        view_box._on_made.append(add)
        if view_box.menu_made:
            add(view_box.menu)
    elif view_box.menu is not None:
        add(view_box.menu)
