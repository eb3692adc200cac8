"""Light and dark themes: both QSS files load through `resources`, a switch restyles the application
(palette, style sheet) and the widgets already on screen (plots, painted widgets, coloured messages),
View ▸ Theme shows and changes it, and the choice is remembered for the next start."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QStyleFactory

import resources
from tests.core.synthetic import bars_dataset
from ui import theme
from ui.app import open_window, parse_args
from ui.learn.number_grid import NumberGrid
from ui.plots.common import themed_plot_widget


@pytest.fixture(autouse=True)
def light_again():
    """Every test starts, and leaves the application, in the default (light) theme."""
    theme.apply("light")
    yield
    theme.apply("light")


@pytest.fixture
def window(qtbot):
    """The main window, shown; back in the light theme before it closes. (Changing the application's
    style sheet while a closed window waits for its deferred deletion crashed Qt, with or without
    themes; the app never does that: it has one window, restyled while open.)"""
    from ui.main_window import MainWindow

    window = MainWindow()
    window.show()
    qtbot.waitExposed(window)
    yield window
    theme.apply("light")
    window.document.undo_stack.setClean()
    window.close()
    window.deleteLater()


@pytest.fixture
def start():
    """`start(theme_name=None)` opens a window as `main` does; at the end the theme goes back to light,
    then the windows close (as in the window fixture)."""
    windows = []

    def opened(name: str | None = None):
        windows.append(open_window(name))
        windows[-1].show()
        return windows[-1]

    yield opened
    theme.apply("light")
    for window in windows:
        window.document.undo_stack.setClean()
        window.close()
        window.deleteLater()


def pixels(image: QImage) -> np.ndarray:
    """(height, width, 3) uint8 RGB of a grabbed widget."""
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    stride, height = image.bytesPerLine(), image.height()
    rows = np.frombuffer(image.constBits(), dtype=np.uint8, count=stride * height).reshape(height, stride)
    return rows[:, : 3 * image.width()].reshape(height, image.width(), 3).copy()  # before `image` goes


def bright_share(image: QImage) -> float:
    """The fraction of pixels that are near white (all channels above 225)."""
    rgb = pixels(image)
    return float((rgb.min(axis=2) > 225).mean())


def window_colour() -> QColor:
    return QApplication.palette().color(QPalette.ColorRole.Window)


def test_both_themes_load_through_resources():
    assert {"light", "dark"} <= set(resources.names("themes", ".qss"))
    for name, chosen in theme.THEMES.items():
        qss = resources.read_text("themes", f"{name}.qss")
        assert "QToolTip" in qss and "{" in qss and chosen.stylesheet() == qss
    assert theme.DARK.stylesheet() != theme.LIGHT.stylesheet()


def test_switching_changes_the_palette_style_and_style_sheet(qapp):
    light = window_colour()
    fusion = QStyleFactory.create("Fusion").standardPalette().color(QPalette.ColorRole.Window)
    assert light == fusion and qapp.style().standardPalette().color(QPalette.ColorRole.Window) == fusion
    assert qapp.styleSheet() == resources.read_text("themes", "light.qss")
    theme.apply("dark")
    dark, text = window_colour(), QApplication.palette().color(QPalette.ColorRole.WindowText)
    assert dark == QColor(theme.DARK.palette["Window"]) and dark.lightness() < 60 < 200 < text.lightness()
    assert QApplication.palette().color(QPalette.ColorRole.Base).lightness() < 60
    assert qapp.styleSheet() == resources.read_text("themes", "dark.qss")
    assert pg.getConfigOption("background") == theme.DARK.plot_background  # new plots start dark too
    theme.apply("light")
    assert window_colour() == light


def test_theme_changed_is_emitted_after_the_restyle(qtbot):
    seen = []
    theme.notifier().theme_changed.connect(lambda t: seen.append((t.name, window_colour().lightness())))
    with qtbot.waitSignal(theme.notifier().theme_changed, timeout=1000):
        theme.apply("dark")
    assert seen[-1][0] == "dark" and seen[-1][1] < 60  # widgets restyling see the new palette
    with pytest.raises(KeyError, match="no theme 'purple'; there are light, dark"):
        theme.apply("purple")


def test_a_plot_on_screen_follows_a_switch(qtbot):
    plot = themed_plot_widget()
    qtbot.addWidget(plot)
    plot.resize(300, 200)
    plot.show()
    qtbot.waitExposed(plot)
    assert plot.grab().toImage().pixelColor(3, 3) == QColor(theme.LIGHT.plot_background)
    theme.apply("dark")
    assert plot.backgroundBrush().color() == QColor(theme.DARK.plot_background)
    assert plot.grab().toImage().pixelColor(3, 3) == QColor(theme.DARK.plot_background)


def test_the_window_restyles_its_plots_panels_and_messages(window, qtbot):
    loss, softmax = window.dashboard.loss_plot, window.learn.softmax
    axis = loss.plotItem.getAxis("left")
    assert axis.textPen().color() == QColor(theme.LIGHT.plot_text)
    window.theme_actions["dark"].trigger()
    assert loss.backgroundBrush().color() == QColor(theme.DARK.plot_background)
    assert axis.textPen().color() == QColor(theme.DARK.plot_text)
    assert axis.pen().color() == QColor(theme.DARK.plot_axis)  # and the grid, drawn with it
    assert f"color: {theme.DARK.plot_text}" in axis.labelString()
    assert loss.legend.opts["labelTextColor"] == QColor(theme.DARK.plot_text)
    assert all(theme.DARK.plot_text in label.item.toHtml() for _, label in loss.legend.items)
    assert softmax.plot.backgroundBrush().color() == QColor(theme.DARK.plot_background)
    assert all(label.color == QColor(theme.DARK.plot_text) for label in softmax.bar_labels)
    header = window.dashboard.confusion.findChild(object, "plotHeader")
    assert header.palette().color(QPalette.ColorRole.Window) == QColor(theme.DARK.plot_background)
    assert theme.DARK.plot_background in window.dashboard.confusion.placeholder.styleSheet()


def test_a_failing_layer_is_marked_in_the_new_theme_colours(window):
    window.document.set_input((1, 8, 8))  # the starter model cannot work on 8×8 images
    stack, summary = window.builder.stack, window.builder.summary
    row = next(r for r in range(stack.rowCount()) if stack.is_error_row(r))
    assert stack.item(row, 1).background().color() == QColor(theme.LIGHT.error_background)
    window.theme_actions["dark"].trigger()
    assert stack.is_error_row(row)
    assert stack.item(row, 1).background().color() == QColor(theme.DARK.error_background)
    assert stack.item(row, 1).foreground().color() == QColor(theme.DARK.error)
    assert theme.DARK.error in summary.error_label.styleSheet()


def test_a_painted_widget_changes_its_pixels(qtbot):
    grid = NumberGrid("zeros")
    qtbot.addWidget(grid)
    grid.set_values(np.zeros((2, 2)))
    grid.resize(120, 140)
    grid.show()
    qtbot.waitExposed(grid)
    corner = grid.cell_rect(0, 0).topLeft().toPoint()
    x, y = corner.x() + 4, corner.y() + 4  # inside the cell, away from its line and its "0"
    before = grid.grab().toImage().pixelColor(x, y)
    theme.apply("dark")
    after = grid.grab().toImage().pixelColor(x, y)
    assert before == QColor(theme.LIGHT.cell_zero) and after == QColor(theme.DARK.cell_zero)


def test_toned_text_takes_the_new_colour_unless_replaced(qtbot):
    warning, replaced = QLabel(), QLabel()
    for label in (warning, replaced):
        qtbot.addWidget(label)
        theme.set_toned_text(label, "<b>untrained</b>", "warning")
    replaced.setText("Model: trained")
    theme.apply("dark")
    assert theme.DARK.warning in warning.text() and "<b>untrained</b>" in warning.text()
    assert replaced.text() == "Model: trained"


def test_every_tab_is_dark_in_the_dark_theme(window, qtbot):
    """No white boxes left: near-white pixels (text aside) on none of the tabs or Learn's explorers."""
    window.resize(1400, 900)
    window.dashboard._on_loader_succeeded(bars_dataset())  # data in place: the Train tab loads none
    window.theme_actions["dark"].trigger()
    learn = window.learn
    views = [(window.builder, None), (window.dashboard, None), (window.draw, None)]
    views += [(learn, learn.tabs.widget(index)) for index in range(learn.tabs.count())]
    for tab, page in views:
        window.tabs.setCurrentWidget(tab)
        if page is not None:
            learn.tabs.setCurrentWidget(page)
        qtbot.wait(50)
        share = bright_share(window.grab().toImage())
        assert share < 0.02, f"{tab.objectName()} {page.objectName() if page else ''}: {share:.1%} near white"
    window.theme_actions["light"].trigger()
    window.tabs.setCurrentWidget(window.builder)
    qtbot.wait(50)
    assert bright_share(window.grab().toImage()) > 0.3  # the light theme really is light


