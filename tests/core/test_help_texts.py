"""The help texts live in resources/help/ as Markdown, and the catalog and the Learn tab read them strictly.

Every catalog layer type has its file with a tooltip, an explanation and help for each parameter
(its own, or shared in help/parameters.md, never both); a broken file is an error that names the
file and what is wrong, checked here on strings.
"""

from __future__ import annotations

import pytest

import resources
from workbench.explore.functions import ACTIVATIONS, NOTE_LABELS, NOTES, SLOPE_NOTE
from workbench.model import helptext
from workbench.model.catalog import CATALOG, help_markdown
from workbench.model.helptext import HelpError, layer_help, parse, shared_params

SHARED = shared_params(helptext.load("parameters.md"))

GOOD = """# Pool

Keeps the largest value.

Max pooling slides a window and keeps its maximum.

A second paragraph.

## Parameters

- `kernel_size`: Size of the sliding window.
- `stride`: How far it moves.
"""


def test_every_layer_type_has_a_help_file_and_no_file_is_stray():
    assert set(resources.names("help/layers", ".md")) == set(CATALOG)
    assert set(SHARED) <= set(CATALOG)


@pytest.mark.parametrize("name", list(CATALOG))
def test_the_catalog_texts_are_those_of_the_help_files(name):
    layer = CATALOG[name]
    markdown = resources.read_text("help", "layers", f"{name}.md")
    texts = layer_help(parse(markdown, name), name, layer.param_names, SHARED.get(name, {}))
    assert texts.tooltip == layer.tooltip and len(layer.tooltip) > 20
    assert texts.explain == layer.explain and len(layer.explain) > 20
    assert list(texts.params) == list(layer.param_names)
    assert f"\n{layer.tooltip}\n" in markdown and f"\n{layer.explain}\n" in markdown  # findable by search
    for param in layer.params:
        assert texts.params[param.name] == param.help and len(param.help) > 10
        own = param.name in parse(markdown, name).sections.get("Parameters", helptext.HelpSection("")).items
        assert own != (param.name in SHARED.get(name, {})), f"{name}.{param.name}: help in one file only"


def test_texts_are_word_for_word_what_the_app_showed_before_the_move():
    conv = CATALOG["Conv2d"]
    assert conv.tooltip == (
        "Slides small learned filters over the image; each filter makes one feature map that lights up "
        "where its pattern (an edge, a stroke, a texture) appears."
    )
    assert conv.param("padding").help == (
        "Pixels added around the input: a number, [height, width], 'same' (keep the size) or 'valid' (none)."
    )
    assert CATALOG["MaxPool2d"].param("stride").help == (
        "How many pixels the window moves each step; 2 halves the output size. Leave empty to step by the kernel size."
    )
    assert conv.param("stride").help == "How many pixels the window moves each step; 2 halves the output size."
    assert CATALOG["BatchNorm1d"].param("eps").help == "Small number added to the variance to avoid dividing by zero."
    assert NOTES["SiLU"].formula == "x·sigmoid(x)  (also called Swish)"
    assert SLOPE_NOTE.startswith("The dashed curve is the slope f′(x)")


def test_parse_reads_paragraphs_and_sections():
    doc = parse(GOOD, "help/layers/Pool.md")
    assert doc.title == "Pool"
    assert doc.paragraphs == (
        "Keeps the largest value.",
        "Max pooling slides a window and keeps its maximum.",
        "A second paragraph.",
    )
    assert dict(doc.section("Parameters").items) == {
        "kernel_size": "Size of the sliding window.",
        "stride": "How far it moves.",
    }
    texts = layer_help(doc, "Pool", ["kernel_size", "stride", "padding"], {"padding": "Border."})
    assert texts.tooltip == "Keeps the largest value."
    assert texts.explain == "Max pooling slides a window and keeps its maximum.\n\nA second paragraph."
    assert texts.params == {
        "kernel_size": "Size of the sliding window.",
        "stride": "How far it moves.",
        "padding": "Border.",
    }


def test_a_parameter_without_help_is_an_error_naming_file_and_parameter():
    doc = parse(GOOD, "help/layers/Pool.md")
    with pytest.raises(HelpError, match=r"help/layers/Pool\.md: parameter 'dilation' has no help"):
        layer_help(doc, "Pool", ["kernel_size", "stride", "dilation"], {})


@pytest.mark.parametrize(
    ("params", "shared", "message"),
    [
        (["kernel_size"], {}, r"help/layers/Pool\.md: Pool has no parameter 'stride'"),
        (["kernel_size", "stride"], {"stride": "x"}, r"Pool\.md: parameter 'stride' also has help in help/parameters"),
        (["kernel_size", "stride"], {"ceil_mode": "x"}, r"help/parameters\.md: Pool has no parameter 'ceil_mode'"),
    ],
)
def test_help_for_a_parameter_that_is_not_there_or_twice_is_an_error(params, shared, message):
    with pytest.raises(HelpError, match=message):
        layer_help(parse(GOOD, "help/layers/Pool.md"), "Pool", params, shared)


