"""Icons and help from resources/: every layer's SVG icon in its group's colour (and a painted stand-in
when one is missing), the app icon, Help ▸ About layers with each layer's Markdown rendered, and the
palette, inspector and Learn tab showing the texts of the help files."""

from __future__ import annotations

import logging
from collections import Counter

import pytest
from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QAction, QColor, QImage, QKeySequence, QPainter, QShortcut
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication, QLabel, QTextBrowser, QTreeWidget

import resources
import ui.style
from tests.ui.english import report, window_english
from ui import i18n
from ui.builder.palette import LayerPalette
from ui.help_dialog import LEARN_GROUP, LEARN_TOPICS, AboutLayersDialog, layer_page, learn_key, open_about_layers
from ui.learn.activation_plot import ActivationPlot
from ui.learn.conv_explorer import ConvExplorer
from ui.learn.pool_explorer import PoolExplorer
from ui.style import GROUP_COLOURS, ICON_SIZES, INPUT_COLOUR, app_icon, layer_icon, layer_pixmap
from workbench.explore.functions import SLOPE_NOTE
from workbench.model import helptext
from workbench.model.catalog import CATALOG, GROUPS, help_markdown, layer_texts

TYPES = list(CATALOG)


def main_colour(image: QImage) -> str:
    """The most common fully opaque colour of the image, as "#RRGGBB"."""
    counts = Counter(
        image.pixelColor(x, y).name().upper()
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).alpha() == 255
    )
    return counts.most_common(1)[0][0]


def svg_image(name: str, size: int) -> QImage:
    renderer = QSvgRenderer(QByteArray(resources.read_bytes("icons", f"{name}.svg")))
    assert renderer.isValid(), name
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def help_dialog(window) -> AboutLayersDialog | None:
    return window.findChild(AboutLayersDialog, "aboutLayersDialog")


@pytest.fixture
def fresh_icons():
    """Icons are cached per name; tests that replace what an icon reads start and end with empty caches."""
    caches = (ui.style._svg, ui.style.layer_icon)
    for cached in caches:
        cached.cache_clear()
    yield
    for cached in caches:
        cached.cache_clear()


# ----- icons ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", TYPES)
def test_every_layer_icon_is_its_svg_in_the_group_colour(qapp, name, caplog):
    caplog.set_level(logging.WARNING, logger="ui.style")
    icon = layer_icon(name)
    assert {size for size in ICON_SIZES} <= {size.width() for size in icon.availableSizes()}
    image = icon.pixmap(32, 32).toImage().convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
    assert not image.isNull() and image.width() == 32
    assert image == svg_image(name, 32), "the icon is the rendered SVG, not the painted stand-in"
    assert main_colour(image) == GROUP_COLOURS[CATALOG[name].group].upper()
    assert image.pixelColor(0, 0).alpha() == 0  # a rounded square: the corners stay transparent
    square = QColor(GROUP_COLOURS[CATALOG[name].group]).lightnessF()
    light = sum(image.pixelColor(x, y).lightnessF() > square + 0.2 for x in range(32) for y in range(32))
    assert light > 40, "a white pictogram or abbreviation on the square"
    assert not caplog.records


def test_small_icons_are_rendered_at_their_size_not_scaled(qapp):
    small = layer_icon("Conv2d").pixmap(16, 16).toImage().convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
    assert small == svg_image("Conv2d", 16)


def test_every_svg_file_is_a_layer_type_or_the_app(qapp):
    assert set(resources.names("icons", ".svg")) == {*TYPES, "app"}


def test_a_missing_icon_is_painted_instead_and_says_so(qapp, caplog, fresh_icons):
    caplog.set_level(logging.WARNING, logger="ui.style")
    pixmap = layer_pixmap("Conv3d", 32)  # no such file
    assert not pixmap.isNull() and main_colour(pixmap.toImage()) == INPUT_COLOUR.upper()
    assert "no icon resources/icons/Conv3d.svg" in caplog.text