def test_the_view_menu_shows_and_changes_the_theme(window):
    titles = [action.text() for action in window.menuBar().actions()]
    assert titles.index("&View") == titles.index("&Edit") + 1 == titles.index("&Run") - 1
    light, dark = (window.findChild(QAction, f"{name}ThemeAction") for name in ("light", "dark"))
    assert light is window.theme_actions["light"] and dark is window.theme_actions["dark"]
    assert window.theme_menu.actions() == [light, dark] and light.actionGroup().isExclusive()
    assert light.isChecked() and not dark.isChecked()
    dark.trigger()
    assert dark.isChecked() and not light.isChecked() and theme.current() is theme.DARK
    theme.apply("light")  # however the theme changes, the menu shows it
    assert light.isChecked() and not dark.isChecked()


@pytest.mark.slow
def test_the_choice_is_remembered_and_the_next_start_uses_it(window, start):
    assert QSettings().value(theme.SETTINGS_KEY) is None and theme.saved_name() == "light"
    window.theme_actions["dark"].trigger()
    assert QSettings().value(theme.SETTINGS_KEY) == "dark"
    theme.apply("light")  # a new process starts with nothing applied …
    second = start()  # … and opens its window as `main` does
    assert theme.current() is theme.DARK and second.theme_actions["dark"].isChecked()
    assert window_colour() == QColor(theme.DARK.palette["Window"])


