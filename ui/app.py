"""Start the desktop app: `cnn-workbench` or `python main.py`."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv if argv is None else argv)
    app.setApplicationName("CNN Workbench")
    app.setOrganizationName("CNN Workbench")
    window = MainWindow()
    window.show()
    QTimer.singleShot(0, window.keeper.offer_restore)  # after a crash: offer the unsaved model back
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
