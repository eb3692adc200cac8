"""Light and dark themes: Qt's Fusion style (`WorkbenchStyle`), a matching palette and a style sheet
from `resources/themes/<name>.qss`, plus colour tokens for the code that paints or sets colours itself
(the plots, the forward strip, the number grids, coloured messages).

`apply(name)` restyles the application and then emits `notifier().theme_changed`; `follow(widget,
restyle)` calls `restyle(current())` at once and again after every switch for as long as the widget
lives, so panels that keep their own colours (pyqtgraph items, rich text, painted cells) follow a
switch made while the window is open. `choose(name)` is the View menu's: apply and remember it
(QSettings key "theme"); `apply_saved()` is the start-up's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from types import MappingProxyType

import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, QRectF, QSettings, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QProxyStyle,
    QStyle,
    QStyleFactory,
    QToolTip,
    QWidget,
)

import resources
from ui.followers import Followers

SETTINGS_KEY = "theme"
STYLE = "Fusion"
STYLE_SET = "workbenchStyle"  # an application property: the style `apply` has set


@dataclass(frozen=True)
class Theme:
    """One theme's colours, all "#rrggbb". `palette` overrides roles of Fusion's standard (light)
    palette, "Role" for every colour group or "Disabled:Role" for disabled widgets only."""

    name: str
    title: str  # as the View menu shows it, in English (translated there: context "Theme")
    dark: bool
    palette: Mapping[str, str]
    muted: str  # secondary text in rich text (placeholder-like)
    error: str  # text saying what is wrong
    error_background: str  # behind error text: a failing layer's row, a problem box
    warning: str  # "untrained" and similar notes
    note_background: str  # a quiet highlighted box (the Learn tab's "Showing layer 3 of your model")
    # plots (pyqtgraph) and the strips of controls above and below them
    plot_background: str
    plot_text: str
    plot_muted: str
    plot_axis: str
    plot_separator: str  # between mosaic tiles, legend frames
    plot_control: str  # the box of a check box on a plot's strip of controls
    blue: str
    orange: str
    green: str
    neutral_bar: str  # a softmax bar that is not the prediction
    # the forward strip: layers after a failing one are grey
    unreached: str
    chip_text: str
    unreached_text: str
    # the Learn tab's number grids: 0 is `cell_zero`, tinted towards `positive` / `negative`
    cell_zero: str
    cell_padding: str
    cell_line: str
    cell_text: str
    cell_muted_text: str
    negative: str
    positive: str
    window_fill: str  # laid over the cells a window covers, at `window_alpha`
    window_edge: str
    chosen_edge: str
    selected_edge: str
    cell_tint: float  # how far the largest |value| goes from `cell_zero` towards `positive` / `negative`
    window_alpha: float

    def tokens(self) -> dict[str, str]:
        """The colour tokens by name, for `str.format_map` ("color: {error};")."""
        return {f.name: value for f in fields(self) if isinstance(value := getattr(self, f.name), str)}

    def stylesheet(self) -> str:
        """The theme's QSS, read from the `resources` package (works from an installed wheel too)."""
        return resources.read_text("themes", f"{self.name}.qss")


LIGHT = Theme(
    name="light",
    title=QT_TRANSLATE_NOOP("Theme", "Light"),
    dark=False,
    palette=MappingProxyType({}),  # Fusion's own light palette, as the app has always looked
    muted="#6b7280",
    error="#c62828",
    error_background="#fde2e1",
    warning="#e65100",
    note_background="#e8f0fe",
    plot_background="#ffffff",
    plot_text="#2b3038",
    plot_muted="#6b7280",
    plot_axis="#8a929c",
    plot_separator="#d5d9df",
    plot_control="#ffffff",
    blue="#1f6fc5",
    orange="#d9650b",
    green="#23915a",
    neutral_bar="#a9b4c2",
    unreached="#c4c4c4",
    chip_text="#202020",
    unreached_text="#707070",
    cell_zero="#ffffff",
    cell_padding="#e3e5e8",
    cell_line="#b9bec6",
    cell_text="#1d232b",
    cell_muted_text="#6b7280",
    negative="#5b8fd6",
    positive="#f0a04b",
    window_fill="#ffd60a",
    window_edge="#d9480f",
    chosen_edge="#c2185b",
    selected_edge="#1d4ed8",
    cell_tint=0.75,
    window_alpha=0.43,
)