@pytest.mark.parametrize(
    ("markdown", "message"),
    [
        ("# Pool\n\nOnly a tooltip.\n", r"Pool\.md: needs the tooltip .* and an explanation"),
        ("# Pooling\n\nTip.\n\nMore.\n", r"Pool\.md: the title must be '# Pool'"),
        ("# Pool\n\nTip.\n\nMore.\n\n## Notes\n\nText.\n", r"the only section allowed is '## Parameters'"),
        ("# Pool\n\nTip.\n\nMore.\n\n## Parameters\n\nSome words.\n", r"'## Parameters' may only list parameters"),
    ],
)
def test_a_layer_file_out_of_shape_is_an_error(markdown, message):
    with pytest.raises(HelpError, match=message):
        layer_help(parse(markdown, "help/layers/Pool.md"), "Pool", [], {})


@pytest.mark.parametrize(
    ("markdown", "message"),
    [
        ("Pool\n\nTip.\n", r"x\.md, line 1: a help file starts with its title"),
        ("# Pool\n\n### Deep\n", r"x\.md, line 3: only one '# Title' and '## Section'"),
        ("# Pool\n\n- `a`: text\n", r"x\.md, line 3: a list belongs in a '## ' section"),
        ("# Pool\n\n## P\n\n- a: text\n", r"x\.md, line 5: a list item reads '- `name`: text'"),
        ("# Pool\n\n## P\n\n- `a`:\n", r"line 5: a list item reads"),
        ("# Pool\n\n## P\n\n- `a`: one\n- `a`: two\n", r"line 6: 'a' is listed twice in '## P'"),
        ("# Pool\n\n## P\n\n## P\n", r"line 5: section '## P' appears twice"),
        ("# Pool\n\nA paragraph\nwrapped.\n", r"x\.md, line 4: a paragraph is one line: join this line to it"),
        ("# Pool\n\n## P\n\n- `a`: one\n  continued\n", r"line 6: indented text is not allowed"),
        ("# Pool\n\n## P\n\n- `a`: one\nlazy continuation\n", r"line 6: a list item is one line"),
        ("# Pool\n\n## P\n\nWords.\n- `a`: one\n", r"line 6: leave a blank line between a paragraph and a list"),
        ("# Pool\n\nWords.\n## P\n", r"line 4: leave a blank line before a heading"),
        ("# Pool\n\n    code block\n", r"line 3: indented text is not allowed"),
    ],
)
def test_parse_rejects_what_the_format_does_not_allow_with_file_and_line(markdown, message):
    with pytest.raises(HelpError, match=message):
        parse(markdown, "help/x.md")


def test_a_missing_help_file_is_an_error_naming_it():
    with pytest.raises(HelpError, match=r"help/layers/Conv3d\.md: file missing"):
        helptext.load("layers", "Conv3d.md")


def test_shared_help_applies_to_each_layer_its_section_names():
    doc = parse("# Shared\n\nIntro.\n\n## A, B\n\n- `p`: Prob.\n\n## A\n\n- `q`: Q.\n", "help/parameters.md")
    assert shared_params(doc) == {"A": {"p": "Prob.", "q": "Q."}, "B": {"p": "Prob."}}
    twice = parse("# Shared\n\n## A, B\n\n- `p`: Prob.\n\n## A\n\n- `p`: Again.\n", "help/parameters.md")
    with pytest.raises(HelpError, match=r"parameters\.md: parameter 'p' of A has help in two sections"):
        shared_params(twice)
    assert (
        SHARED["MaxPool2d"]["kernel_size"]
        == SHARED["Conv2d"]["kernel_size"]
        == CATALOG["AvgPool2d"].param("kernel_size").help
    )


def test_activation_notes_come_from_the_learn_file():
    doc = helptext.load("learn", "activations.md")
    assert set(doc.sections) == set(ACTIVATIONS)
    assert doc.intro == SLOPE_NOTE
    for name in ACTIVATIONS:
        items = doc.section(name).items
        assert set(items) == set(NOTE_LABELS.values())
        assert items["Good"] == NOTES[name].good and items["Formula"] == NOTES[name].formula


@pytest.mark.parametrize("name", ["convolution", "pooling", "activations"])
def test_learn_files_have_a_title_and_prose(name):
    doc = helptext.load("learn", f"{name}.md")
    assert doc.title and len(doc.intro) > 50


def test_help_markdown_has_every_text_and_parameter_of_the_layer():
    conv = CATALOG["Conv2d"]
    page = help_markdown(conv)
    assert page.startswith("# Conv2d\n")
    for text in (conv.tooltip, conv.explain, *(p.help for p in conv.params)):
        assert text in page
    assert "- `out_channels` (required): " in page and "- `padding_mode` (default `'zeros'`): " in page
    assert "`in_channels` is not set here" in page
    assert "nothing to set" in help_markdown(CATALOG["ReLU"])
