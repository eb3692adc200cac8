"""The Learn tab's texts that come from the core, in the window's language (context "LearnTexts").

The core speaks English (the CLI prints it): the example inputs' and kernels' names, problems with a window's
settings (`Problem`), the worked sums, the model's description. The names are translated here by a table
(`QT_TRANSLATE_NOOP`) and the worked sums' few words where they stand; the problems and descriptions are coded and
go through `ui.messages.translated` where they are shown. The learn pages' help is read in the window's language
(help/<language>/learn/*.md), English where there is none yet.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

import numpy as np
import torch
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QComboBox

from ui import i18n
from workbench.explore.functions import NOTE_LABELS, NOTES, SATURATION_SCALE, ActivationNote
from workbench.model import helptext

# The names the explorers' choices show (workbench.explore.windows' presets, conv_sources' real numbers)
NAMES = (
    QT_TRANSLATE_NOOP("LearnTexts", "Stroke (a 7)"),
    QT_TRANSLATE_NOOP("LearnTexts", "Random 0–9"),
    QT_TRANSLATE_NOOP("LearnTexts", "Ramp"),
    QT_TRANSLATE_NOOP("LearnTexts", "Vertical edge"),
    QT_TRANSLATE_NOOP("LearnTexts", "Horizontal edge"),
    QT_TRANSLATE_NOOP("LearnTexts", "Box blur"),
    QT_TRANSLATE_NOOP("LearnTexts", "Identity"),
    QT_TRANSLATE_NOOP("LearnTexts", "Random −1/0/1"),
    QT_TRANSLATE_NOOP("LearnTexts", "Model: first conv layer"),
    QT_TRANSLATE_NOOP("LearnTexts", "Probe image"),
    QT_TRANSLATE_NOOP("LearnTexts", "plain 20 layers"),
    QT_TRANSLATE_NOOP("LearnTexts", "residual 20 layers"),
)


def _lookup(text: str) -> str:
    """A text marked above (or the core's own, untranslated if unknown), in the window's language."""
    return QCoreApplication.translate("LearnTexts", text)


def name(key: str) -> str:
    """A choice's name (`NAMES`) in the window's language."""
    return _lookup(key)


def keyed_combo(keys: Iterable[str]) -> QComboBox:
    """A combo box whose items are keys (their data, what the code compares) shown by their translated names."""
    combo = QComboBox()
    for key in keys:
        combo.addItem(key, key)
    i18n.follow(combo, _name_items)
    return combo


def _name_items(combo: QComboBox) -> None:
    for index in range(combo.count()):
        combo.setItemText(index, name(combo.itemData(index)))


# ----- help ------------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=32)
def _help(language: str, file: str) -> helptext.HelpDoc:
    try:
        return helptext.load_in(language, "learn", file)
    except helptext.HelpError:  # no help files in this language (yet): English
        return helptext.load("learn", file)


def help_doc(file: str) -> helptext.HelpDoc:
    """help/learn/`file` in the window's language (English while there is none)."""
    return _help(i18n.current(), file)


def activation_notes() -> tuple[str, dict[str, ActivationNote]]:
    """help/learn/activations.md in the window's language: the slope note and each activation's note (the
    English ones where the translated file does not have them in the same layout)."""
    doc = help_doc("activations.md")
    notes = dict(NOTES)
    for title, section in doc.sections.items():
        values = [section.items.get(label) for label in NOTE_LABELS.values()]
        if None in values:  # labels translated too: the items in their order
            values = list(section.items.values())
        if title in notes and len(values) == len(NOTE_LABELS):
            notes[title] = ActivationNote(*values)
    return doc.intro, notes


# ----- worked values ---------------------------------------------------------------------------------------------


def conv_sum(text: str) -> str:
    """`ConvExplanation.sum_text`: its words in the window's language."""
    lines = []
    for line in text.splitlines():
        if match := re.match(r"channel (\d+): (.*)", line):
            line = QCoreApplication.translate("LearnTexts", "channel {number}: {sum}").format(
                number=match[1], sum=match[2]
            )
        elif match := re.match(r"output = (.*)", line):
            line = QCoreApplication.translate("LearnTexts", "output = {sum}").format(
                sum=re.sub(r"\bbias ", QCoreApplication.translate("LearnTexts", "bias "), match[1])
            )
        lines.append(line)
    return "\n".join(lines)


def pool_value(text: str) -> str:
    """`PoolExplanation.value_text`: its words in the window's language."""
    if match := re.fullmatch(r"max\((.*)\) = (.*)", text):
        return QCoreApplication.translate("LearnTexts", "max({values}) = {result}").format(
            values=match[1], result=match[2]
        )
    note = " (padding counts as 0)"
    if text.endswith(note):
        return text.removesuffix(note) + QCoreApplication.translate("LearnTexts", " (padding counts as 0)")
    return text


def why_logits(logits: np.ndarray, shift: float = 10.0) -> str:
    """Three facts, on these logits, that explain why export writes logits (`functions.why_logits`, translated)."""
    z = torch.as_tensor(np.asarray(logits, dtype=np.float64))
    moved = float((torch.softmax(z + shift, 0) - torch.softmax(z, 0)).abs().max())
    confident = torch.softmax(z.float() * SATURATION_SCALE, 0)
    zeros = int((confident == 0).sum())
    rounded = ", ".join(f"{p:.3f}" for p in confident.tolist())
    first = QCoreApplication.translate(
        "LearnTexts",
        "• Adding {shift} to every logit changes no probability (largest change {moved}): softmax only sees "
        "differences between logits, so probabilities cannot give the logits back.",
    )
    second = QCoreApplication.translate(
        "LearnTexts",
        "• A confident model (these logits × {scale}) gives probabilities {rounded}: the other classes all read 0 "
        "and their order is lost ({zeros} of {count} are exactly 0 even in float32). The logits keep the order "
        "and the margins.",
    )
    third = QCoreApplication.translate(
        "LearnTexts",
        "• The loss needs log p = z − logsumexp(z), computed stably from logits; from a probability rounded to 0, "
        "log 0 = −∞. Softmax is one line away from logits, never the other way round.",
    )
    return "\n".join(
        (
            first.format(shift=f"{shift:g}", moved=f"{moved:.1e}"),
            second.format(scale=f"{SATURATION_SCALE:g}", rounded=rounded, zeros=zeros, count=len(confident)),
            third,
        )
    )
