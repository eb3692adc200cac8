r"""The window's language: English (the source texts) or Simplified Chinese (`resources/i18n/workbench_zh_CN.qm`).

Texts of `ui/` go through Qt's translation (`self.tr`, `QCoreApplication.translate("Context", …)`);
`pyside6-lupdate` extracts them into `resources/i18n/workbench_zh_CN.ts` and `pyside6-lrelease` builds the
`.qm` the app loads (tests/ui/test_i18n.py checks both are up to date):

    pyside6-lupdate $(find ui -name '*.py') -no-obsolete -locations none -ts resources/i18n/workbench_zh_CN.ts
    pyside6-lrelease resources/i18n/workbench_zh_CN.ts -qm resources/i18n/workbench_zh_CN.qm

pyqtgraph ships no Chinese: `resources/i18n/pyqtgraph_zh_CN.ts` translates the texts of its plot context menu
(ViewBox menu, axis controls, Plot Options), export dialog and exporters, which `ui.plots.view_box` makes follow
the language; `resources/i18n/pyqtgraph_texts.py` lists those pyqtgraph shows without a literal `translate`, and
the few of Qt's file dialog that `qtbase_zh_CN` lacks (tests/ui/test_zh_plots_dialogs.py checks the `.qm`):

    PG=$(python -c 'import os, pyqtgraph; print(os.path.dirname(pyqtgraph.__file__))')
    pyside6-lupdate -tr-function-alias translate+=_translate \
        $PG/GraphicsScene/{GraphicsScene,exportDialogTemplate_generic}.py \
        $PG/exporters/{CSVExporter,ImageExporter,SVGExporter}.py \
        $PG/graphicsItems/ViewBox/{ViewBoxMenu,axisCtrlTemplate_generic}.py \
        $PG/graphicsItems/PlotItem/{PlotItem,plotConfigTemplate_generic}.py \
        resources/i18n/pyqtgraph_texts.py -no-obsolete -locations none -ts resources/i18n/pyqtgraph_zh_CN.ts
    pyside6-lrelease resources/i18n/pyqtgraph_zh_CN.ts -qm resources/i18n/pyqtgraph_zh_CN.qm

Which language (`chosen`): `--lang` on the command line, else `WORKBENCH_LANG` (the test suite sets "en"),
else the one chosen in View ▸ Language (QSettings key "language"), else the system's locale. A window installs
it when it is built (`ensure`), unless a language is installed already; View ▸ Language applies a choice
at once (`choose`) and every owner that `follow`s the language retranslates its texts.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, QSettings, QTranslator, Signal
from PySide6.QtGui import QAction, QActionGroup, QFont, QGuiApplication
from PySide6.QtWidgets import QMenu

import resources
from ui.followers import Followers

ENGLISH, CHINESE = "en", "zh_CN"
LANGUAGES = {ENGLISH: "English", CHINESE: "简体中文"}  # as View ▸ Language shows them: each in its own language
SETTINGS_KEY = "language"
ENVIRONMENT = "WORKBENCH_LANG"
# Han characters differ in shape between Chinese, Japanese and Korean fonts: Simplified Chinese ones first,
# whichever the system has (Linux, Adobe's release of the same font, Windows, macOS)
CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei")

_requested: str | None = None  # `--lang`, for this process
_installed: str | None = None
_translators: list[QTranslator] = []
_buffers: list[bytes] = []  # a translator loaded from memory reads it for as long as it lives
_latin_font: QFont | None = None


class LanguageNotifier(QObject):
    language_changed = Signal(str)


_notifier: LanguageNotifier | None = None


def notifier() -> LanguageNotifier:
    global _notifier
    if _notifier is None:
        _notifier = LanguageNotifier()
    return _notifier


def request(name: str | None) -> None:
    """`--lang name`: the language of this process, whatever is remembered (None: no request)."""
    global _requested
    _requested = _known(name)


def _known(name: str | None) -> str | None:
    return name if name in LANGUAGES else None


def saved_name() -> str | None:
    name = QSettings().value(SETTINGS_KEY)
    return _known(name if isinstance(name, str) else None)


def system_name() -> str:
    locale = QLocale.system()
    chinese = locale.language() == QLocale.Language.Chinese
    return CHINESE if chinese and locale.script() != QLocale.Script.TraditionalHanScript else ENGLISH


def chosen() -> str:
    """The language to start in: `--lang`, WORKBENCH_LANG, the remembered choice, the system's."""
    return _requested or _known(os.environ.get(ENVIRONMENT)) or saved_name() or system_name()


def current() -> str:
    return _installed or ENGLISH


