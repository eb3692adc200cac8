"""Help texts kept as Markdown files in `resources/help/`, read strictly into the exact strings the app shows.

The files use a small subset of Markdown, so that they read well as plain files, render in the app's
help browser (Help ▸ About layers) and hold, word for word and findable by search, the texts that
tooltips and panels show:

    # Title                   the first line, once
                              (blank lines separate blocks)
    A paragraph.              one line each (let the editor wrap it), as the app shows it
    ## Section                a section: paragraphs and/or a list
    - `name`: text            a list item, one line: a key in backticks (or **bold**), a colon and a
    - `other`: text             space, its text

Nothing else is allowed (no other heading levels, no indented or wrapped lines, no list outside a
section, no repeated key or section): `parse` raises `HelpError` naming the file and line instead.

Layer files, `help/layers/<Type>.md` (read by `workbench.model.catalog`): the title is the torch.nn
type name; the first paragraph is the tooltip (one sentence, shown in the palette), the paragraphs
after it are the explanation (shown in the inspector); an optional `## Parameters` section lists the
layer's own parameters as items "- `name`: help". Help that several layers share is written once, in
`help/parameters.md`: one section per set of layers, titled with their type names
(`## MaxPool2d, AvgPool2d`), listing the parameters they share. Every parameter of a layer gets its
help from exactly one of the two files; `layer_help` raises `HelpError` naming the file and the
parameter when one has none, has two, or is listed but does not exist.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import resources

PARAMETERS = "Parameters"  # the one section a layer file may have
SHARED_FILE = "help/parameters.md"
_ITEM = re.compile(r"- (?:`(?P<code>[^`]+)`|\*\*(?P<bold>[^*]+)\*\*): (?P<text>\S.*)$")


class HelpError(ValueError):
    """A help file does not follow the format; the message names the file (and line or parameter)."""


@dataclass(frozen=True)
class HelpSection:
    title: str
    paragraphs: tuple[str, ...] = ()
    items: Mapping[str, str] = field(default_factory=dict)  # key -> text, in file order


@dataclass(frozen=True)
class HelpDoc:
    source: str  # where it came from, for messages: "help/layers/Conv2d.md"
    title: str
    paragraphs: tuple[str, ...]  # before the first section
    sections: Mapping[str, HelpSection]
    markdown: str  # the file as written

    @property
    def intro(self) -> str:
        """The paragraphs before the first section, separated by blank lines."""
        return "\n\n".join(self.paragraphs)

    def section(self, title: str) -> HelpSection:
        if title not in self.sections:
            raise HelpError(f"{self.source}: no section '## {title}'")
        return self.sections[title]


@dataclass(frozen=True)
class LayerHelp:
    tooltip: str
    explain: str
    params: Mapping[str, str]  # parameter name -> help


class _Builder:
    """Collects the blocks line by line into the intro (before any section) or the current section."""

    def __init__(self, source: str):
        self.source = source
        self.intro: list[str] = []
        self.sections: dict[str, tuple[list[str], dict[str, str]]] = {}
        self.current: str | None = None  # the section being read; None before the first
        self.previous: str | None = None  # the line above: "paragraph", "item", or None (blank, heading)

    def fail(self, number: int, message: str) -> HelpError:
        return HelpError(f"{self.source}, line {number}: {message}")

    def blank(self) -> None:
        self.previous = None

    def heading(self, number: int, title: str) -> None:
        if self.previous is not None:
            raise self.fail(number, "leave a blank line before a heading")
        if not title:
            raise self.fail(number, "a section needs a title")
        if title in self.sections:
            raise self.fail(number, f"section '## {title}' appears twice")
        self.sections[title] = ([], {})
        self.current = title

    def list_item(self, number: int, line: str) -> None:
        match = _ITEM.match(line)
        if match is None:
            raise self.fail(number, "a list item reads '- `name`: text' (or '- **Label**: text')")
        if self.current is None:
            raise self.fail(number, "a list belongs in a '## ' section")
        if self.previous == "paragraph":
            raise self.fail(number, "leave a blank line between a paragraph and a list")
        key = match["code"] or match["bold"]
        items = self.sections[self.current][1]
        if key in items:
            raise self.fail(number, f"'{key}' is listed twice in '## {self.current}'")
        items[key] = match["text"]
        self.previous = "item"

    def paragraph(self, number: int, line: str) -> None:
        if line[0].isspace():
            raise self.fail(number, "indented text is not allowed: a paragraph or an item is one line")
        if self.previous is not None:
            above = "a paragraph" if self.previous == "paragraph" else "a list item"
            raise self.fail(number, f"{above} is one line: join this line to it, or leave a blank line")
        (self.intro if self.current is None else self.sections[self.current][0]).append(line)
        self.previous = "paragraph"


def parse(markdown: str, source: str) -> HelpDoc:
    """Read one help file (see the module docstring for the format); `source` names it in errors."""
    lines = markdown.splitlines()
    if not lines or not lines[0].startswith("# ") or not lines[0][2:].strip():
        raise HelpError(f"{source}, line 1: a help file starts with its title, '# Title'")
    builder = _Builder(source)
    for number, raw in enumerate(lines[1:], start=2):
        line = raw.rstrip()
        if not line:
            builder.blank()
        elif line.startswith("## "):
            builder.heading(number, line[3:].strip())
        elif line.startswith("#"):
            raise builder.fail(number, "only one '# Title' and '## Section' headings are allowed")
        elif line.startswith("- "):
            builder.list_item(number, line)
        else:
            builder.paragraph(number, line)
    sections = {
        title: HelpSection(title, tuple(paragraphs), items) for title, (paragraphs, items) in builder.sections.items()
    }
    return HelpDoc(source, lines[0][2:].strip(), tuple(builder.intro), sections, markdown)


def load(*parts: str) -> HelpDoc:
    """The help file at resources/help/`parts`, parsed: load("learn", "pooling.md")."""
    source = "/".join(("help", *parts))
    try:
        markdown = resources.read_text("help", *parts)
    except FileNotFoundError:
        raise HelpError(f"{source}: file missing") from None
    return parse(markdown, source)


ENGLISH = "en"
TRANSLATED = ("zh_CN",)  # languages with their own help files, under help/<language>/ (same layout and keys)


def load_in(language: str, *parts: str) -> HelpDoc:
    """The help file at `parts` in `language`: help/zh_CN/learn/pooling.md for load_in("zh_CN", "learn",
    "pooling.md"); English (help/learn/pooling.md) for "en" and any language without help files."""
    return load(language, *parts) if language in TRANSLATED else load(*parts)


def shared_params(doc: HelpDoc) -> dict[str, dict[str, str]]:
    """help/parameters.md as {layer type: {parameter: help}}; a section titled "A, B" applies to A and B."""
    shared: dict[str, dict[str, str]] = {}
    for section in doc.sections.values():
        if section.paragraphs:
            raise HelpError(f"{doc.source}: section '## {section.title}' may only list parameters")
        for layer in (name.strip() for name in section.title.split(",")):
            for name, text in section.items.items():
                if name in shared.setdefault(layer, {}):
                    raise HelpError(f"{doc.source}: parameter '{name}' of {layer} has help in two sections")
                shared[layer][name] = text
    return shared


def layer_help(doc: HelpDoc, name: str, param_names: Iterable[str], shared: Mapping[str, str]) -> LayerHelp:
    """The texts of layer type `name` from its file, with `shared` (its entries of parameters.md) for the
    parameters its file does not list. Raises HelpError naming the file and what is wrong."""
    if doc.title != name:
        raise HelpError(f"{doc.source}: the title must be '# {name}', not '# {doc.title}'")
    if len(doc.paragraphs) < 2:
        raise HelpError(
            f"{doc.source}: needs the tooltip (first paragraph) and an explanation (the paragraphs after it)"
        )
    extra = set(doc.sections) - {PARAMETERS}
    if extra:
        raise HelpError(f"{doc.source}: the only section allowed is '## {PARAMETERS}', not '## {sorted(extra)[0]}'")
    own = doc.sections[PARAMETERS] if PARAMETERS in doc.sections else HelpSection(PARAMETERS)
    if own.paragraphs:
        raise HelpError(f"{doc.source}: '## {PARAMETERS}' may only list parameters")
    names = list(param_names)
    for listed, where in ((own.items, doc.source), (shared, SHARED_FILE)):
        for param in listed:
            if param not in names:
                raise HelpError(f"{where}: {name} has no parameter '{param}'")
    helps: dict[str, str] = {}
    for param in names:
        if param in own.items and param in shared:
            raise HelpError(f"{doc.source}: parameter '{param}' also has help in {SHARED_FILE}; keep one")
        if param not in own.items and param not in shared:
            raise HelpError(
                f"{doc.source}: parameter '{param}' has no help; add \"- `{param}`: …\" under '## {PARAMETERS}'"
            )
        helps[param] = own.items.get(param) or shared[param]
    return LayerHelp(doc.paragraphs[0], "\n\n".join(doc.paragraphs[1:]), helps)