DARK = Theme(
    name="dark",
    title=QT_TRANSLATE_NOOP("Theme", "Dark"),
    dark=True,
    palette=MappingProxyType(
        {
            "Window": "#2b2d31",
            "WindowText": "#e3e5e8",
            "Base": "#1f2124",
            "AlternateBase": "#27292d",
            "ToolTipBase": "#3a3d43",
            "ToolTipText": "#eef0f3",
            "PlaceholderText": "#8e949c",
            "Text": "#e3e5e8",
            "Button": "#363a40",
            "ButtonText": "#e3e5e8",
            "BrightText": "#ffffff",
            "Light": "#4b5058",
            "Midlight": "#41454c",
            "Mid": "#5a5f67",
            "Dark": "#1c1d20",
            "Shadow": "#111214",
            "Highlight": "#3b78c4",
            "HighlightedText": "#ffffff",
            "Link": "#74b3ff",
            "LinkVisited": "#b39ddb",
            "Accent": "#3b78c4",
            "Disabled:WindowText": "#767b83",
            "Disabled:Text": "#767b83",
            "Disabled:ButtonText": "#767b83",
            "Disabled:Base": "#26282b",
            "Disabled:Button": "#303338",
            "Disabled:Highlight": "#4a4e55",
            "Disabled:HighlightedText": "#a0a4aa",
        }
    ),
    muted="#9aa0a8",
    error="#ff7b72",
    error_background="#4a2326",
    warning="#ffab5e",
    note_background="#233750",
    plot_background="#1b1f24",
    plot_text="#d6dae0",
    plot_muted="#8d959f",
    plot_axis="#6b737d",
    plot_separator="#3d434b",
    plot_control="#3a4048",
    blue="#4c9be8",
    orange="#f0a04b",
    green="#5cc98a",
    neutral_bar="#5b6b7f",
    unreached="#5d626a",
    chip_text="#202020",
    unreached_text="#d4d7dc",
    cell_zero="#24272b",
    cell_padding="#3a3e44",
    cell_line="#4f555d",
    cell_text="#eceef1",
    cell_muted_text="#9aa0a8",
    negative="#3f7fd9",
    positive="#e8912f",
    window_fill="#ffd60a",
    window_edge="#ff8a4c",
    chosen_edge="#f06292",
    selected_edge="#7aa7ff",
    cell_tint=0.55,
    window_alpha=0.35,
)

THEMES: dict[str, Theme] = {chosen.name: chosen for chosen in (LIGHT, DARK)}
DEFAULT = LIGHT.name

_current = LIGHT


class ThemeNotifier(QObject):
    theme_changed = Signal(object)  # the new Theme, after the application has been restyled


_notifier: ThemeNotifier | None = None


def notifier() -> ThemeNotifier:
    global _notifier
    if _notifier is None:
        _notifier = ThemeNotifier()
    return _notifier


def current() -> Theme:
    """The theme in use (light until one is applied)."""
    return _current


def by_name(name: str) -> Theme:
    """The theme called `name`; KeyError naming the ones there are otherwise."""
    try:
        return THEMES[name]
    except KeyError:
        raise KeyError(f"no theme {name!r}; there are {', '.join(THEMES)}") from None


class WorkbenchStyle(QProxyStyle):
    """Fusion, with check box and radio button outlines that show in the dark theme: Fusion draws them
    a shade darker than the window, which cannot be seen when the window is dark."""

    def __init__(self) -> None:
        super().__init__(QStyleFactory.create(STYLE))

    def drawPrimitive(self, element, option, painter, widget=None) -> None:
        super().drawPrimitive(element, option, painter, widget)
        radio = element == QStyle.PrimitiveElement.PE_IndicatorRadioButton
        if _current.dark and (radio or element == QStyle.PrimitiveElement.PE_IndicatorCheckBox):
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(option.palette.color(QPalette.ColorRole.Mid), 1))
            box = QRectF(option.rect).adjusted(0.5, 0.5, -0.5, -0.5)
            if radio:
                painter.drawEllipse(box)
            else:
                painter.drawRoundedRect(box, 1.5, 1.5)
            painter.restore()


def palette(chosen: Theme) -> QPalette:
    """Fusion's standard palette with the theme's roles put in."""
    fusion = QStyleFactory.create(STYLE)
    result = QPalette(fusion.standardPalette()) if fusion is not None else QPalette()
    for key, colour in chosen.palette.items():
        group, _, role = key.rpartition(":")
        role_value = getattr(QPalette.ColorRole, role, None)
        if role_value is None:  # a role this Qt does not have (Accent is 6.6+)
            continue
        if group:
            result.setColor(getattr(QPalette.ColorGroup, group), role_value, QColor(colour))
        else:
            result.setColor(role_value, QColor(colour))
    return result


def apply(name: str, app: QApplication | None = None) -> Theme:
    """Restyle the application with theme `name` (Fusion, its palette, its QSS, pyqtgraph's defaults
    for new plots), then tell the widgets that follow the theme. Not remembered: see `choose`."""
    global _current
    chosen = by_name(name)
    app = app or QApplication.instance()
    if isinstance(app, QApplication):
        if chosen is _current and app.property(STYLE_SET) == STYLE and app.styleSheet() == chosen.stylesheet():
            return chosen  # nothing to change: no restyle of every widget
        if app.property(STYLE_SET) != STYLE:  # (under a style sheet, style().name() is empty)
            app.setStyle(WorkbenchStyle())
            app.setProperty(STYLE_SET, STYLE)
        colours = palette(chosen)
        app.setPalette(colours)
        QToolTip.setPalette(colours)
        app.setStyleSheet(chosen.stylesheet())
    pg.setConfigOption("background", chosen.plot_background)
    pg.setConfigOption("foreground", chosen.plot_text)
    _current = chosen
    if isinstance(app, QApplication):
        _restyle_all(chosen)
    notifier().theme_changed.emit(chosen)
    return chosen


