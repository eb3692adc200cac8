"""Help ▸ About layers: every layer type, grouped as in the palette and with its icon, its help rendered
from Markdown (tooltip, explanation, each parameter with torch's default); and the Learn tab's texts.

The search field keeps the topics whose name or text contains every word typed; Down or Enter moves
from it to the list, the arrow keys walk the list, Ctrl+F comes back. `open_about_layers` opens the one
dialog of a window (or brings it forward) on a layer: the Help menu's action, F1, and the palette's
context menu use it.

Everything is in the window's language and follows a change of it: the pages come from help/<language>/
(`layer_page` builds a layer's page, the words around the help translated; in English it is exactly the core's
`help_markdown`, which the CLI keeps).
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QTreeWidgetItemIterator,
    QVBoxLayout,
    QWidget,
)

from ui import i18n
from ui.i18n import translate
from ui.style import layer_icon
from workbench.model import helptext
from workbench.model.catalog import CATALOG, LayerType, by_group, layer_texts

LEARN_GROUP = QT_TRANSLATE_NOOP("AboutLayersDialog", "Learn tab")
# The catalog's groups (workbench.model.catalog.GROUPS) as the headings show them
GROUP_NAMES = {
    "Convolution": QT_TRANSLATE_NOOP("AboutLayersDialog", "Convolution"),
    "Normalization": QT_TRANSLATE_NOOP("AboutLayersDialog", "Normalization"),
    "Activation": QT_TRANSLATE_NOOP("AboutLayersDialog", "Activation"),
    "Pooling": QT_TRANSLATE_NOOP("AboutLayersDialog", "Pooling"),
    "Regularization": QT_TRANSLATE_NOOP("AboutLayersDialog", "Regularization"),
    "Reshape": QT_TRANSLATE_NOOP("AboutLayersDialog", "Reshape"),
    "Dense": QT_TRANSLATE_NOOP("AboutLayersDialog", "Dense"),
    "Output": QT_TRANSLATE_NOOP("AboutLayersDialog", "Output"),
    "Blocks": QT_TRANSLATE_NOOP("AboutLayersDialog", "Blocks"),
    LEARN_GROUP: LEARN_GROUP,
}
# help/learn/<name>.md, in the Learn tab's order
LEARN_TOPICS = ("convolution", "pooling", "activations", "softmax", "depth")
TOPIC_ROLE = Qt.ItemDataRole.UserRole  # a topic item's key: the layer type, or "learn/<name>"
TO_LIST_KEYS = (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter)  # from the search field to the list


def learn_key(name: str) -> str:
    return f"learn/{name}"


def group_name(group: str) -> str:
    """A catalog group's (or the Learn heading's) name in the window's language."""
    return translate("AboutLayersDialog", GROUP_NAMES.get(group, group))


def learn_doc(name: str) -> helptext.HelpDoc:
    """help/learn/`name`.md in the window's language (English where it has no such file)."""
    try:
        return helptext.load_in(i18n.current(), "learn", f"{name}.md")
    except helptext.HelpError:
        return helptext.load("learn", f"{name}.md")


def layer_page(layer: LayerType) -> str:
    """The layer's help as one Markdown page in the window's language: its texts, and every parameter with
    torch's default and its help (in English, exactly `workbench.model.catalog.help_markdown`'s page)."""
    texts = layer_texts(layer.name, i18n.current())
    group = group_name(layer.group)
    lines = [f"# {layer.name}", "", f"*{group}* · `torch.nn.{layer.name}`", "", texts.tooltip, "", texts.explain]
    if layer.derived is not None:
        inferred = translate("AboutLayersDialog", "{name} is not set here: it is inferred from the layer's input.")
        lines += ["", inferred.format(name=f"`{layer.derived}`")]
    lines += ["", "## " + translate("AboutLayersDialog", "Parameters"), ""]
    for param in layer.params:
        if param.required:
            default = translate("AboutLayersDialog", "required")
        else:
            default = translate("AboutLayersDialog", "default {value}").format(value=f"`{param.default!r}`")
        item = translate("AboutLayersDialog", "{name} ({default}): {help}")
        lines.append("- " + item.format(name=f"`{param.name}`", default=default, help=texts.params[param.name]))
    if not layer.params:
        lines.append(translate("AboutLayersDialog", "None: this layer has nothing to set."))
    return "\n".join(lines) + "\n"