def ensure() -> str:
    """A window being built: install the chosen language unless one is installed already."""
    return _installed or install(chosen())


def install(name: str) -> str:
    """Install the translations of `name` (nothing for English) and retranslate every follower."""
    global _installed
    name = _known(name) or ENGLISH
    app = QCoreApplication.instance()
    for translator in _translators:
        app.removeTranslator(translator)
    _translators.clear()
    _buffers.clear()
    if name != ENGLISH:
        _load(name, app)
    _set_font(name)
    _installed = name
    _followers.run()
    notifier().language_changed.emit(name)
    return name


def _load(name: str, app: QCoreApplication) -> None:
    """The app's translations and pyqtgraph's (its plot menus, export dialog and exporters, and the few texts of
    Qt's file dialog that Qt's own lack), read from the resources package (a wheel's too), and Qt's own for the
    standard buttons and dialogs where the Qt installation has them."""
    for file in (f"workbench_{name}.qm", f"pyqtgraph_{name}.qm"):  # ours, then pyqtgraph's menus and dialogs
        data = resources.read_bytes("i18n", file)
        translator = QTranslator()
        if translator.load(data):
            _buffers.append(data)
            _translators.append(translator)
    qts = QTranslator()
    if qts.load(f"qtbase_{name}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        _translators.append(qts)
    for translator in _translators:
        app.installTranslator(translator)


def _set_font(name: str) -> None:
    """Chinese: the application font falls back on a Simplified Chinese font; English: the font as it was."""
    global _latin_font
    if not isinstance(QCoreApplication.instance(), QGuiApplication):
        return
    if name == CHINESE:
        _latin_font = _latin_font or QGuiApplication.font()
        font = QFont(_latin_font)
        font.setFamilies([_latin_font.family(), *CJK_FAMILIES])
        QGuiApplication.setFont(font)
    elif _latin_font is not None:
        QGuiApplication.setFont(_latin_font)
        _latin_font = None


def choose(name: str) -> str:
    """View ▸ Language: install `name` now and remember it for the next start (it also outranks `--lang`)."""
    request(None)
    QSettings().setValue(SETTINGS_KEY, install(name))
    return name


def reset() -> None:
    """Back to English with nothing chosen for this process: the next window chooses again (tests)."""
    global _installed
    request(None)
    if _installed not in (None, ENGLISH):
        install(ENGLISH)
    _installed = None


# Owners with retranslations, in the order followed (weakly: no cycle, as in `theme.follow`).
_followers = Followers("_i18n_retranslates")


def follow(owner: QObject, retranslate: Callable[[QObject], None]) -> None:
    """Call `retranslate(owner)` now and after each change of language while `owner` lives. As with
    `theme.follow`, `retranslate` must not refer to `owner`: it is passed in, never kept."""
    retranslate(owner)
    _followers.add(owner, retranslate)


def add_language_menu(view_menu: QMenu) -> QMenu:
    """View ▸ Language: English or 简体中文, one checked; a choice applies at once and is remembered."""
    menu = view_menu.addMenu("")
    menu.setObjectName("languageMenu")
    group = QActionGroup(menu)
    group.setExclusive(True)
    for name, title in LANGUAGES.items():
        action = QAction(title, menu)
        action.setObjectName(f"{name}LanguageAction")
        action.setCheckable(True)
        action.setChecked(name == current())
        action.triggered.connect(lambda _=False, n=name: choose(n))
        group.addAction(action)
        menu.addAction(action)
    follow(menu, _retranslate_language_menu)
    return menu


def _retranslate_language_menu(menu: QMenu) -> None:
    menu.setTitle(QCoreApplication.translate("MainWindow", "&Language"))
    for action in menu.actions():
        action.setChecked(action.objectName() == f"{current()}LanguageAction")


def keep(owner: QObject, setter: str, text: Callable[[], str]) -> QObject:
    """`owner.<setter>(text())` now and after each change of language; gives `owner` back, so a widget can be made
    and kept in one expression. `text` is a lambda around a literal `QCoreApplication.translate(…)` (lupdate
    finds it) and must not refer to `owner` (see `follow`)."""
    follow(owner, lambda target: getattr(target, setter)(text()))
    return owner


def keep_tab(tabs: QObject, index: int, text: Callable[[], str]) -> int:
    """The title of tab `index` of `tabs` (a QTabWidget), in the language of the moment (as `keep`)."""
    follow(tabs, lambda target: target.setTabText(index, text()))
    return index


def translate(context: str, text: str) -> str:
    """`QCoreApplication.translate`, by a name short enough for long texts (pyside6-lupdate extracts
    `translate("Context", "text")` calls as it does Qt's)."""
    return QCoreApplication.translate(context, text)
