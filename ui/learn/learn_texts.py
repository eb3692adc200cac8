"""The Learn tab's texts that come from the core, in the window's language (context "LearnTexts").

The core speaks English (the CLI prints it): the example inputs' and kernels' names, problems with a window's
settings (`Problem`), the worked sums, the model's description. They are translated here, by a table of the names
(`QT_TRANSLATE_NOOP`) and by recognising the core's sentences; anything not recognised is shown as it is. The
learn pages' help is read in the window's language (help/<language>/learn/*.md), English where there is none yet.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

import numpy as np
import torch
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QComboBox

from ui import i18n, messages
from workbench.explore.functions import NOTE_LABELS, NOTES, SATURATION_SCALE, ActivationNote
from workbench.messages import TEXTS, say
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
# The core's fixed problems and model descriptions (workbench.explore.windows, .trained; Classifier)
FIXED = (
    QT_TRANSLATE_NOOP("LearnTexts", "Average pooling has no dilation: set dilation to 1."),
    QT_TRANSLATE_NOOP("LearnTexts", "No model yet: build one on the Build tab or open a trained model (File ▸ Open)"),
    QT_TRANSLATE_NOOP("LearnTexts", "No model here: open the explorer in the app's Learn tab"),
    QT_TRANSLATE_NOOP("LearnTexts", "The model has no Conv2d layer: add one on the Build tab to see its filters here"),
    QT_TRANSLATE_NOOP(
        "LearnTexts",
        "This layer's padding='same' pads one more row or column at the bottom or right than at the top or left, "
        "which the explorer cannot show: use an odd kernel_size to see its filters",
    ),
    QT_TRANSLATE_NOOP("LearnTexts", "untrained"),
    QT_TRANSLATE_NOOP("LearnTexts", "opened from a file"),
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


# ----- problems ----------------------------------------------------------------------------------------------


def _pattern(template: str) -> str:
    parts = re.split(r"\{(\w+)\}", template)
    return "".join(re.escape(part) if index % 2 == 0 else f"(?P<{part}>.+?)" for index, part in enumerate(parts))


_CAUSES = {code: _pattern(text) for code, text in TEXTS.items() if code.startswith("shape.")}
_FIXES = {code: re.compile(_pattern(text)) for code, text in TEXTS.items() if code.startswith("fix.")}
_BEFORE = re.compile(r"The layers before (?P<where>layer .+?) cannot read this image \((?P<error>.*)\)")
_READS = re.compile(
    r"(?P<where>Layer .+?) reads (?P<count>\d+) channel\(s\) but gets (?P<got>.+?): "
    r"load the dataset the model was made for on the Train tab"
)


def problem(message: str) -> str:
    """A `Problem`'s message in the window's language: the core's fixed ones, its shape rules' "cause: fix." (coded
    messages, translated as `ui.messages` does) and the model's layers that cannot read the probe."""
    if _lookup(message) != message or i18n.current() == i18n.ENGLISH:
        return _lookup(message)
    if match := _BEFORE.fullmatch(message):
        text = QCoreApplication.translate("LearnTexts", "The layers before {where} cannot read this image ({error})")
        return text.format(where=place(match["where"]), error=match["error"])
    if match := _READS.fullmatch(message):
        text = QCoreApplication.translate(
            "LearnTexts",
            "{where} reads {count} channel(s) but gets {got}: load the dataset the model was made for on the Train tab",
        )
        got = QCoreApplication.translate("LearnTexts", "no image") if match["got"] == "no image" else match["got"]
        return text.format(where=place(match["where"]), count=match["count"], got=got)
    return _rule_problem(message) or message


def _rule_problem(message: str) -> str | None:
    for cause_code, cause in _CAUSES.items():
        found = re.fullmatch(f"{cause}: (?P<_rest>.+)\\.", message)
        if found is None:
            continue
        for fix_code, fix in _FIXES.items():
            if fixed := fix.fullmatch(found["_rest"]):
                values = {key: value for key, value in found.groupdict().items() if key != "_rest"}
                text = QCoreApplication.translate("LearnTexts", "{cause}: {fix}.")
                return text.format(
                    cause=messages.translated(say(cause_code, **values)),
                    fix=messages.translated(say(fix_code, **fixed.groupdict())),
                )
    return None


def place(where: str) -> str:
    """'layer 1 Conv2d' (or 'Layer 2 Residual › 1 Conv2d') as the window names a layer."""
    match = re.fullmatch(r"[Ll]ayer (\d+) (.+)", where)
    if match is None:
        return where
    return QCoreApplication.translate("CoreMessages", "layer {number} {type}").format(number=match[1], type=match[2])


def description(text: str) -> str:
    """Where a model's weights come from (the dashboard's `Classifier.description`)."""
    if match := re.fullmatch(r"training now, step ([\d,]+)", text):
        return QCoreApplication.translate("LearnTexts", "training now, step {step}").format(step=match[1])
    if match := re.fullmatch(r"trained here, (\d+) epoch\(s\)", text):
        return QCoreApplication.translate("LearnTexts", "trained here, {count} epoch(s)").format(count=match[1])
    return _lookup(text)


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