class AboutLayersDialog(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("aboutLayersDialog")
        self._markdown: dict[str, str] = {}  # topic key -> the Markdown shown
        self._items: dict[str, QTreeWidgetItem] = {}
        self._headings: list[tuple[QTreeWidgetItem, str]] = []  # each heading with its group
        self._make_widgets()
        self._populate()
        self._layout()
        self.search.textChanged.connect(self._on_search_text_changed)
        self.topics.currentItemChanged.connect(self._on_topics_current_item_changed)
        self.search.installEventFilter(self)
        QShortcut(QKeySequence.StandardKey.Find, self, self._on_find_activated)
        self.resize(980, 640)
        i18n.follow(self, AboutLayersDialog.retranslate)
        self.show_topic(next(iter(CATALOG)))

    def _make_widgets(self) -> None:
        self.search = QLineEdit()
        self.search.setObjectName("helpSearch")
        self.search.setClearButtonEnabled(True)
        self.topics = QTreeWidget()
        self.topics.setObjectName("helpTopics")
        self.topics.setHeaderHidden(True)
        self.topics.setIndentation(12)
        self.text = QTextBrowser()
        self.text.setObjectName("helpText")
        self.text.setOpenLinks(False)

    def _populate(self) -> None:
        """The topics, by key; their titles, tooltips and pages come in the language of the moment (`retranslate`)."""
        for group, layers in by_group().items():
            heading = self._heading(group)
            for layer in layers:
                item = self._topic(heading, layer.name, layer.name)
                item.setIcon(0, layer_icon(layer.name))
        heading = self._heading(LEARN_GROUP)
        for name in LEARN_TOPICS:
            self._topic(heading, learn_key(name), name)
        self.topics.expandAll()

    def retranslate(self) -> None:
        self.setWindowTitle(translate("AboutLayersDialog", "About layers — CNN Workbench"))
        self.search.setPlaceholderText(translate("AboutLayersDialog", "Search layers and help (Ctrl+F)"))
        self.search.setAccessibleName(translate("AboutLayersDialog", "search help"))
        self.topics.setAccessibleName(translate("AboutLayersDialog", "help topics"))
        self.text.setAccessibleName(translate("AboutLayersDialog", "help text"))
        self.close_button.setText(translate("AboutLayersDialog", "Close"))
        for heading, group in self._headings:
            heading.setText(0, group_name(group))
        for name, layer in CATALOG.items():
            self._markdown[name] = layer_page(layer)
            self._items[name].setToolTip(0, layer_texts(name, i18n.current()).tooltip)
        for name in LEARN_TOPICS:
            doc = learn_doc(name)
            self._items[learn_key(name)].setText(0, doc.title)
            self._markdown[learn_key(name)] = doc.markdown
        self.filter_topics(self.search.text())  # the words may match other topics now
        key = self.current_topic()
        if key:
            self.text.setMarkdown(self._markdown[key])

    def _heading(self, group: str) -> QTreeWidgetItem:
        heading = QTreeWidgetItem(self.topics, [group])
        self._headings.append((heading, group))
        heading.setFlags(Qt.ItemFlag.ItemIsEnabled)
        font = heading.font(0)
        font.setBold(True)
        heading.setFont(0, font)
        return heading

    def _topic(self, heading: QTreeWidgetItem, key: str, title: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(heading, [title])
        item.setData(0, TOPIC_ROLE, key)
        self._items[key] = item
        return item

    def _layout(self) -> None:
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.search)
        side_layout.addWidget(self.topics, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("helpSplitter")
        splitter.addWidget(side)
        splitter.addWidget(self.text)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([240, 740])
        buttons = QDialogButtonBox()
        # not the standard Close button: Qt would give that one its own translation (English without Qt's)
        self.close_button = buttons.addButton("", QDialogButtonBox.ButtonRole.RejectRole)
        self.close_button.setObjectName("helpCloseButton")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)

    # ----- topics ------------------------------------------------------------------------------------

    def topic_keys(self) -> list[str]:
        return list(self._items)

    def current_topic(self) -> str | None:
        item = self.topics.currentItem()
        return item.data(0, TOPIC_ROLE) if item is not None else None

    def markdown(self, key: str) -> str:
        return self._markdown[key]

    def show_topic(self, key: str) -> bool:
        """Select and show a topic: a layer type ("Conv2d") or a Learn text ("learn/pooling");
        False if there is none. A search that hides it is cleared first."""
        item = self._items.get(key)
        if item is None:
            return False
        if item.isHidden():
            self.search.clear()
        self.topics.setCurrentItem(item)
        return True

    def visible_topics(self) -> list[str]:
        return [key for key, item in self._items.items() if not item.isHidden()]

    def _first_visible(self) -> QTreeWidgetItem | None:
        iterator = QTreeWidgetItemIterator(self.topics)
        while iterator.value() is not None:
            item = iterator.value()
            if item.data(0, TOPIC_ROLE) and not item.isHidden():
                return item
            iterator += 1
        return None

    def filter_topics(self, text: str) -> None:
        """Keep the topics whose title or text contains every word of `text` (any case)."""
        words = text.lower().split()
        for key, item in self._items.items():
            haystack = f"{item.text(0)}\n{self._markdown[key]}".lower()
            item.setHidden(not all(word in haystack for word in words))
        for index in range(self.topics.topLevelItemCount()):
            heading = self.topics.topLevelItem(index)
            shown = any(not heading.child(row).isHidden() for row in range(heading.childCount()))
            heading.setHidden(not shown)
        current = self.topics.currentItem()
        if current is None or current.isHidden():
            self.topics.setCurrentItem(self._first_visible())  # None when nothing matches
        if self.topics.currentItem() is None:
            nothing = translate("AboutLayersDialog", "Nothing in the help mentions “{words}”.")
            self.text.setMarkdown(nothing.format(words=text.strip()))

    # ----- events ------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and event.type() == QEvent.Type.KeyPress and event.key() in TO_LIST_KEYS:
            current = self.topics.currentItem()
            if current is None or current.isHidden():
                first = self._first_visible()
                if first is not None:
                    self.topics.setCurrentItem(first)
            self.topics.setFocus()
            return True
        return super().eventFilter(watched, event)

    def _on_search_text_changed(self, text: str) -> None:
        self.filter_topics(text)

    def _on_topics_current_item_changed(self, item: QTreeWidgetItem | None, _previous) -> None:
        key = item.data(0, TOPIC_ROLE) if item is not None else None
        if key:
            self.text.setMarkdown(self._markdown[key])

    def _on_find_activated(self) -> None:
        self.search.setFocus()
        self.search.selectAll()


def open_about_layers(parent: QWidget, type_name: str | None = None) -> AboutLayersDialog:
    """Open (or bring forward) `parent`'s About layers dialog on `type_name`. Without one, a focused
    widget that offers `help_topic()` (the palette: its selected layer) chooses the topic."""
    dialog = parent.findChild(AboutLayersDialog, "aboutLayersDialog", Qt.FindChildOption.FindDirectChildrenOnly)
    if dialog is None:
        dialog = AboutLayersDialog(parent)
    if type_name is None:
        focused = QApplication.focusWidget()
        topic = getattr(focused, "help_topic", None)
        type_name = topic() if callable(topic) else None
    if type_name:
        dialog.show_topic(type_name)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog


if __name__ == "__main__":
    app = QApplication([])
    dialog = AboutLayersDialog()
    dialog.show()
    app.exec()