def test_a_catalog_icon_that_is_gone_or_broken_does_not_crash(qapp, caplog, monkeypatch, fresh_icons):
    caplog.set_level(logging.WARNING, logger="ui.style")
    real = resources.read_bytes

    def read_bytes(*parts: str) -> bytes:
        if parts == ("icons", "ReLU.svg"):
            raise FileNotFoundError(parts)
        return b"<svg this is not" if parts == ("icons", "Tanh.svg") else real(*parts)

    monkeypatch.setattr(resources, "read_bytes", read_bytes)
    for name in ("ReLU", "Tanh"):
        image = layer_icon(name).pixmap(32, 32).toImage()
        assert not image.isNull() and main_colour(image) == GROUP_COLOURS["Activation"].upper()
    assert "no icon resources/icons/ReLU.svg" in caplog.text
    assert "resources/icons/Tanh.svg is not valid SVG" in caplog.text
    assert not layer_icon("Sigmoid").isNull()


def test_the_app_icon_is_the_svg(qapp):
    icon = app_icon()
    assert {16, 32, 256} <= {size.width() for size in icon.availableSizes()}
    image = icon.pixmap(64, 64).toImage()
    assert main_colour(image) == "#263445"
    assert image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied) == svg_image("app", 64)


# ----- Help ▸ About layers ------------------------------------------------------------------------


def test_about_layers_opens_from_the_help_menu(window, qtbot):
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    action = window.findChild(QAction, "aboutLayersAction")
    assert action in help_menu.actions() and action.text() == "About &layers"
    assert help_dialog(window) is None
    action.trigger()
    dialog = help_dialog(window)
    assert dialog is not None and dialog.isVisible()
    qtbot.waitExposed(dialog)
    action.trigger()
    assert window.findChildren(AboutLayersDialog) == [dialog]  # one dialog, brought forward again


def test_selecting_conv2d_shows_its_markdown(window):
    window.findChild(QAction, "aboutLayersAction").trigger()
    dialog = help_dialog(window)
    tree = dialog.findChild(QTreeWidget, "helpTopics")
    browser = dialog.findChild(QTextBrowser, "helpText")
    dialog.show_topic("ReLU")
    tree.setCurrentItem(tree.findItems("Conv2d", Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)[0])
    assert dialog.current_topic() == "Conv2d"
    conv = CATALOG["Conv2d"]
    shown = browser.toPlainText()
    assert shown.startswith("Conv2d\n")
    for text in (conv.tooltip, conv.explain, conv.param("out_channels").help, conv.param("kernel_size").help):
        assert text in shown
    assert "Parameters" in shown and "padding_mode" in shown
    assert "#" not in shown and "`" not in shown  # rendered, not the Markdown source
    html = browser.toHtml()
    assert "font-weight" in html or "<h1" in html  # the title is a heading


@pytest.mark.parametrize("name", TYPES)
def test_every_layer_renders_its_texts_word_for_word(qtbot, name):
    dialog = AboutLayersDialog()
    qtbot.addWidget(dialog)
    assert dialog.show_topic(name)
    shown = dialog.text.toPlainText()
    layer = CATALOG[name]
    for text in (layer.tooltip, layer.explain, *(param.help for param in layer.params)):
        assert text in shown


def test_topics_are_grouped_as_in_the_palette_with_icons_and_the_learn_texts(qtbot):
    dialog, palette = AboutLayersDialog(), LayerPalette()
    qtbot.addWidget(dialog)
    qtbot.addWidget(palette)
    headings = [dialog.topics.topLevelItem(i) for i in range(dialog.topics.topLevelItemCount())]
    assert [h.text(0) for h in headings] == [*GROUPS, LEARN_GROUP]
    for index, heading in enumerate(headings[:-1]):
        names = [heading.child(row).text(0) for row in range(heading.childCount())]
        palette_heading = palette.topLevelItem(index)
        assert names == [palette_heading.child(row).text(0) for row in range(palette_heading.childCount())]
        assert all(not heading.child(row).icon(0).isNull() for row in range(heading.childCount()))
    assert set(LEARN_TOPICS) == set(resources.names("help/learn", ".md"))
    dialog.show_topic(learn_key("pooling"))
    assert helptext.load("learn", "pooling.md").intro in dialog.text.toPlainText()
    dialog.show_topic(learn_key("activations"))
    assert SLOPE_NOTE in dialog.text.toPlainText() and "Zero-centred?" in dialog.text.toPlainText()


