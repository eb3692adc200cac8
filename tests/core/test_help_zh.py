"""The Simplified Chinese help (resources/help/zh_CN/): a counterpart of every English help file, read as strictly,
with the same layers, parameters and sections, written in Chinese, and shipped with the package."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import resources
from workbench.model import helptext
from workbench.model.catalog import CATALOG, layer_texts

tomllib = pytest.importorskip("tomllib")  # Python 3.11+

ZH = "zh_CN"
ROOT = Path(__file__).resolve().parents[2]
HELP = ROOT / "resources" / "help"
CJK = re.compile(r"[\u4e00-\u9fff]")
LEARN = sorted(resources.names("help/learn", ".md"))


def english_files() -> list[Path]:
    """The English help files, relative to help/ (those of the translated languages left out)."""
    return sorted(
        path.relative_to(HELP)
        for path in HELP.rglob("*.md")
        if path.relative_to(HELP).parts[0] not in helptext.TRANSLATED
    )


def texts(doc: helptext.HelpDoc) -> list[str]:
    """Every paragraph and item of a help file."""
    found = list(doc.paragraphs)
    for section in doc.sections.values():
        found += [*section.paragraphs, *section.items.values()]
    return found


def test_every_english_help_file_has_its_chinese_counterpart_and_no_file_is_stray():
    english = set(english_files())
    chinese = {path.relative_to(HELP / ZH) for path in (HELP / ZH).rglob("*.md")}
    assert len(english) == 1 + len(CATALOG) + len(LEARN)
    assert chinese == english


@pytest.mark.parametrize("name", CATALOG)
def test_every_layer_reads_strictly_in_chinese_with_the_same_parameters(name):
    chinese, english = layer_texts(name, ZH), layer_texts(name)
    assert list(chinese.params) == list(english.params)
    for text in (chinese.tooltip, *chinese.explain.split("\n\n"), *chinese.params.values()):
        assert CJK.search(text), f"{name}: {text!r} is not Chinese"
    assert "\n" not in chinese.tooltip  # one paragraph, as the palette shows it


def test_the_shared_parameters_keep_their_sections_and_keys():
    chinese = helptext.load_in(ZH, "parameters.md")
    english = helptext.load("parameters.md")
    assert helptext.shared_params(chinese).keys() == helptext.shared_params(english).keys()
    assert {title: list(s.items) for title, s in chinese.sections.items()} == {
        title: list(s.items) for title, s in english.sections.items()
    }


@pytest.mark.parametrize("relative", english_files(), ids=str)
def test_every_paragraph_and_item_is_chinese(relative):
    chinese = helptext.load_in(ZH, *relative.parts)
    english = helptext.load(*relative.parts)
    assert chinese.title == english.title or CJK.search(chinese.title)
    for text, original in zip(texts(chinese), texts(english), strict=True):
        # a formula or a range ("max(0, x)", "[0, ∞)") stays as it is; anything else is translated
        assert text == original or CJK.search(text), text


@pytest.mark.parametrize("name", LEARN)
def test_learn_files_have_the_same_sections_and_items(name):
    chinese = helptext.load_in(ZH, "learn", f"{name}.md")
    english = helptext.load("learn", f"{name}.md")
    assert len(chinese.paragraphs) == len(english.paragraphs)
    assert len(chinese.sections) == len(english.sections)
    for (title, section), (source, original) in zip(chinese.sections.items(), english.sections.items(), strict=True):
        if source in CATALOG:  # the activations' sections are read by their type name
            assert title == source
        assert len(section.paragraphs) == len(original.paragraphs)
        # labels in bold are translated (the app reads them in order); keys in backticks stay
        assert len(section.items) == len(original.items)
        code = [key for key in original.items if f"- `{key}`: " in english.markdown]
        assert all(key in section.items for key in code)


def test_activation_notes_read_in_chinese_in_the_order_of_the_english_labels():
    chinese = helptext.load_in(ZH, "learn", "activations.md")
    english = helptext.load("learn", "activations.md")
    assert list(chinese.sections) == list(english.sections)
    for title, section in chinese.sections.items():
        notes = dict(zip(english.sections[title].items, section.items.values(), strict=True))
        assert notes["Output range"].replace("约 ", "") in english.sections[title].items["Output range"]
        assert all(CJK.search(notes[label]) for label in ("Good", "Bad", "Zero-centred?"))


def test_the_package_data_ships_the_chinese_help():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["resources"]
    shipped = {path for pattern in patterns for path in (ROOT / "resources").glob(pattern)}
    help_files = set(HELP.rglob("*.md"))
    assert any(path.is_relative_to(HELP / ZH / "layers") for path in help_files)
    assert help_files <= shipped, sorted(str(path) for path in help_files - shipped)
