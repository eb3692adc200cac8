"""Messages of the core shown in the window's language.

The core's errors (`workbench`) are English, as the CLI prints them. The common ones are coded
(`workbench.messages.say`): each code's template has its translation here (context "CoreMessages", the
templates listed in `ui/core_texts.py`), its values filled in, coded values translated the same way. Anything
else is shown as it is. The English line stays available (`original`, `details`) for a details pane or a
tooltip, and for bug reports.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication

from ui.core_texts import TEXTS
from workbench.messages import Said, said_in
from workbench.model.layer_info import LayerError


def original(error: object) -> str:
    """The core's own line, in English."""
    return str(error.message) if isinstance(error, LayerError) else str(error)


def translated(error: object) -> str:
    """The message in the window's language: a coded core message (an exception with one, a `Said`, a
    LayerError) translated; anything else as it is."""
    said = error.message if isinstance(error, LayerError) else said_in(error)
    return _translate(said) if isinstance(said, Said) else str(error)


def details(error: object) -> str:
    """The English original when the window shows a translation of it, else ''."""
    english = original(error)
    return english if translated(error) != english else ""


def device_line(text: str) -> str:
    """What a run or a measurement ran on, as the core writes it ("CPU · 2 threads · channels_last · compiled"),
    in the window's language: its two words (threads, compiled) translated, the names (CPU, CUDA, the GPU's,
    channels_last, bf16 autocast) as they are. The same words stand in the run store, so stored runs read alike."""
    text = _THREADS.sub(_threads, text)
    return _COMPILED.sub(lambda _found: QCoreApplication.translate("DeviceLine", "compiled"), text)


_THREADS = re.compile(r"\b(\d[\d,]*) threads?\b")
_COMPILED = re.compile(r"\bcompiled\b")


def _threads(found: re.Match) -> str:
    if found[1] == "1":
        return QCoreApplication.translate("DeviceLine", "1 thread")
    return QCoreApplication.translate("DeviceLine", "{count} threads").format(count=found[1])


def place(error: LayerError) -> str:
    """Where the failing layer is, in the window's language ('layer 3 Residual › layer 1 Conv2d')."""
    return _translate(error.message.values["where"])


def _translate(said: Said) -> str:
    values = {name: _translate(value) if isinstance(value, Said) else value for name, value in said.values.items()}
    template = QCoreApplication.translate("CoreMessages", TEXTS.get(said.code, ""))
    try:
        return template.format(**values) if template else str(said)
    except (KeyError, IndexError, ValueError):  # a translation that lost or misspelt a value: the English line
        return str(said)