def test_search_keeps_matching_topics_and_the_keyboard_walks_them(qapp, qtbot):
    dialog = AboutLayersDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.search, "Saturates")
    assert dialog.visible_topics() == ["Sigmoid", "Tanh", "learn/activations"]
    assert dialog.current_topic() == "Sigmoid"  # Conv2d was hidden: the first match is shown
    qtbot.keyClick(dialog.search, Qt.Key.Key_Down)
    assert dialog.focusWidget() is dialog.topics
    qtbot.keyClick(dialog.topics, Qt.Key.Key_Down)
    assert dialog.current_topic() == "Tanh"
    assert CATALOG["Tanh"].tooltip in dialog.text.toPlainText()
    qtbot.keyClicks(dialog.search, " dead")
    assert dialog.visible_topics() == ["learn/activations"]  # every word must match
    dialog.search.setText("no such words anywhere")
    assert dialog.visible_topics() == [] and "Nothing in the help mentions" in dialog.text.toPlainText()
    dialog.search.clear()
    assert len(dialog.visible_topics()) == len(CATALOG) + len(LEARN_TOPICS)
    dialog.search.setText("softmax")
    assert dialog.show_topic("Conv2d") and dialog.search.text() == ""  # showing a hidden topic clears the search
    (find,) = dialog.findChildren(QShortcut)
    assert find.key() == QKeySequence(QKeySequence.StandardKey.Find)
    find.activated.emit()  # as Ctrl+F does (offscreen windows never become active for shortcuts)
    assert dialog.focusWidget() is dialog.search


def test_f1_in_the_palette_opens_about_layers_on_its_layer(window, qtbot):
    palette = window.builder.palette_list
    palette.setFocus()
    palette.setCurrentItem(palette.item_for("MaxPool2d"))
    qtbot.waitUntil(lambda: QApplication.focusWidget() is palette)
    qtbot.keyClick(palette, Qt.Key.Key_F1)
    dialog = help_dialog(window)
    assert dialog is not None and dialog.isVisible() and dialog.current_topic() == "MaxPool2d"
    palette.setCurrentItem(palette.item_for("Flatten"))
    window.activateWindow()
    palette.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is palette)
    window.findChild(QAction, "aboutLayersAction").trigger()  # the menu's F1 asks the focused palette
    assert dialog.current_topic() == "Flatten"


def test_the_palette_context_menu_opens_about_layers(window):
    palette = window.builder.palette_list
    menu = palette.context_menu("Dropout2d")
    about = next(a for a in menu.actions() if a.objectName() == "paletteAboutAction")
    assert about.text() == "About Dropout2d"
    about.trigger()
    assert help_dialog(window).current_topic() == "Dropout2d"
    assert open_about_layers(window, "Linear") is help_dialog(window)
    assert help_dialog(window).current_topic() == "Linear"


# ----- the texts the app shows are the help files' ------------------------------------------------------


def test_palette_tooltip_shows_the_tooltip_from_the_help_file(qtbot):
    palette = LayerPalette()
    qtbot.addWidget(palette)
    for name in TYPES:
        tooltip = helptext.load("layers", f"{name}.md").paragraphs[0]
        assert palette.item_for(name).toolTip(0) == f"<b>{name}</b><br>{tooltip}"
        assert not palette.item_for(name).icon(0).isNull()


def test_learn_panels_show_the_learn_texts(qtbot):
    conv, pool, plot = ConvExplorer(), PoolExplorer(), ActivationPlot()
    for widget in (conv, pool, plot):
        qtbot.addWidget(widget)
    assert conv.legend.text() == helptext.load("learn", "convolution.md").intro
    assert pool.legend.text() == helptext.load("learn", "pooling.md").intro
    notes = plot.findChild(QLabel, "activationNotes").text()
    assert SLOPE_NOTE in notes and helptext.load("learn", "activations.md").section("ReLU").items["Bad"] in notes


