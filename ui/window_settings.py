"""What the main window keeps between starts (its size and place, its toolbars and splitters) and the run store
it opens; kept out of `ui.main_window` to keep that module small."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSettings, QTimer
from PySide6.QtWidgets import QMainWindow

from ui.messages import translated
from workbench.runs.store import RunStore, RunStoreError

DEFAULT_SIZE = (1400, 900)
MAX_REFITS = 3


def restore(window: QMainWindow) -> None:
    """The window's remembered geometry (fitted to this screen), toolbars and splitters."""
    settings = QSettings()
    if not window.restoreGeometry(settings.value("window/geometry", b"")):
        window.resize(*DEFAULT_SIZE)
    fit_to_screen(window)
    window.restoreState(settings.value("window/state", b""))
    for splitter in (window.builder.main_splitter, window.builder.centre_splitter):
        splitter.restoreState(settings.value(f"splitters/{splitter.objectName()}", b""))


def save(window: QMainWindow) -> None:
    settings = QSettings()
    settings.setValue("window/geometry", window.saveGeometry())
    settings.setValue("window/state", window.saveState())
    for splitter in (window.builder.main_splitter, window.builder.centre_splitter):
        settings.setValue(f"splitters/{splitter.objectName()}", splitter.saveState())


def fit_to_screen(window: QMainWindow) -> None:
    """A size remembered on a bigger monitor (or the default) must not overflow this screen."""
    screen = window.screen().availableGeometry() if window.screen() else None
    if screen is None:
        return
    width, height = min(window.width(), screen.width()), min(window.height(), screen.height())
    if (width, height) != (window.width(), window.height()):
        window.resize(width, height)
        window.move(screen.topLeft())


def refit_soon(window: QMainWindow, refits: int) -> int:
    """When first mapped, the window can come out wider than a small screen (1038 px on a 1024 px one, after the
    size was set to fit): shrink it back, a few times at most. The number of refits so far, after this one."""
    screen = window.screen().availableGeometry() if window.screen() else None
    overflowing = screen is not None and (window.width() > screen.width() or window.height() > screen.height())
    if overflowing and window.isVisible() and not window.isMaximized() and refits < MAX_REFITS:
        QTimer.singleShot(0, window, lambda: fit_to_screen(window))  # not after the window is gone
        return refits + 1
    return refits


def open_run_store() -> tuple[RunStore | None, str | None]:
    """The run store, and what to tell the user: a damaged file moved aside, or why there is no store."""
    try:
        store = RunStore()
    except RunStoreError as exc:
        problem = QCoreApplication.translate("MainWindow", "Runs are not being kept: {problem}")
        return None, problem.format(problem=translated(exc))
    return store, store.notice
