"""UI tests: each test gets its own QSettings storage and its own state folder (autosave, checkpoints),
so window state never leaks between tests or into the user's real settings and data."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QSettings


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, tmp_path_factory, qapp, monkeypatch):
    # beside tmp_path, as the run store is: each window makes its recovery folder there when it opens, and
    # tests that list the files they wrote in tmp_path see only those
    state = tmp_path_factory.getbasetemp() / f"state-{tmp_path.name}"
    monkeypatch.setenv("WORKBENCH_STATE_DIR", str(state))
    QCoreApplication.setOrganizationName("CNN Workbench Tests")
    QCoreApplication.setApplicationName("CNN Workbench Tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    yield tmp_path / "settings"


@pytest.fixture(autouse=True)
def no_modal_left_open(qapp):
    """A dialog a test left open is closed after 15 s and fails the test (tests/ui/modal_watchdog.py)."""
    from tests.ui.modal_watchdog import ModalWatchdog

    watchdog = ModalWatchdog().start()
    yield watchdog
    watchdog.stop()
    assert not watchdog.closed, f"a modal dialog was left open, closed after 15 s: {watchdog.closed}"


@pytest.fixture(autouse=True)
def english_after_each_test(qapp, deleted_after_each_test):
    """A language a test installed (or asked for with `--lang`) goes with it: the next window chooses again.
    Reset, and lay out what the change asks for, before the test's windows are deleted (this fixture ends first):
    a legend renamed just before, laid out in the middle of its window's deletion, read its deleted view box."""
    from ui import i18n

    yield
    i18n.reset()
    QCoreApplication.processEvents()  # the relayouts a change of language asks for, while the windows live


@pytest.fixture(autouse=True)
def deleted_after_each_test(qapp):
    """Widgets a test let go of (`deleteLater`) are deleted when it ends, as the app's event loop would
    do at once; left waiting, a later theme switch restyled half-closed windows and crashed Qt."""
    yield
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()


@pytest.fixture
def bars_window(qtbot):
    """The main window with the small generated bars dataset loaded, ready to train in seconds."""
    from tests.ui.test_dashboard import open_window_on_bars

    window = open_window_on_bars(qtbot)
    yield window
    window.dashboard.shutdown(5000)
    window.document.undo_stack.setClean()
    window.close()
    window.deleteLater()


@pytest.fixture
def window(qtbot):
    """The main window, shown (test modules with other needs define their own)."""
    from ui.main_window import MainWindow

    window = MainWindow()
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.document.undo_stack.setClean()  # closing at teardown must not ask about unsaved changes
    window.close()
    window.deleteLater()