def saved_name() -> str:
    """The theme remembered in QSettings; the default (light) when none or an unknown one is."""
    name = QSettings().value(SETTINGS_KEY, DEFAULT)
    return name if isinstance(name, str) and name in THEMES else DEFAULT


def choose(name: str) -> Theme:
    """Apply theme `name` and remember it for the next start."""
    chosen = apply(name)
    QSettings().setValue(SETTINGS_KEY, chosen.name)
    return chosen


def apply_saved(app: QApplication | None = None) -> Theme:
    """At start-up: the remembered theme."""
    return apply(saved_name(), app)


# Owners with restyles, in the order followed (weakly: no cycle, see `follow`).
_followers = Followers("_theme_restyles")  # owners and their restyles


def follow(owner: QObject, restyle: Callable[[Theme], None]) -> None:
    """Call `restyle(current())` now and `restyle(new theme)` after each switch while `owner` lives.
    `owner` is a widget or a graphics object in a view's scene (a plot item, a legend): `apply`
    finds the restyles of every widget and scene item there is, on the GUI thread.

    Nothing here may refer to `owner` (or a widget holding it): the wrapper keeps its restyles, and
    a reference back would make a cycle that the garbage collector may break on any thread, a
    worker's too, which deadlocked and crashed the app. A bound method of `owner` is kept as its
    function; anything else that needs the owner goes through `follow_owner`."""
    if getattr(restyle, "__self__", None) is owner:
        follow_owner(owner, restyle.__func__)
    else:
        follow_owner(owner, lambda _owner, t: restyle(t))


def follow_owner(owner: QObject, restyle: Callable[[QObject, Theme], None]) -> None:
    """As `follow`, with `restyle(owner, theme)`: the owner is passed in, never kept."""
    restyle(owner, _current)
    _followers.add(owner, restyle)


def _restyle_all(chosen: Theme) -> None:
    """Every followed owner's restyles, once per switch, in the order they were followed."""
    _followers.run(chosen)


def style_sheet(widget: QWidget, template: str) -> None:
    """Give `widget` the style sheet `template` with the theme's tokens put in ("color: {error};"),
    again after every switch."""
    follow_owner(widget, lambda owner, t: owner.setStyleSheet(template.format_map(t.tokens())))


def set_toned_text(label: QLabel, text: str, tone: str) -> None:
    """Show rich `text` in `label` in the colour of token `tone` ("error", "warning"), and in the new
    theme's colour after a switch unless the label has been given other text since."""
    getattr(_current, tone)  # an unknown tone fails here, not at the next switch
    label.setProperty("tone", tone)
    label.setProperty("tonedSource", text)
    _show_toned(label, _current)
    if not label.property("tonedFollowed"):
        label.setProperty("tonedFollowed", True)
        follow_owner(label, _show_toned_again)


def _show_toned_again(label: QLabel, chosen: Theme) -> None:
    _show_toned(label, chosen, switching=True)


def _show_toned(label: QLabel, chosen: Theme, switching: bool = False) -> None:
    if switching and label.text() != label.property("tonedHtml"):
        return  # the label says something else now
    colour = getattr(chosen, label.property("tone"))
    html = f"<span style='color:{colour}'>{label.property('tonedSource')}</span>"
    label.setProperty("tonedHtml", html)
    label.setText(html)


def contrast(a: QColor, b: QColor) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""

    def luminance(c: QColor) -> float:
        channels = [v / 255 for v in (c.red(), c.green(), c.blue())]
        r, g, b = (v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def readable_on(background: QColor, t: Theme) -> QColor:
    """The number grids' text colour, or the other theme's when that reads better on `background`
    (a bright cell under the window in the dark theme gets dark text)."""
    own, other = QColor(t.cell_text), QColor((LIGHT if t.dark else DARK).cell_text)
    return own if contrast(own, background) >= contrast(other, background) else other


def mixed(colour: str, over: str, amount: float) -> QColor:
    """`colour` laid over `over` at `amount` (0 = `over`, 1 = `colour`): a tint that stays opaque."""
    a, b = QColor(colour), QColor(over)
    return QColor(
        round(b.red() + (a.red() - b.red()) * amount),
        round(b.green() + (a.green() - b.green()) * amount),
        round(b.blue() + (a.blue() - b.blue()) * amount),
    )