def test_icons_look_right_on_dark_and_light(qapp):
    """A coloured square reads on both: its colour differs clearly from white and from near-black."""
    for colour in GROUP_COLOURS.values():
        lightness = QColor(colour).lightnessF()
        assert 0.3 < lightness < 0.75, colour


# ----- in Chinese ---------------------------------------------------------------------------------------

# Words the Chinese help keeps as they are, besides tests/ui/english.py's KEPT: torch's functions in formulas,
# torch's string values and Python's literals in parameter defaults, the parameters a layer infers from its
# input, and the names of networks
KEPT_IN_HELP = {
    *("exp", "log", "ln", "max", "min", "sigmoid", "tanh", "f"),
    *("same", "valid", "none", "zeros", "True", "False", "None"),
    *(layer.derived for layer in CATALOG.values() if layer.derived),
    *("Transformer", "Swish", "LSTM", "MobileNet", "EfficientNet", "DenseNet", "CVPR"),
}


def every_topic_english(dialog: AboutLayersDialog) -> list:
    found = []
    for key in dialog.topic_keys():
        assert dialog.show_topic(key)
        found += window_english(dialog, KEPT_IN_HELP)
    return found


def test_in_english_a_layer_page_is_the_core_help_page():
    assert all(layer_page(layer) == help_markdown(layer) for layer in CATALOG.values())


def shown_dialog(qtbot) -> AboutLayersDialog:
    dialog = AboutLayersDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_the_dialog_in_chinese_shows_the_chinese_help(qtbot):
    i18n.install(i18n.CHINESE)
    dialog = shown_dialog(qtbot)
    found = every_topic_english(dialog)
    assert not found, report(found)
    dialog.show_topic("Conv2d")
    shown, conv = dialog.text.toPlainText(), layer_texts("Conv2d", i18n.CHINESE)
    assert shown.startswith("Conv2d\n") and "torch.nn.Conv2d" in shown
    for text in (conv.tooltip, conv.explain, conv.params["stride"], "in_channels 不在这里设置", "参数", "必填"):
        assert text in shown
    assert dialog.topics.topLevelItem(0).toolTip(0) == "" and dialog.topics.topLevelItem(0).text(0) == "卷积"
    assert dialog.topics.findItems("Conv2d", Qt.MatchFlag.MatchRecursive)[0].toolTip(0) == conv.tooltip
    dialog.show_topic(learn_key("activations"))
    assert helptext.load_in(i18n.CHINESE, "learn", "activations.md").intro in dialog.text.toPlainText()
    dialog.search.setText("饱和")
    assert {"Sigmoid", "Tanh", "learn/activations"} <= set(dialog.visible_topics())
    dialog.search.setText("没有这个词")
    assert dialog.visible_topics() == [] and "帮助中没有任何地方提到“没有这个词”" in dialog.text.toPlainText()


def test_the_dialog_switches_language_at_once(qtbot):
    dialog = shown_dialog(qtbot)
    dialog.show_topic("MaxPool2d")
    assert window_english(dialog)
    i18n.choose(i18n.CHINESE)
    assert dialog.current_topic() == "MaxPool2d"
    assert layer_texts("MaxPool2d", i18n.CHINESE).explain in dialog.text.toPlainText()
    assert dialog.windowTitle() == "关于层 — CNN Workbench"
    found = window_english(dialog, KEPT_IN_HELP)
    assert not found, report(found)
    dialog.search.setText("Dropout")  # a search stays, its topics now in Chinese
    assert dialog.visible_topics() == ["Dropout", "Dropout2d"]
    assert "训练时" in dialog.text.toPlainText()
    dialog.search.clear()
    i18n.choose(i18n.ENGLISH)
    assert dialog.windowTitle() == "About layers — CNN Workbench"
    assert dialog.current_topic() == "Dropout" and CATALOG["Dropout"].explain in dialog.text.toPlainText()
    assert dialog.topics.topLevelItem(0).text(0) == "Convolution"
    assert dialog.markdown(learn_key("depth")) == helptext.load("learn", "depth.md").markdown