def test_a_theme_on_the_command_line_is_used_but_not_remembered(start):
    assert parse_args(["--theme", "dark"]).theme == "dark" and parse_args([]).theme is None
    with pytest.raises(SystemExit) as exit_info:
        parse_args(["--theme", "purple"])
    assert exit_info.value.code == 2
    window = start("dark")
    assert theme.current() is theme.DARK and window.theme_actions["dark"].isChecked()
    assert window.dashboard.loss_plot.backgroundBrush().color() == QColor(theme.DARK.plot_background)
    assert QSettings().value(theme.SETTINGS_KEY) is None


def test_an_unknown_saved_theme_falls_back_to_light():
    QSettings().setValue(theme.SETTINGS_KEY, "purple")
    assert theme.saved_name() == "light" and theme.apply_saved() is theme.LIGHT


def test_a_closed_window_leaves_no_widget_behind_for_a_switch_to_restyle(qapp):
    """pyqtgraph makes its plots' context menus without a parent; unowned, about 900 widgets of every closed
    window stayed, and every later theme switch restyled them all (`ui.plots.common.own_menus`)."""
    from PySide6.QtCore import QCoreApplication, QEvent

    from ui.main_window import MainWindow

    before = set(QApplication.allWidgets())
    window = MainWindow()
    window.show()
    assert len(set(QApplication.allWidgets()) - before) > 500
    window.tabs.setCurrentIndex(window.tabs.count() - 1)  # every tab made once
    window.document.undo_stack.setClean()
    window.close()
    window.deleteLater()
    del window
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()
    left = set(QApplication.allWidgets()) - before
    assert not left, sorted({f"{type(w).__name__} {w.objectName()!r}" for w in left})[:10]
