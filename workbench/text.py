"""Text from outside (file and folder names, JSON documents) made safe to show, save and print.

Python hands a file name that is not UTF-8 over as a str with lone surrogates ("caf\\udce9" for the
bytes b"caf\\xe9"), and JSON's "\\ud800" decodes to one too; no UTF-8 file, terminal or Qt label can
carry them, so writing such text fails far from where it came in (after an epoch, at the save). Control
characters (NUL, newline, escape) break a one-line message, a docstring or a CSV row, and bidirectional
overrides make text display in another order than it reads. Every name taken from outside passes through
`printable` (or is refused by whoever calls `bad_character`) where it enters, so nothing later has to cope.

Messages say how many of something in one way: `count(3, "value")` is "3 values", `count(1, "value")` "1 value".

Used by both the model and the data rooms, so it sits beside them and imports nothing of the core.
"""

from __future__ import annotations

import os
import unicodedata

__all__ = ["MAX_SHOWN_PATH", "bad_character", "count", "printable", "show_path"]

# Unicode categories no name may hold: controls, lone surrogates, line and paragraph separators.
_BAD_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_ESCAPED_BYTES = range(0xDC80, 0xDD00)  # how os.fsdecode's surrogateescape carries bytes 0x80-0xff
MAX_SHOWN_PATH = 240  # characters of a path in a message; a longer one keeps its start and its end


def _is_bad(char: str) -> bool:
    return unicodedata.category(char) in _BAD_CATEGORIES or char in _BIDI_CONTROLS


def bad_character(text: str) -> tuple[int, str] | None:
    """The first character (1-based position, and the character) that `printable` would escape, or None."""
    for position, char in enumerate(text, start=1):
        if _is_bad(char):
            return position, char
    return None


def _escape(char: str) -> str:
    if ord(char) in _ESCAPED_BYTES:  # a byte of a name that is not UTF-8: shown as the byte it was
        return f"\\x{ord(char) - 0xDC00:02x}"
    return ascii(char)[1:-1]  # "\\n", "\\x00", "\\ud800", "\\u202e"


def printable(text: str) -> str:
    """`text` with every character `bad_character` finds written as its escape: b"caf\\xe9" named on disk
    shows as "caf\\xe9", a newline as "\\n". Text that needs none comes back unchanged."""
    if bad_character(text) is None:
        return text
    return "".join(_escape(char) if _is_bad(char) else char for char in text)


def show_path(path: str | os.PathLike | bytes, limit: int = MAX_SHOWN_PATH) -> str:
    """A path for a message: printable, and at most `limit` characters (the start and the end of a longer
    one, which is where its folder and its file name are)."""
    raw = os.fspath(path)
    text = printable(os.fsdecode(raw) if isinstance(raw, bytes) else raw)
    if len(text) <= limit:
        return text
    head = limit // 3
    return f"{text[:head]}…{text[-(limit - head - 1) :]}"


def count(n: int, noun: str, plural: str | None = None) -> str:
    """`n` and the noun, plural unless `n` is 1: "1 value", "0 values", "1,024 values"; `plural` for a noun whose
    plural is not noun + "s" (`count(n, "class", "classes")`)."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def one_line(text: str, limit: int = 500) -> str:
    """`text` as one printable line (a message may quote what the user gave: control characters, a huge value)."""
    flat = "".join(c if c.isprintable() else " " for c in text.replace("\n", " "))
    flat = flat.encode("utf-8", "backslashreplace").decode("utf-8")  # lone surrogates cannot be printed
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
