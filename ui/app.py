"""Start the desktop app: `cnn-workbench` or `python main.py` (`--theme dark` starts in the dark theme,
`--lang zh_CN` in Simplified Chinese)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def parse_args(arguments: list[str]) -> argparse.Namespace:
    """The app's own options; Qt's (such as -platform) have been taken out by QApplication first.
    Bad options exit with status 2 and a usage line, as argparse does."""
    from ui.i18n import LANGUAGES
    from ui.theme import THEMES

    parser = argparse.ArgumentParser(
        prog="cnn-workbench", description="Build, train and see small convolutional networks."
    )
    parser.add_argument(
        "--theme",
        choices=list(THEMES),
        help="start in this theme this time (View ▸ Theme chooses one and remembers it)",
    )
    parser.add_argument(
        "--lang",
        choices=list(LANGUAGES),
        help="start in this language this time (View ▸ Language chooses one and remembers it)",
    )
    return parser.parse_args(arguments)


def open_window(theme_name: str | None = None, language: str | None = None) -> MainWindow:
    """The main window in theme `theme_name`, else the remembered one; the theme is applied before
    any widget exists, so nothing has to restyle. `language` (`--lang`) outranks the remembered one
    for this process (`i18n.chosen`), until View ▸ Language chooses another."""
    from ui import i18n, theme
    from ui.main_window import MainWindow

    theme.apply(theme_name or theme.saved_name())
    i18n.request(language)
    i18n.install(i18n.chosen())
    return MainWindow()


def main(argv: list[str] | None = None) -> int:
    from PySide6.QtCore import QPoint, QTimer
    from PySide6.QtWidgets import QApplication

    from ui.style import app_icon

    app = QApplication.instance() or QApplication(sys.argv if argv is None else argv)
    app.setApplicationName("CNN Workbench")
    app.setOrganizationName("CNN Workbench")
    app.setWindowIcon(app_icon())
    options = parse_args(app.arguments()[1:])
    window = open_window(options.theme, options.lang)
    window.show()
    windows = [window]  # a second model restored after a crash opens in a window of its own, kept here

    def another() -> MainWindow:
        from ui.main_window import MainWindow

        opened = MainWindow()
        opened.move(windows[-1].pos() + QPoint(40, 40))  # beside the last, not hidden under it
        windows.append(opened)
        opened.show()
        return opened

    # after a crash: each killed window's unsaved model is offered back, and its interrupted run kept
    QTimer.singleShot(0, lambda: window.keeper.offer_restore(another))
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
