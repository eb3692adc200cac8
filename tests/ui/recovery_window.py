"""One window of the app in a process of its own, for the test of windows that are closed or killed
(`test_recovery.py`): `python -m tests.ui.recovery_window`, offscreen, with WORKBENCH_STATE_DIR set.

It starts as `ui.app.main` does (the window shown, then what killed windows left is offered back) and
prints `ready {"folder": …, "checkpoint": …}` (its recovery folder and its runs' checkpoint path). Then
it follows commands on stdin, one a line, answering each on stdout:

    add TYPE   adds a TYPE layer at the end and autosaves at once   → saved {spec as JSON}
    close      closes the window as the user does, discarding the unsaved changes   → closed

A question it is asked other than "discard the unsaved changes?" is printed (`asked TITLE`) and answered No.
"""

from __future__ import annotations

import json
import sys

from PySide6.QtWidgets import QApplication, QMessageBox


def answer(parent, title, text, buttons=None, default=None):
    """Discard when closing; No to anything else (a start-up question here is a test failure)."""
    if buttons is not None and buttons & QMessageBox.StandardButton.Discard:
        return QMessageBox.StandardButton.Discard
    print("asked", title, flush=True)
    return QMessageBox.StandardButton.No


def main() -> int:
    app = QApplication([sys.argv[0], "-platform", "offscreen"])
    app.setApplicationName("CNN Workbench Tests")
    app.setOrganizationName("CNN Workbench Tests")
    QMessageBox.question = answer
    from ui.app import open_window

    window = open_window()
    window.show()
    window.keeper.offer_restore()
    where = {"folder": str(window.keeper.recovery.folder), "checkpoint": str(window.dashboard.checkpoint_path)}
    print("ready", json.dumps(where), flush=True)
    for line in sys.stdin:
        command, _, argument = line.strip().partition(" ")
        if command == "add":
            window.document.add_layer(len(window.document.spec.layers), argument)
            window.keeper.write_autosave()
            print("saved", json.dumps(window.document.spec.to_json()), flush=True)
        elif command == "close":
            window.close()
            app.processEvents()
            print("closed" if not window.isVisible() else "still open", flush=True)
            return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())
