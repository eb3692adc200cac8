"""Files the app reads at run time: layer icons (`icons/*.svg`), themes (`themes/*.qss`) and help texts
(`help/**/*.md`). Read through `importlib.resources`, so they work from a source checkout and from an
installed wheel alike. This package holds data: it imports nothing of the app or the core.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable


def path(*parts: str) -> Traversable:
    """The resource at `parts` below this package, e.g. path("icons", "Conv2d.svg")."""
    node = files(__name__)
    for part in parts:
        node = node.joinpath(part)
    return node


def read_text(*parts: str) -> str:
    return path(*parts).read_text(encoding="utf-8")


def read_bytes(*parts: str) -> bytes:
    return path(*parts).read_bytes()


def names(folder: str, suffix: str) -> list[str]:
    """The stems of the files in `folder` ending in `suffix`, sorted: names("themes", ".qss") -> ["dark", "light"]."""
    return sorted(item.name[: -len(suffix)] for item in path(folder).iterdir() if item.name.endswith(suffix))
