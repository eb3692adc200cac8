"""Help ▸ About layers: every layer type, grouped as in the palette and with its icon, its help rendered
from Markdown (tooltip, explanation, each parameter with torch's default); and the Learn tab's texts.

The search field keeps the topics whose name or text contains every word typed; Down or Enter moves
from it to the list, the arrow keys walk the list, Ctrl+F comes back. `open_about_layers` opens the one
dialog of a window (or brings it forward) on a layer: the Help menu's action, F1, and the palette's
context menu use it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
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

from ui.style import layer_icon
from workbench.model import helptext
from workbench.model.catalog import CATALOG, by_group, help_markdown

LEARN_GROUP = "Learn tab"
# help/learn/<name>.md, in the Learn tab's order
LEARN_TOPICS = ("convolution", "pooling", "activations", "softmax", "depth")
TOPIC_ROLE = Qt.ItemDataRole.UserRole  # a topic item's key: the layer type, or "learn/<name>"
TO_LIST_KEYS = (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter)  # from the search field to the list


def learn_key(name: str) -> str:
    return f"learn/{name}"


class AboutLayersDialog(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("aboutLayersDialog")
        self.setWindowTitle("About layers — CNN Workbench")
        self._markdown: dict[str, str] = {}  # topic key -> the Markdown shown
        self._items: dict[str, QTreeWidgetItem] = {}
        self._make_widgets()
        self._populate()
        self._layout()
        self.search.textChanged.connect(self._on_search_text_changed)
        self.topics.currentItemChanged.connect(self._on_topics_current_item_changed)
        self.search.installEventFilter(self)
        QShortcut(QKeySequence.StandardKey.Find, self, self._on_find_activated)
        self.resize(980, 640)
        self.show_topic(next(iter(CATALOG)))

    def _make_widgets(self) -> None:
        self.search = QLineEdit()
        self.search.setObjectName("helpSearch")
        self.search.setPlaceholderText("Search layers and help (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("search help")
        self.topics = QTreeWidget()
        self.topics.setObjectName("helpTopics")
        self.topics.setAccessibleName("help topics")
        self.topics.setHeaderHidden(True)
        self.topics.setIndentation(12)
        self.text = QTextBrowser()
        self.text.setObjectName("helpText")
        self.text.setAccessibleName("help text")
        self.text.setOpenLinks(False)

    def _populate(self) -> None:
        for group, layers in by_group().items():
            heading = self._heading(group)
            for layer in layers:
                item = self._topic(heading, layer.name, layer.name, help_markdown(layer))
                item.setIcon(0, layer_icon(layer.name))
                item.setToolTip(0, layer.tooltip)
        heading = self._heading(LEARN_GROUP)
        for name in LEARN_TOPICS:
            doc = helptext.load("learn", f"{name}.md")
            self._topic(heading, learn_key(name), doc.title, doc.markdown)
        self.topics.expandAll()

    def _heading(self, title: str) -> QTreeWidgetItem:
        heading = QTreeWidgetItem(self.topics, [title])
        heading.setFlags(Qt.ItemFlag.ItemIsEnabled)
        font = heading.font(0)
        font.setBold(True)
        heading.setFont(0, font)
        return heading

    def _topic(self, heading: QTreeWidgetItem, key: str, title: str, markdown: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(heading, [title])
        item.setData(0, TOPIC_ROLE, key)
        self._markdown[key], self._items[key] = markdown, item
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
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
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
            self.text.setMarkdown(f"Nothing in the help mentions “{text.strip()}”.")

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
